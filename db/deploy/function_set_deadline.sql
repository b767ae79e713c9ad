-- Deploy fastqueue:function_set_deadline to pg
-- requires: table_message
-- requires: type_message_info
-- requires: function_check_bound
-- requires: function_wake_queues

-- Plans its statements once per session: planned anew at every call, they cost
-- a lease + set_deadline cycle a quarter of its throughput. Without sequential
-- scans, so that a plan made while the messages table looked empty still finds
-- messages through the indexes once it is full.

BEGIN;

CREATE OR REPLACE FUNCTION fastqueue.set_deadline(
    p_message_id uuid,
    p_seconds integer,
    p_receipt uuid DEFAULT NULL
)
RETURNS fastqueue.message_info
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, fastqueue, pg_temp
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off
AS $$
DECLARE
    v_now timestamptz := clock_timestamp();
    v_message fastqueue.message;
    v_old_deadline timestamptz;
BEGIN
    PERFORM fastqueue._check_bound('lease_extension_seconds', p_seconds);
    SELECT * INTO v_message FROM fastqueue.message WHERE id = p_message_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'message "%" not found', p_message_id USING ERRCODE = 'FQ003';
    END IF;
    IF p_receipt IS NOT NULL AND v_message.receipt IS DISTINCT FROM p_receipt THEN
        RAISE EXCEPTION 'the receipt of message "%" is stale', p_message_id
            USING ERRCODE = 'FQ103',
                  HINT = 'The message was given back or leased again after this receipt.';
    END IF;
    IF v_message.receipt IS NULL OR v_message.scheduled_at <= v_now THEN
        RAISE EXCEPTION 'message "%" is not leased', p_message_id
            USING ERRCODE = 'FQ104',
                  HINT = 'Only a message whose lease has not run out has a deadline to move.';
    END IF;
    v_old_deadline := v_message.scheduled_at;

    UPDATE fastqueue.message AS m
    SET scheduled_at = v_now + make_interval(secs => p_seconds), updated_at = v_now
    WHERE m.id = p_message_id
    RETURNING * INTO v_message;
    -- Long polls waiting on the queue may be sleeping until the old deadline: an
    -- earlier one wakes them to look again.
    IF v_message.scheduled_at < v_old_deadline THEN
        PERFORM fastqueue._wake_queues(ARRAY[v_message.queue_id]);
    END IF;
    RETURN ROW(v_message.id, v_message.queue_id, v_message.data, v_message.attributes,
               v_message.delivery_attempts, v_message.expired_at, v_message.scheduled_at,
               v_message.created_at, v_message.updated_at, v_message.receipt,
               v_message.dead_lettered_from, v_message.dead_lettered_at
           )::fastqueue.message_info;
END;
$$;

COMMENT ON FUNCTION fastqueue.set_deadline(uuid, integer, uuid) IS
    'Moves the ack deadline of a leased message to p_seconds (0-600) from now; 0 makes it '
    'visible again at once, keeping its delivery count; a deadline moved earlier wakes the '
    'long polls of the queue. Returns the message. Raises FQ003 '
    'for an unknown message, FQ103 for a stale receipt, FQ104 when the message is not '
    'leased and FQ202 for seconds out of bounds.';

COMMIT;
