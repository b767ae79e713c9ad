-- Deploy fastqueue:function_update_queue to pg
-- requires: table_queue_retry_backoff
-- requires: function_replace_queue

BEGIN;

-- Reworked: the retry back-off. New arguments go last, with defaults, so that calls
-- of v1.0.0, by position or by name, still work; the old signature goes, or those
-- calls would be ambiguous.
DROP FUNCTION fastqueue.update_queue(
    text, text, text, integer, integer, jsonb, integer, integer
);

CREATE FUNCTION fastqueue.update_queue(
    p_queue_id text,
    p_topic_id text DEFAULT NULL,
    p_dead_queue_id text DEFAULT NULL,
    p_ack_deadline_seconds integer DEFAULT 30,
    p_message_retention_seconds integer DEFAULT 1209600,
    p_message_filters jsonb DEFAULT NULL,
    p_message_max_deliveries integer DEFAULT NULL,
    p_delivery_delay_seconds integer DEFAULT NULL,
    p_retry_min_backoff_seconds integer DEFAULT NULL,
    p_retry_max_backoff_seconds integer DEFAULT NULL
)
RETURNS fastqueue.queue
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, fastqueue, pg_temp
AS $$
DECLARE
    v_queue fastqueue.queue;
BEGIN
    v_queue.id := p_queue_id;
    v_queue.topic_id := p_topic_id;
    v_queue.dead_queue_id := p_dead_queue_id;
    v_queue.ack_deadline_seconds := p_ack_deadline_seconds;
    v_queue.message_retention_seconds := p_message_retention_seconds;
    v_queue.message_filters := p_message_filters;
    v_queue.message_max_deliveries := p_message_max_deliveries;
    v_queue.delivery_delay_seconds := p_delivery_delay_seconds;
    v_queue.retry_min_backoff_seconds := p_retry_min_backoff_seconds;
    v_queue.retry_max_backoff_seconds := p_retry_max_backoff_seconds;
    RETURN fastqueue._replace_queue(v_queue);
END;
$$;

COMMENT ON FUNCTION fastqueue.update_queue(
    text, text, text, integer, integer, jsonb, integer, integer, integer, integer
)
    IS 'Replaces the whole definition of a queue (omitted arguments take their defaults) and '
       'returns it. A new ack deadline applies from the next lease, a new retry back-off from '
       'the next nack; the other fields to later publishes. Raises FQ002 for an unknown queue '
       'and FQ201-FQ208 or FQ212 for an invalid definition.';

-- Dropping the old signature took its grant with it.
GRANT EXECUTE ON FUNCTION fastqueue.update_queue(
    text, text, text, integer, integer, jsonb, integer, integer, integer, integer
) TO fastqueue_admin;

COMMIT;
