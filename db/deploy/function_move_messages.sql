-- Deploy fastqueue:function_move_messages to pg
-- requires: table_message
-- Private helper: move messages to another queue as if they were new there.

BEGIN;

CREATE FUNCTION fastqueue._move_messages(
    p_message_ids uuid[],
    p_destination_id text,
    p_now timestamptz
)
RETURNS bigint
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_moved bigint;
BEGIN
    -- The id and created_at stay; the delivery count, retention and delivery
    -- delay start over with the destination's settings.
    UPDATE fastqueue.message AS m
    SET queue_id = q.id,
        delivery_attempts = 0,
        scheduled_at = p_now + make_interval(secs => coalesce(q.delivery_delay_seconds, 0)),
        expired_at = p_now + make_interval(secs => q.message_retention_seconds),
        updated_at = p_now
    FROM fastqueue.queue AS q
    WHERE q.id = p_destination_id
      AND m.id = ANY (p_message_ids);
    GET DIAGNOSTICS v_moved = ROW_COUNT;
    RETURN v_moved;
END;
$$;

COMMENT ON FUNCTION fastqueue._move_messages(uuid[], text, timestamptz) IS
    'Moves the given messages to queue p_destination_id with a fresh delivery count, '
    'retention and delivery delay; returns how many moved. The caller locks the rows.';

COMMIT;
