-- Deploy fastqueue:function_ack to pg
-- requires: table_message
-- requires: table_queue_tally
-- Reworked: counts the message out of its queue's tally itself, and plans its
-- statements once. A plan made once lives until the table is analyzed again: one
-- made while the table looked empty would read every message to find one, so
-- sequential scans are off and the primary key is the plan.

BEGIN;

CREATE OR REPLACE FUNCTION fastqueue.ack(p_message_id uuid, p_receipt uuid DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, fastqueue, pg_temp
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off
AS $$
DECLARE
    v_queue_id text;
BEGIN
    -- The delete counts the message out of its queue's tally itself, and the tally
    -- triggers skip it. The update is a statement of its own: the message may have
    -- moved, while the delete waited for its lock, to a queue created after the
    -- delete's snapshot, whose tally rows only a new snapshot sees.
    PERFORM set_config('fastqueue.tally_by_caller', 'on', true);
    DELETE FROM fastqueue.message
    WHERE id = p_message_id
      AND (p_receipt IS NULL OR receipt = p_receipt)
    RETURNING queue_id INTO v_queue_id;
    PERFORM set_config('fastqueue.tally_by_caller', 'off', true);
    IF v_queue_id IS NOT NULL THEN
        UPDATE fastqueue.queue_tally
        SET messages = messages - 1
        WHERE queue_id = v_queue_id AND shard = pg_backend_pid() % 16;
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
