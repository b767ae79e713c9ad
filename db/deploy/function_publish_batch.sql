-- Deploy fastqueue:function_publish_batch to pg
-- requires: table_message
-- requires: type_message_info
-- requires: function_check_message
-- requires: function_filter_matches
-- requires: function_claim_idempotency_key
-- requires: function_wake_waiters
-- requires: table_queue_tally
-- Reworked: wakes long-polling waiters of the queues that got messages, and counts
-- its messages in the queue tallies itself.

BEGIN;

CREATE OR REPLACE FUNCTION fastqueue.publish_batch(
    p_topic_id text,
    p_messages jsonb,
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
    v_message record;
    v_created jsonb;
BEGIN
    IF jsonb_typeof(p_messages) IS DISTINCT FROM 'array' THEN
        RAISE EXCEPTION 'messages must be a JSON array' USING ERRCODE = 'FQ206';
    END IF;
    PERFORM fastqueue._check_bound('batch_size', jsonb_array_length(p_messages));
    FOR v_message IN
        SELECT e.position, e.message
        FROM jsonb_array_elements(p_messages) WITH ORDINALITY AS e (message, position)
    LOOP
        IF jsonb_typeof(v_message.message) IS DISTINCT FROM 'object'
           OR v_message.message - ARRAY['data', 'attributes', 'delay_seconds'] <> '{}' THEN
            RAISE EXCEPTION 'message %: must be an object of data, attributes and delay_seconds',
                    v_message.position
                USING ERRCODE = 'FQ206';
        END IF;
        PERFORM fastqueue._check_message(
            v_message.message -> 'data',
            nullif(v_message.message -> 'attributes', 'null'),
            (v_message.message ->> 'delay_seconds')::integer,
            v_message.position);
    END LOOP;
    PERFORM FROM fastqueue.topic WHERE id = p_topic_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'topic "%" not found', p_topic_id USING ERRCODE = 'FQ001';
    END IF;

    IF p_idempotency_key IS NOT NULL THEN
        v_created := fastqueue._claim_idempotency_key(
            p_topic_id, p_idempotency_key, v_now, p_idempotency_window_seconds);
        IF v_created IS NOT NULL THEN
            RETURN QUERY
            SELECT * FROM jsonb_populate_recordset(NULL::fastqueue.message_info, v_created);
            RETURN;
        END IF;
    END IF;

    -- One statement fans every message out, all or nothing, in the order given,
    -- and counts them in the queue tallies (the tally triggers skip it); a
    -- message's own delay wins over its queue's. FOR KEY SHARE waits for a queue
    -- that is being deleted and then leaves it out, where the foreign key alone
    -- would fail the whole batch.
    PERFORM set_config('fastqueue.tally_by_caller', 'on', true);
    WITH target AS MATERIALIZED (
        SELECT q.id, q.message_filters, q.delivery_delay_seconds,
               q.message_retention_seconds
        FROM fastqueue.queue AS q
        WHERE q.topic_id = p_topic_id
        FOR KEY SHARE
    ), created AS (
        INSERT INTO fastqueue.message AS m
            (queue_id, data, attributes, scheduled_at, expired_at, created_at, updated_at)
        SELECT q.id, e.message -> 'data', nullif(e.message -> 'attributes', 'null'),
               v_now + make_interval(secs => coalesce(
                   (e.message ->> 'delay_seconds')::integer, q.delivery_delay_seconds, 0)),
               v_now + make_interval(secs => q.message_retention_seconds),
               v_now, v_now
        FROM jsonb_array_elements(p_messages) WITH ORDINALITY AS e (message, position)
        CROSS JOIN target AS q
        WHERE q.message_filters IS NULL
           OR fastqueue._filter_matches(q.message_filters,
                                        nullif(e.message -> 'attributes', 'null'))
        ORDER BY e.position, q.id
        RETURNING m.*
    ), counted AS (
        UPDATE fastqueue.queue_tally AS t
        SET messages = t.messages + n.messages
        FROM (
            SELECT c.queue_id, count(*) AS messages
            FROM created AS c
            GROUP BY c.queue_id
            ORDER BY c.queue_id
        ) AS n
        WHERE t.queue_id = n.queue_id AND t.shard = pg_backend_pid() % 16
    )
    SELECT coalesce(jsonb_agg(to_jsonb(c) - 'seq' ORDER BY c.seq), '[]')
    INTO v_created
    FROM created AS c;
    PERFORM set_config('fastqueue.tally_by_caller', 'off', true);

    IF p_idempotency_key IS NOT NULL THEN
        UPDATE fastqueue.idempotency_key
        SET messages = v_created
        WHERE topic_id = p_topic_id AND key = p_idempotency_key;
    END IF;
    -- Long polling: notify the armed waiters of the queues that got messages.
    PERFORM fastqueue._wake_waiters(p_topic_id, p_messages);
    RETURN QUERY
    SELECT * FROM jsonb_populate_recordset(NULL::fastqueue.message_info, v_created);
END;
$$;

COMMENT ON FUNCTION fastqueue.publish_batch(text, jsonb, text, integer) IS
    'Publishes 1 to batch_size messages to a topic in one statement, all or none: '
    'p_messages is a JSON array of {"data": {...}, "attributes": {...}, "delay_seconds": n}. '
    'Returns every copy created, in the order given. With p_idempotency_key, a retry with '
    'the same topic and key within p_idempotency_window_seconds creates nothing and returns '
    'the messages first created. Raises FQ001 for an unknown topic, FQ206 for an invalid '
    'message (its position is in the error), FQ202 for a size or delay out of bounds and '
    'FQ211 for an invalid key.';

COMMIT;
