-- Revert fastqueue:function_nack from pg
-- Back to the signature and definition of v1.0.0, and its grant.

BEGIN;

DROP FUNCTION fastqueue.nack(uuid, uuid, integer);

CREATE FUNCTION fastqueue.nack(p_message_id uuid, p_receipt uuid DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, fastqueue, pg_temp
AS $$
BEGIN
    CASE fastqueue._nack_one(p_message_id, p_receipt, clock_timestamp())
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

COMMENT ON FUNCTION fastqueue.nack(uuid, uuid) IS
    'Gives a leased message back: it is visible again at once, or moves to the dead queue if '
    'that was its last allowed delivery. Changes nothing for a message that is not leased. '
    'With p_receipt, only if that receipt is the current one. Raises FQ003 for an unknown '
    'message and FQ103 for a stale receipt.';

GRANT EXECUTE ON FUNCTION fastqueue.nack(uuid, uuid) TO fastqueue_consumer;

COMMIT;
