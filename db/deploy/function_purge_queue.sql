-- Deploy fastqueue:function_purge_queue to pg
-- requires: table_message

BEGIN;

CREATE FUNCTION fastqueue.purge_queue(p_queue_id text)
RETURNS bigint
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, fastqueue, pg_temp
AS $$
DECLARE
    v_deleted bigint;
BEGIN
    PERFORM FROM fastqueue.queue WHERE id = p_queue_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'queue "%" not found', p_queue_id USING ERRCODE = 'FQ002';
    END IF;
    DELETE FROM fastqueue.message WHERE queue_id = p_queue_id;
    GET DIAGNOSTICS v_deleted = ROW_COUNT;
    RETURN v_deleted;
END;
$$;

COMMENT ON FUNCTION fastqueue.purge_queue(text) IS
    'Deletes every message of a queue, leased or not, and returns how many. '
    'Raises FQ002 for an unknown queue.';

COMMIT;
