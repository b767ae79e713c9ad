-- Deploy fastqueue:function_ack to pg
-- requires: table_message

BEGIN;

CREATE FUNCTION fastqueue.ack(p_message_id uuid, p_receipt uuid DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, fastqueue, pg_temp
AS $$
BEGIN
    DELETE FROM fastqueue.message
    WHERE id = p_message_id
      AND (p_receipt IS NULL OR receipt = p_receipt);
    IF FOUND THEN
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
