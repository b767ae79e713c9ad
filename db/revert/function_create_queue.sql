-- Revert fastqueue:function_create_queue from pg
-- Back to the signature and definition of v1.0.0, and its grant.

BEGIN;

DROP FUNCTION fastqueue.create_queue(
    text, text, text, integer, integer, jsonb, integer, integer, integer, integer
);

CREATE FUNCTION fastqueue.create_queue(
    p_queue_id text,
    p_topic_id text DEFAULT NULL,
    p_dead_queue_id text DEFAULT NULL,
    p_ack_deadline_seconds integer DEFAULT 30,
    p_message_retention_seconds integer DEFAULT 1209600,
    p_message_filters jsonb DEFAULT NULL,
    p_message_max_deliveries integer DEFAULT NULL,
    p_delivery_delay_seconds integer DEFAULT NULL
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
    v_queue.created_at := clock_timestamp();
    v_queue.updated_at := v_queue.created_at;

    PERFORM fastqueue._lock_queue_changes();
    PERFORM fastqueue._check_queue(v_queue);

    INSERT INTO fastqueue.queue
    SELECT (v_queue).*
    ON CONFLICT (id) DO NOTHING
    RETURNING * INTO v_queue;

    IF NOT FOUND THEN
        RAISE EXCEPTION 'queue "%" already exists', p_queue_id USING ERRCODE = 'FQ102';
    END IF;
    RETURN v_queue;
END;
$$;

COMMENT ON FUNCTION fastqueue.create_queue(
    text, text, text, integer, integer, jsonb, integer, integer
)
    IS 'Creates a queue and returns it. Raises FQ102 if it exists, and what '
       'fastqueue._check_queue raises for an invalid definition (FQ201-FQ208).';

GRANT EXECUTE ON FUNCTION fastqueue.create_queue(
    text, text, text, integer, integer, jsonb, integer, integer
) TO fastqueue_admin;

COMMIT;
