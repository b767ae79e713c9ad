-- Deploy fastqueue:function_move_messages to pg
-- requires: table_message
-- requires: table_queue_tally
-- requires: function_wake_queues
-- Private helper: move messages to another queue as if they were new there, and
-- carry them over in the queue tallies.

BEGIN;

CREATE OR REPLACE FUNCTION fastqueue._move_messages(
    p_message_ids uuid[],
    p_destination_id text,
    p_now timestamptz,
    p_dead_lettered_from text DEFAULT NULL
)
RETURNS bigint
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_sources text[];
    v_moved bigint;
    v_delta record;
BEGIN
    -- The id and created_at stay; the delivery count, retention and delivery
    -- delay start over with the destination's settings. A move to a dead queue
    -- records where from and when; any other move clears that record. The caller
    -- locked the rows, so `before` reads the queue each one leaves.
    WITH moved AS (
        UPDATE fastqueue.message AS m
        SET queue_id = q.id,
            delivery_attempts = 0,
            scheduled_at = p_now + make_interval(secs => coalesce(q.delivery_delay_seconds, 0)),
            expired_at = p_now + make_interval(secs => q.message_retention_seconds),
            updated_at = p_now,
            receipt = NULL,
            dead_lettered_from = p_dead_lettered_from,
            dead_lettered_at = CASE WHEN p_dead_lettered_from IS NOT NULL THEN p_now END
        FROM (
            -- A destination being deleted is waited for, then nothing moves.
            SELECT * FROM fastqueue.queue WHERE id = p_destination_id FOR KEY SHARE
        ) AS q,
        fastqueue.message AS before
        WHERE m.id = ANY (p_message_ids)
          AND before.id = m.id
        RETURNING before.queue_id AS source_id
    )
    SELECT array_agg(source_id) INTO v_sources FROM moved;
    v_moved := coalesce(cardinality(v_sources), 0);

    -- No trigger sees a move (an update trigger would tax every lease): the
    -- tallies change here, once per queue, in queue order.
    FOR v_delta IN
        SELECT d.queue_id, sum(d.messages) AS messages
        FROM (
            SELECT s.source_id AS queue_id, -1 AS messages
            FROM unnest(v_sources) AS s (source_id)
            UNION ALL
            SELECT p_destination_id, v_moved
        ) AS d
        GROUP BY d.queue_id
        HAVING sum(d.messages) <> 0
        ORDER BY d.queue_id
    LOOP
        UPDATE fastqueue.queue_tally
        SET messages = messages + v_delta.messages
        WHERE queue_id = v_delta.queue_id AND shard = pg_backend_pid() % 16;
    END LOOP;
    -- Long polls waiting on the destination look again.
    IF v_moved > 0 THEN
        PERFORM fastqueue._wake_queues(ARRAY[p_destination_id]);
    END IF;
    RETURN v_moved;
END;
$$;

COMMENT ON FUNCTION fastqueue._move_messages(uuid[], text, timestamptz, text) IS
    'Moves the given messages to queue p_destination_id with a fresh delivery count, '
    'retention and delivery delay, and moves them between the queue tallies; with '
    'p_dead_lettered_from, records a move to a dead queue from that queue. Returns how '
    'many moved, and wakes the long polls waiting on the destination. The caller locks '
    'the rows.';

COMMIT;
