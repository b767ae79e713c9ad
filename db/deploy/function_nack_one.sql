-- Deploy fastqueue:function_nack_one to pg
-- requires: table_message
-- requires: function_move_messages
-- requires: table_queue_retry_backoff
-- requires: function_retry_backoff_seconds
-- requires: function_wake_queues
-- Private helper: give one message back, or say why not.

BEGIN;

-- Reworked: a nack may hold the message back, for the delay asked or the queue's
-- back-off. The old signature goes, or calls with three arguments would be ambiguous.
DROP FUNCTION fastqueue._nack_one(uuid, uuid, timestamptz);

CREATE FUNCTION fastqueue._nack_one(
    p_message_id uuid,
    p_receipt uuid,
    p_now timestamptz,
    p_delay_seconds integer DEFAULT NULL
)
RETURNS text
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_message fastqueue.message;
    v_queue fastqueue.queue;
    v_delay_seconds integer;
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
        -- Its last delivery failed: no delay holds it back from the dead queue.
        PERFORM fastqueue._move_messages(
            ARRAY[p_message_id], v_queue.dead_queue_id, p_now, v_queue.id);
        RETURN 'settled';
    END IF;

    -- The delay asked for wins over the queue's back-off; without either the message is
    -- visible now. Either way it goes behind the messages already waiting, and without
    -- a receipt it counts as delayed, not leased, until then.
    v_delay_seconds := coalesce(
        p_delay_seconds,
        fastqueue._retry_backoff_seconds(
            v_queue.retry_min_backoff_seconds, v_queue.retry_max_backoff_seconds,
            v_message.delivery_attempts),
        0);
    UPDATE fastqueue.message
    SET scheduled_at = p_now + make_interval(secs => v_delay_seconds),
        updated_at = p_now,
        receipt = NULL
    WHERE id = p_message_id;
    -- Long polls waiting on the queue look again: for the message now, or to learn
    -- when its delay ends.
    PERFORM fastqueue._wake_queues(ARRAY[v_message.queue_id]);
    RETURN 'settled';
END;
$$;

COMMENT ON FUNCTION fastqueue._nack_one(uuid, uuid, timestamptz, integer) IS
    'Gives a leased message back and returns ''settled'': to its dead queue after its last '
    'allowed delivery, else visible again after p_delay_seconds, or without it after the '
    'queue''s retry back-off, or at once. A message that is not leased is left alone and '
    'also ''settled''. Returns ''unknown'' or ''stale'' (receipt not current) otherwise. '
    'The caller checks p_delay_seconds against the nack_delay_seconds setting.';

COMMIT;
