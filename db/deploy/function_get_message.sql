-- Deploy fastqueue:function_get_message to pg
-- requires: table_message
-- requires: type_message_info

BEGIN;

CREATE FUNCTION fastqueue.get_message(p_message_id uuid)
RETURNS fastqueue.message_info
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, fastqueue, pg_temp
AS $$
DECLARE
    v_message fastqueue.message_info;
BEGIN
    SELECT m.id, m.queue_id, m.data, m.attributes, m.delivery_attempts,
           m.expired_at, m.scheduled_at, m.created_at, m.updated_at,
           NULL::uuid, m.dead_lettered_from, m.dead_lettered_at
    INTO v_message
    FROM fastqueue.message AS m
    WHERE m.id = p_message_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'message "%" not found', p_message_id USING ERRCODE = 'FQ003';
    END IF;
    RETURN v_message;
END;
$$;

COMMENT ON FUNCTION fastqueue.get_message(uuid) IS
    'Returns one message without leasing it (its receipt is not shown). Raises FQ003 for an '
    'unknown message.';

COMMIT;
