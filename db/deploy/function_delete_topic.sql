-- Deploy fastqueue:function_delete_topic to pg
-- requires: table_queue
-- requires: function_lock_queue_changes
-- requires: table_idempotency_key

BEGIN;

CREATE FUNCTION fastqueue.delete_topic(p_topic_id text)
RETURNS void
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, fastqueue, pg_temp
AS $$
BEGIN
    PERFORM fastqueue._lock_queue_changes();
    -- The topic's queues stay, detached, with their messages.
    UPDATE fastqueue.queue
    SET topic_id = NULL, updated_at = clock_timestamp()
    WHERE topic_id = p_topic_id;
    DELETE FROM fastqueue.topic WHERE id = p_topic_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'topic "%" not found', p_topic_id USING ERRCODE = 'FQ001';
    END IF;
    -- A topic created later under the same id starts with no idempotency keys.
    DELETE FROM fastqueue.idempotency_key WHERE topic_id = p_topic_id;
END;
$$;

COMMENT ON FUNCTION fastqueue.delete_topic(text) IS
    'Deletes a topic and its idempotency keys; its queues stay, detached, with their '
    'messages. Raises FQ001 if there is no such topic.';

COMMIT;
