-- Deploy fastqueue:function_redrive_queue to pg
-- requires: table_message
-- requires: function_move_messages
-- requires: function_check_bound

BEGIN;

CREATE FUNCTION fastqueue.redrive_queue(
    p_queue_id text,
    p_destination_queue_id text DEFAULT NULL,
    p_limit integer DEFAULT NULL
)
RETURNS bigint
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, fastqueue, pg_temp
AS $$
DECLARE
    v_now timestamptz := clock_timestamp();
    v_queue fastqueue.queue;
    v_group record;
    v_moved bigint := 0;
BEGIN
    SELECT * INTO v_queue FROM fastqueue.queue WHERE id = p_queue_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'queue "%" not found', p_queue_id USING ERRCODE = 'FQ002';
    END IF;
    IF p_destination_queue_id = p_queue_id THEN
        RAISE EXCEPTION 'cannot redrive queue "%" to itself', p_queue_id
            USING ERRCODE = 'FQ209';
    END IF;
    IF p_destination_queue_id IS NOT NULL THEN
        PERFORM FROM fastqueue.queue WHERE id = p_destination_queue_id;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'destination queue "%" does not exist', p_destination_queue_id
                USING ERRCODE = 'FQ208';
        END IF;
    END IF;
    IF p_limit IS NOT NULL THEN
        PERFORM fastqueue._check_bound('redrive_limit', p_limit);
    END IF;

    -- Only available messages move, oldest first: leased ones stay with their
    -- consumer, and the destination's filter does not apply. Without a
    -- destination, each goes back to the queue it was dead-lettered from, if that
    -- queue still exists; the others stay, and are not counted against the limit
    -- (a limited redrive would otherwise stall behind them).
    -- TODO: move in batches once a single redrive of millions holds locks too long.
    FOR v_group IN
        SELECT coalesce(p_destination_queue_id, m.dead_lettered_from) AS destination,
               array_agg(m.id) AS message_ids
        FROM (
            SELECT m.id, m.dead_lettered_from
            FROM fastqueue.message AS m
            WHERE m.queue_id = p_queue_id
              AND m.scheduled_at <= v_now
              AND m.expired_at > v_now
              AND m.delivery_attempts < coalesce(v_queue.message_max_deliveries, 2147483647)
              AND (p_destination_queue_id IS NOT NULL OR EXISTS (
                  SELECT FROM fastqueue.queue AS origin
                  WHERE origin.id = m.dead_lettered_from AND origin.id <> p_queue_id))
            ORDER BY m.scheduled_at, m.seq
            LIMIT p_limit
            FOR UPDATE OF m SKIP LOCKED
        ) AS m
        GROUP BY 1
    LOOP
        v_moved := v_moved
            + fastqueue._move_messages(v_group.message_ids, v_group.destination, v_now);
    END LOOP;
    RETURN v_moved;
END;
$$;

COMMENT ON FUNCTION fastqueue.redrive_queue(text, text, integer) IS
    'Moves up to p_limit (all when NULL) available messages of a queue, oldest first, to '
    'p_destination_queue_id, or without one back to the queue each was dead-lettered from; '
    'they arrive as new messages (same id and created_at, delivery count 0, the '
    'destination''s retention and delivery delay). Returns how many moved. Raises FQ002 for '
    'an unknown queue, FQ208 for an unknown destination, FQ209 for the queue itself and '
    'FQ202 for a limit below 1.';

COMMIT;
