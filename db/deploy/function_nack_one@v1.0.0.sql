-- Deploy fastqueue:function_nack_one to pg
-- requires: table_message
-- requires: function_move_messages
-- Private helper: give one message back, or say why not.

BEGIN;

CREATE FUNCTION fastqueue._nack_one(p_message_id uuid, p_receipt uuid, p_now timestamptz)
RETURNS text
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_message fastqueue.message;
    v_queue fastqueue.queue;
BEGIN
    SELECT * INTO v_message FROM fastqueue.message WHERE id = p_message_id FOR UPDATE;
    IF NOT FOUND THEN
        RETURN 'unknown';
    END IF;
    IF p_receipt IS NOT NULL AND v_message.receipt IS DISTINCT FROM p_receipt THEN
        RETURN 'stale';
    END IF;
    -- Only a leased message can be given back; a waiting or delayed one stays as is.
    IF v_message.receipt IS NULL OR v_message.scheduled_at <= p_now THEN
        RETURN 'settled';
    END IF;

    SELECT * INTO v_queue FROM fastqueue.queue WHERE id = v_message.queue_id;
    IF v_message.delivery_attempts >= v_queue.message_max_deliveries THEN
        PERFORM fastqueue._move_messages(
            ARRAY[p_message_id], v_queue.dead_queue_id, p_now, v_queue.id);
    ELSE
        -- Visible now, behind the messages that were already waiting.
        UPDATE fastqueue.message
        SET scheduled_at = p_now, updated_at = p_now, receipt = NULL
        WHERE id = p_message_id;
    END IF;
    RETURN 'settled';
END;
$$;

COMMENT ON FUNCTION fastqueue._nack_one(uuid, uuid, timestamptz) IS
    'Gives a leased message back (visible at once, or to its dead queue after its last '
    'allowed delivery) and returns ''settled''; a message that is not leased is left alone '
    'and also ''settled''. Returns ''unknown'' or ''stale'' (receipt not current) otherwise.';

COMMIT;
