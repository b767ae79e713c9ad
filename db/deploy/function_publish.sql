-- Deploy fastqueue:function_publish to pg
-- requires: table_message
-- requires: type_message_info
-- requires: function_check_message
-- requires: function_filter_matches
-- requires: function_publish_batch
-- requires: function_wake_waiters
-- requires: table_queue_tally
-- Reworked: wakes long-polling waiters of the queues that got the message, counts
-- its copies in the queue tallies itself, and plans its statements once.

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
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
    v_now timestamptz := clock_timestamp();
    v_created bigint;
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
    -- matches gets its copy, or none does, and each such queue's tally one more
    -- message (so the tally triggers skip it). FOR KEY SHARE waits for a queue
    -- that is being deleted and then leaves it out, where the foreign key alone
    -- would fail the whole publish.
    PERFORM set_config('fastqueue.tally_by_caller', 'on', true);
    RETURN QUERY
    WITH created AS (
        INSERT INTO fastqueue.message AS m
            (queue_id, data, attributes, scheduled_at, expired_at, created_at, updated_at)
        SELECT q.id, p_data, p_attributes,
               v_now + make_interval(secs => coalesce(
                   p_delay_seconds, q.delivery_delay_seconds, 0)),
               v_now + make_interval(secs => q.message_retention_seconds),
               v_now, v_now
        FROM fastqueue.queue AS q
        WHERE q.topic_id = p_topic_id
          AND (q.message_filters IS NULL
               OR fastqueue._filter_matches(q.message_filters, p_attributes))
        ORDER BY q.id
        FOR KEY SHARE OF q
        RETURNING m.*
    ), counted AS (
        UPDATE fastqueue.queue_tally AS t
        SET messages = t.messages + 1
        FROM created AS c
        WHERE t.queue_id = c.queue_id AND t.shard = pg_backend_pid() % 16
    )
    SELECT c.id, c.queue_id, c.data, c.attributes, c.delivery_attempts,
           c.expired_at, c.scheduled_at, c.created_at, c.updated_at,
           c.receipt, c.dead_lettered_from, c.dead_lettered_at
    FROM created AS c
    ORDER BY c.queue_id;
    GET DIAGNOSTICS v_created = ROW_COUNT;
    PERFORM set_config('fastqueue.tally_by_caller', 'off', true);

    -- Only when nothing was created is it worth asking whether the topic exists.
    IF v_created = 0 AND NOT EXISTS (SELECT FROM fastqueue.topic WHERE id = p_topic_id) THEN
        RAISE EXCEPTION 'topic "%" not found', p_topic_id USING ERRCODE = 'FQ001';
    END IF;
    -- Long polling: notify the armed waiters of the queues that got the message.
    -- Most of the time nobody waits, and this look is all a publish pays.
    IF current_setting('transaction_isolation') <> 'read committed'
       OR EXISTS (SELECT FROM fastqueue.queue_waiter WHERE armed) THEN
        PERFORM fastqueue._wake_waiters(
            p_topic_id, jsonb_build_array(jsonb_build_object('attributes', p_attributes)));
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
