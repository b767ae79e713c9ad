-- Deploy fastqueue:function_nack to pg
-- requires: function_nack_one
-- requires: setting_backoff

-- Plans its statements once per session: planned anew at every call, they cost
-- a lease + nack cycle a quarter of its throughput. Without sequential scans, so
-- that a plan made while the messages table looked empty still finds messages
-- through the indexes once it is full.

BEGIN;

-- Reworked: a nack may ask for its own delay. The new argument goes last, with a
-- default; the old signature goes, or calls with two arguments would be ambiguous.
DROP FUNCTION fastqueue.nack(uuid, uuid);

CREATE FUNCTION fastqueue.nack(
    p_message_id uuid,
    p_receipt uuid DEFAULT NULL,
    p_delay_seconds integer DEFAULT NULL
)
RETURNS void
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, fastqueue, pg_temp
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off
AS $$
BEGIN
    IF p_delay_seconds IS NOT NULL THEN
        PERFORM fastqueue._check_bound('nack_delay_seconds', p_delay_seconds);
    END IF;
    CASE fastqueue._nack_one(p_message_id, p_receipt, clock_timestamp(), p_delay_seconds)
        WHEN 'unknown' THEN
            RAISE EXCEPTION 'message "%" not found', p_message_id USING ERRCODE = 'FQ003';
        WHEN 'stale' THEN
            RAISE EXCEPTION 'the receipt of message "%" is stale', p_message_id
                USING ERRCODE = 'FQ103',
                      HINT = 'The message was given back or leased again after this receipt.';
        ELSE
            RETURN;
    END CASE;
END;
$$;

COMMENT ON FUNCTION fastqueue.nack(uuid, uuid, integer) IS
    'Gives a leased message back: it moves to the dead queue if that was its last allowed '
    'delivery, else it is visible again after p_delay_seconds (0 to nack_delay_seconds), '
    'or without it after the queue''s retry back-off, or at once; until then it counts as '
    'delayed. Changes nothing for a message that is not leased. With p_receipt, only if '
    'that receipt is the current one. Raises FQ003 for an unknown message, FQ103 for a '
    'stale receipt and FQ202 for a delay out of bounds.';

-- Dropping the old signature took its grant with it.
GRANT EXECUTE ON FUNCTION fastqueue.nack(uuid, uuid, integer) TO fastqueue_consumer;

COMMIT;
