-- Deploy fastqueue:function_cleanup to pg
-- requires: table_message
-- requires: type_cleanup_result
-- requires: function_move_messages
-- requires: table_idempotency_key

BEGIN;

CREATE FUNCTION fastqueue.cleanup(p_batch_size integer DEFAULT 1000)
RETURNS fastqueue.cleanup_result
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, fastqueue, pg_temp
AS $$
DECLARE
    v_now timestamptz := clock_timestamp();
    v_expired bigint;
    v_dead_lettered bigint := 0;
    v_queue fastqueue.queue;
    v_capped uuid[];
BEGIN
    PERFORM fastqueue._check_bound('cleanup_batch_size', p_batch_size);

    -- Expired messages go, leased or not. SKIP LOCKED lets a concurrent cleanup
    -- or lease go on; what it holds is caught by the next batch.
    WITH expired AS MATERIALIZED (
        SELECT m.id
        FROM fastqueue.message AS m
        WHERE m.expired_at <= v_now
        ORDER BY m.expired_at
        LIMIT p_batch_size
        FOR UPDATE SKIP LOCKED
    )
    DELETE FROM fastqueue.message AS m
    USING expired
    WHERE m.id = expired.id;
    GET DIAGNOSTICS v_expired = ROW_COUNT;

    -- Messages that used up their deliveries and are not leased go to their dead
    -- queue, up to one batch in all.
    -- TODO: index capped messages if scanning the visible backlog of queues with a
    -- dead queue once a minute becomes noticeable.
    FOR v_queue IN
        SELECT * FROM fastqueue.queue WHERE message_max_deliveries IS NOT NULL ORDER BY id
    LOOP
        EXIT WHEN v_dead_lettered >= p_batch_size;
        SELECT array_agg(c.id) INTO v_capped
        FROM (
            SELECT m.id
            FROM fastqueue.message AS m
            WHERE m.queue_id = v_queue.id
              AND m.scheduled_at <= v_now
              AND m.expired_at > v_now
              AND m.delivery_attempts >= v_queue.message_max_deliveries
            ORDER BY m.scheduled_at, m.seq
            LIMIT p_batch_size - v_dead_lettered
            FOR UPDATE SKIP LOCKED
        ) AS c;
        IF v_capped IS NOT NULL THEN
            v_dead_lettered := v_dead_lettered
                + fastqueue._move_messages(
                    v_capped, v_queue.dead_queue_id, v_now, v_queue.id);
        END IF;
    END LOOP;

    -- Idempotency keys whose window has passed are forgotten.
    DELETE FROM fastqueue.idempotency_key AS k
    USING (
        SELECT topic_id, key
        FROM fastqueue.idempotency_key
        WHERE expired_at <= v_now
        ORDER BY expired_at
        LIMIT p_batch_size
        FOR UPDATE SKIP LOCKED
    ) AS old
    WHERE k.topic_id = old.topic_id AND k.key = old.key;

    RETURN ROW(v_expired, v_dead_lettered)::fastqueue.cleanup_result;
END;
$$;

COMMENT ON FUNCTION fastqueue.cleanup(integer) IS
    'Runs one batch of upkeep: deletes up to p_batch_size expired messages and moves up to '
    'p_batch_size messages that used up their deliveries (and are not leased) to their dead '
    'queue, and forgets up to p_batch_size idempotency keys whose window has passed; '
    'returns the first two counts. Safe to run concurrently. Raises FQ202 for a batch size '
    'outside the cleanup_batch_size setting.';

COMMIT;
