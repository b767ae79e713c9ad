-- Deploy fastqueue:function_move_messages to pg
-- requires: table_message
-- Private helper: move messages to another queue as if they were new there.

BEGIN;

CREATE FUNCTION fastqueue._move_messages(
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
    v_moved bigint;
BEGIN
    -- The id and created_at stay; the delivery count, retention and delivery
    -- delay start over with the destination's settings. A move to a dead queue
    -- records where from and when; any other move clears that record.
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
    ) AS q
    WHERE m.id = ANY (p_message_ids);
    GET DIAGNOSTICS v_moved = ROW_COUNT;
    RETURN v_moved;
END;
$$;

COMMENT ON FUNCTION fastqueue._move_messages(uuid[], text, timestamptz, text) IS
    'Moves the given messages to queue p_destination_id with a fresh delivery count, '
    'retention and delivery delay; with p_dead_lettered_from, records a move to a dead '
    'queue from that queue. Returns how many moved. The caller locks the rows.';

COMMIT;
