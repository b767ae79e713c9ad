-- Deploy fastqueue:function_ack to pg
-- requires: table_message
-- requires: table_queue_tally
-- Reworked: counts the message out of its queue's tally in the statement that
-- deletes it, and plans that statement once.

BEGIN;

CREATE OR REPLACE FUNCTION fastqueue.ack(p_message_id uuid, p_receipt uuid DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, fastqueue, pg_temp
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
    v_acked integer;
BEGIN
    -- The statement counts the message out of its queue's tally itself, and the
    -- tally triggers skip it. A queue's tally rows live as long as the queue, so
    -- the update finds its row exactly when the delete found the message.
    PERFORM set_config('fastqueue.tally_by_caller', 'on', true);
    WITH acked AS (
        DELETE FROM fastqueue.message
        WHERE id = p_message_id
          AND (p_receipt IS NULL OR receipt = p_receipt)
        RETURNING queue_id
    )
    UPDATE fastqueue.queue_tally AS t
    SET messages = t.messages - 1
    FROM acked AS a
    WHERE t.queue_id = a.queue_id AND t.shard = pg_backend_pid() % 16;
    GET DIAGNOSTICS v_acked = ROW_COUNT;
    PERFORM set_config('fastqueue.tally_by_caller', 'off', true);
    IF v_acked > 0 THEN
        RETURN;
    END IF;
    PERFORM FROM fastqueue.message WHERE id = p_message_id;
    IF FOUND THEN
        RAISE EXCEPTION 'the receipt of message "%" is stale', p_message_id
            USING ERRCODE = 'FQ103',
                  HINT = 'The message was given back or leased again after this receipt.';
    END IF;
    RAISE EXCEPTION 'message "%" not found', p_message_id USING ERRCODE = 'FQ003';
END;
$$;

COMMENT ON FUNCTION fastqueue.ack(uuid, uuid) IS
    'Acknowledges a message: it is done and deleted. With p_receipt, only if that receipt '
    'is the message''s current one. Raises FQ003 for an unknown message (never published, '
    'already acked, expired or purged) and FQ103 for a stale receipt.';

COMMIT;
