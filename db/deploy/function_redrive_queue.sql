-- Deploy fastqueue:function_redrive_queue to pg
-- requires: table_message
-- requires: function_move_messages

BEGIN;

CREATE FUNCTION fastqueue.redrive_queue(p_queue_id text, p_destination_queue_id text)
RETURNS bigint
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, fastqueue, pg_temp
AS $$
DECLARE
    v_now timestamptz := clock_timestamp();
    v_queue fastqueue.queue;
    v_available uuid[];
BEGIN
    SELECT * INTO v_queue FROM fastqueue.queue WHERE id = p_queue_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'queue "%" not found', p_queue_id USING ERRCODE = 'FQ002';
    END IF;
    IF p_destination_queue_id = p_queue_id THEN
        RAISE EXCEPTION 'cannot redrive queue "%" to itself', p_queue_id
            USING ERRCODE = 'FQ209';
    END IF;
    PERFORM FROM fastqueue.queue WHERE id = p_destination_queue_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'destination queue "%" does not exist', p_destination_queue_id
            USING ERRCODE = 'FQ208';
    END IF;

    -- Only available messages move: leased ones stay with their consumer, and the
    -- destination's filter does not apply.
    -- TODO: move in batches once a single redrive of millions holds locks too long.
    SELECT array_agg(m.id) INTO v_available
    FROM (
        SELECT m.id
        FROM fastqueue.message AS m
        WHERE m.queue_id = p_queue_id
          AND m.scheduled_at <= v_now
          AND m.expired_at > v_now
          AND m.delivery_attempts < coalesce(v_queue.message_max_deliveries, 2147483647)
        FOR UPDATE SKIP LOCKED
    ) AS m;
    RETURN fastqueue._move_messages(v_available, p_destination_queue_id, v_now);
END;
$$;

COMMENT ON FUNCTION fastqueue.redrive_queue(text, text) IS
    'Moves the available messages of a queue to another one, as new messages there (same id '
    'and created_at, delivery count 0, the destination''s retention and delivery delay); '
    'returns how many moved. Raises FQ002 for an unknown queue, FQ208 for an unknown '
    'destination and FQ209 for the queue itself.';

COMMIT;
