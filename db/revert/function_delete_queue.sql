-- Revert fastqueue:function_delete_queue from pg
-- Back to the release's version, which wakes no long poll.

BEGIN;

CREATE OR REPLACE FUNCTION fastqueue.delete_queue(p_queue_id text)
RETURNS void
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, fastqueue, pg_temp
AS $$
BEGIN
    PERFORM fastqueue._lock_queue_changes();
    -- Queues that dead-letter into this one stop doing so; their capped messages
    -- become deliverable again rather than being dropped.
    UPDATE fastqueue.queue
    SET dead_queue_id = NULL,
        message_max_deliveries = NULL,
        updated_at = clock_timestamp()
    WHERE dead_queue_id = p_queue_id;

    -- The queue's messages go with it (foreign key ON DELETE CASCADE).
    DELETE FROM fastqueue.queue WHERE id = p_queue_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'queue "%" not found', p_queue_id USING ERRCODE = 'FQ002';
    END IF;
END;
$$;

COMMENT ON FUNCTION fastqueue.delete_queue(text) IS
    'Deletes a queue and its messages, and detaches it from queues that used it as their '
    'dead queue (clearing their message_max_deliveries). Raises FQ002 for an unknown queue.';

COMMIT;
