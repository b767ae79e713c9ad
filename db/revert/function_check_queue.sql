-- Revert fastqueue:function_check_queue from pg
-- The definition of v1.0.0, without the retry back-off.
-- Private helper: refuse a queue definition that breaks a rule.

BEGIN;

CREATE OR REPLACE FUNCTION fastqueue._check_queue(p_queue fastqueue.queue)
RETURNS void
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_seen text[];
    v_next text;
BEGIN
    PERFORM fastqueue._check_id('queue', p_queue.id);
    PERFORM fastqueue._check_bound('ack_deadline_seconds', p_queue.ack_deadline_seconds);
    PERFORM fastqueue._check_bound(
        'message_retention_seconds', p_queue.message_retention_seconds);
    IF p_queue.delivery_delay_seconds IS NOT NULL THEN
        PERFORM fastqueue._check_bound('delivery_delay_seconds', p_queue.delivery_delay_seconds);
    END IF;

    IF p_queue.topic_id IS NOT NULL
       AND NOT EXISTS (SELECT FROM fastqueue.topic WHERE id = p_queue.topic_id) THEN
        RAISE EXCEPTION 'topic "%" does not exist', p_queue.topic_id USING ERRCODE = 'FQ207';
    END IF;

    -- A filter maps attribute names to the non-empty list of values it accepts.
    IF p_queue.message_filters IS NOT NULL AND (
        jsonb_typeof(p_queue.message_filters) <> 'object'
        OR EXISTS (
            SELECT FROM jsonb_each(p_queue.message_filters) AS f (key, accepted)
            WHERE CASE
                WHEN jsonb_typeof(f.accepted) <> 'array' THEN true
                WHEN jsonb_array_length(f.accepted) = 0 THEN true
                ELSE EXISTS (
                    SELECT FROM jsonb_array_elements(f.accepted) AS v (value)
                    WHERE jsonb_typeof(v.value) <> 'string')
            END)) THEN
        RAISE EXCEPTION 'message_filters must map attribute names to lists of strings'
            USING ERRCODE = 'FQ205',
                  HINT = 'For example {"event_name": ["created", "deleted"]}.';
    END IF;

    IF (p_queue.dead_queue_id IS NULL) <> (p_queue.message_max_deliveries IS NULL) THEN
        RAISE EXCEPTION 'dead_queue_id and message_max_deliveries must be given together'
            USING ERRCODE = 'FQ203';
    END IF;
    IF p_queue.dead_queue_id IS NULL THEN
        RETURN;
    END IF;
    PERFORM fastqueue._check_bound('message_max_deliveries', p_queue.message_max_deliveries);
    IF p_queue.dead_queue_id = p_queue.id THEN
        RAISE EXCEPTION 'queue "%" cannot be its own dead queue', p_queue.id
            USING ERRCODE = 'FQ204';
    END IF;
    IF NOT EXISTS (SELECT FROM fastqueue.queue WHERE id = p_queue.dead_queue_id) THEN
        RAISE EXCEPTION 'dead queue "%" does not exist', p_queue.dead_queue_id
            USING ERRCODE = 'FQ208';
    END IF;
    -- Follow the chain of dead queues from the new one; reaching this queue means
    -- a message could be dead-lettered round in a circle. FOR SHARE makes a caller
    -- under REPEATABLE READ fail to serialize rather than miss a newer link.
    v_seen := ARRAY[p_queue.id];
    v_next := p_queue.dead_queue_id;
    WHILE v_next IS NOT NULL AND NOT v_next = ANY (v_seen) LOOP
        v_seen := v_seen || v_next;
        SELECT q.dead_queue_id INTO v_next
        FROM fastqueue.queue AS q
        WHERE q.id = v_next
        FOR SHARE;
    END LOOP;
    IF v_next = p_queue.id THEN
        RAISE EXCEPTION 'dead queue "%" would close a cycle of dead queues through "%"',
                p_queue.dead_queue_id, p_queue.id
            USING ERRCODE = 'FQ204';
    END IF;
END;
$$;

COMMENT ON FUNCTION fastqueue._check_queue(fastqueue.queue) IS
    'Raises unless the queue definition is valid: FQ201 id, FQ202 bounds, FQ203 dead queue '
    'without max deliveries or the reverse, FQ204 own or cyclic dead queue, FQ205 filters, '
    'FQ207 unknown topic, FQ208 unknown dead queue. The caller holds '
    'fastqueue._lock_queue_changes().';

COMMIT;
