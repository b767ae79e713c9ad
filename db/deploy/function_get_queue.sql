-- Deploy fastqueue:function_get_queue to pg
-- requires: table_queue

BEGIN;

CREATE FUNCTION fastqueue.get_queue(p_queue_id text)
RETURNS fastqueue.queue
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, fastqueue, pg_temp
AS $$
DECLARE
    v_queue fastqueue.queue;
BEGIN
    SELECT * INTO v_queue FROM fastqueue.queue WHERE id = p_queue_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'queue "%" not found', p_queue_id USING ERRCODE = 'FQ002';
    END IF;
    RETURN v_queue;
END;
$$;

COMMENT ON FUNCTION fastqueue.get_queue(text) IS
    'Returns one queue. Raises FQ002 if there is none with that id.';

COMMIT;
