-- Deploy fastqueue:function_nack to pg
-- requires: table_message
-- requires: function_move_messages

BEGIN;

CREATE FUNCTION fastqueue.nack(p_message_id uuid)
RETURNS void
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, fastqueue, pg_temp
AS $$
DECLARE
    v_now timestamptz := clock_timestamp();
    v_message fastqueue.message;
    v_queue fastqueue.queue;
BEGIN
    SELECT * INTO v_message FROM fastqueue.message WHERE id = p_message_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'message "%" not found', p_message_id USING ERRCODE = 'FQ003';
    END IF;
    -- Only a leased message can be given back; a waiting or delayed one stays as is.
    IF v_message.delivery_attempts = 0 OR v_message.scheduled_at <= v_now THEN
        RETURN;
    END IF;

    SELECT * INTO v_queue FROM fastqueue.queue WHERE id = v_message.queue_id;
    IF v_message.delivery_attempts >= v_queue.message_max_deliveries THEN
        PERFORM fastqueue._move_messages(ARRAY[p_message_id], v_queue.dead_queue_id, v_now);
    ELSE
        -- Visible now, behind the messages that were already waiting.
        UPDATE fastqueue.message
        SET scheduled_at = v_now, updated_at = v_now
        WHERE id = p_message_id;
    END IF;
END;
$$;

COMMENT ON FUNCTION fastqueue.nack(uuid) IS
    'Gives a leased message back: it is visible again at once, or moves to the dead queue if '
    'that was its last allowed delivery. Changes nothing for a message that is not leased. '
    'Raises FQ003 for an unknown message.';

COMMIT;
