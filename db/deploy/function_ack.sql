-- Deploy fastqueue:function_ack to pg
-- requires: table_message

BEGIN;

CREATE FUNCTION fastqueue.ack(p_message_id uuid)
RETURNS void
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, fastqueue, pg_temp
AS $$
BEGIN
    DELETE FROM fastqueue.message WHERE id = p_message_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'message "%" not found', p_message_id USING ERRCODE = 'FQ003';
    END IF;
END;
$$;

COMMENT ON FUNCTION fastqueue.ack(uuid) IS
    'Acknowledges a message: it is done and deleted. Raises FQ003 for an unknown message '
    '(never published, already acked, expired or purged).';

COMMIT;
