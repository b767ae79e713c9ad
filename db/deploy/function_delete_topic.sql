-- Deploy fastqueue:function_delete_topic to pg
-- requires: table_queue

BEGIN;

CREATE FUNCTION fastqueue.delete_topic(p_topic_id text)
RETURNS void
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, fastqueue, pg_temp
AS $$
BEGIN
    -- The foreign key detaches the topic's queues; they and their messages stay.
    DELETE FROM fastqueue.topic WHERE id = p_topic_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'topic "%" not found', p_topic_id USING ERRCODE = 'FQ001';
    END IF;
END;
$$;

COMMENT ON FUNCTION fastqueue.delete_topic(text) IS
    'Deletes a topic; its queues stay, detached, with their messages. '
    'Raises FQ001 if there is no such topic.';

COMMIT;
