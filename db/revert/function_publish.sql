-- Revert fastqueue:function_publish from pg
-- Back to the released version (@v1.0.0), which wakes no waiters.

BEGIN;

CREATE OR REPLACE FUNCTION fastqueue.publish(
    p_topic_id text,
    p_data jsonb,
    p_attributes jsonb DEFAULT NULL,
    p_delay_seconds integer DEFAULT NULL,
    p_idempotency_key text DEFAULT NULL,
    p_idempotency_window_seconds integer DEFAULT 300
)
RETURNS SETOF fastqueue.message_info
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, fastqueue, pg_temp
AS $$
DECLARE
    v_now timestamptz := clock_timestamp();
BEGIN
    PERFORM fastqueue._check_message(p_data, p_attributes, p_delay_seconds);
    -- Keyed publishes go the batch way, which remembers what it created. JSON
    -- nulls stand for absent attributes and delay there; jsonb_strip_nulls would
    -- also strip the nulls inside the data.
    IF p_idempotency_key IS NOT NULL THEN
        RETURN QUERY
        SELECT * FROM fastqueue.publish_batch(
            p_topic_id,
            jsonb_build_array(jsonb_build_object(
                'data', p_data, 'attributes', p_attributes, 'delay_seconds', p_delay_seconds)),
            p_idempotency_key,
            p_idempotency_window_seconds);
        RETURN;
    END IF;

    -- One statement fans the message out: every queue of the topic whose filter
    -- matches gets its copy, or none does. FOR KEY SHARE waits for a queue that
    -- is being deleted and then leaves it out, where the foreign key alone would
    -- fail the whole publish.
    RETURN QUERY
    INSERT INTO fastqueue.message AS m
        (queue_id, data, attributes, scheduled_at, expired_at, created_at, updated_at)
    SELECT q.id, p_data, p_attributes,
           v_now + make_interval(secs => coalesce(p_delay_seconds, q.delivery_delay_seconds, 0)),
           v_now + make_interval(secs => q.message_retention_seconds),
           v_now, v_now
    FROM fastqueue.queue AS q
    WHERE q.topic_id = p_topic_id
      AND (q.message_filters IS NULL
           OR fastqueue._filter_matches(q.message_filters, p_attributes))
    ORDER BY q.id
    FOR KEY SHARE OF q
    RETURNING m.id, m.queue_id, m.data, m.attributes, m.delivery_attempts,
              m.expired_at, m.scheduled_at, m.created_at, m.updated_at,
              m.receipt, m.dead_lettered_from, m.dead_lettered_at;

    -- Only when nothing was created is it worth asking whether the topic exists.
    IF NOT FOUND AND NOT EXISTS (SELECT FROM fastqueue.topic WHERE id = p_topic_id) THEN
        RAISE EXCEPTION 'topic "%" not found', p_topic_id USING ERRCODE = 'FQ001';
    END IF;
END;
$$;

COMMENT ON FUNCTION fastqueue.publish(text, jsonb, jsonb, integer, text, integer) IS
    'Publishes a message to a topic: one copy to each of its queues whose filter matches, '
    'with that queue''s retention, and p_delay_seconds (0-900) or else the queue''s delivery '
    'delay; returns the copies (none when no queue matches). With p_idempotency_key, a retry '
    'within p_idempotency_window_seconds creates nothing and returns the first copies (see '
    'fastqueue.publish_batch). Raises FQ001 for an unknown topic, FQ206 for data that is not '
    'a JSON object or attributes that are not an object of strings, FQ202 for a delay out of '
    'bounds and FQ211 for an invalid key.';

COMMIT;
