-- Revert fastqueue:function_replace_queue from pg
-- Back to the definition of v1.0.0.
-- Private helper: store a new definition of an existing queue.

BEGIN;

CREATE OR REPLACE FUNCTION fastqueue._replace_queue(p_queue fastqueue.queue)
RETURNS fastqueue.queue
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_queue fastqueue.queue;
BEGIN
    PERFORM fastqueue._lock_queue_changes();
    -- Under REPEATABLE READ, a row changed since the snapshot raises a
    -- serialization failure here rather than being overwritten.
    PERFORM FROM fastqueue.queue WHERE id = p_queue.id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'queue "%" not found', p_queue.id USING ERRCODE = 'FQ002';
    END IF;
    PERFORM fastqueue._check_queue(p_queue);

    UPDATE fastqueue.queue
    SET topic_id = p_queue.topic_id,
        dead_queue_id = p_queue.dead_queue_id,
        ack_deadline_seconds = p_queue.ack_deadline_seconds,
        message_retention_seconds = p_queue.message_retention_seconds,
        message_filters = p_queue.message_filters,
        message_max_deliveries = p_queue.message_max_deliveries,
        delivery_delay_seconds = p_queue.delivery_delay_seconds,
        updated_at = clock_timestamp()
    WHERE id = p_queue.id
    RETURNING * INTO v_queue;
    RETURN v_queue;
END;
$$;

COMMENT ON FUNCTION fastqueue._replace_queue(fastqueue.queue) IS
    'Replaces the definition of queue p_queue.id, keeping created_at. Raises FQ002 if it '
    'does not exist, and what fastqueue._check_queue raises.';

COMMIT;
