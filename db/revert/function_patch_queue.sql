-- Revert fastqueue:function_patch_queue from pg
-- Back to the definition of v1.0.0.

BEGIN;

CREATE OR REPLACE FUNCTION fastqueue.patch_queue(p_queue_id text, p_changes jsonb)
RETURNS fastqueue.queue
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, fastqueue, pg_temp
AS $$
DECLARE
    v_queue fastqueue.queue;
    v_unknown text;
BEGIN
    IF jsonb_typeof(p_changes) IS DISTINCT FROM 'object' THEN
        RAISE EXCEPTION 'changes must be a JSON object' USING ERRCODE = 'FQ210';
    END IF;
    SELECT string_agg(key, ', ' ORDER BY key) INTO v_unknown
    FROM jsonb_object_keys(p_changes) AS key
    WHERE key NOT IN ('topic_id', 'dead_queue_id', 'ack_deadline_seconds',
                      'message_retention_seconds', 'message_filters',
                      'message_max_deliveries', 'delivery_delay_seconds');
    IF v_unknown IS NOT NULL THEN
        RAISE EXCEPTION 'cannot change %', v_unknown USING ERRCODE = 'FQ210';
    END IF;

    -- Read under the lock, so that a concurrent change is not undone.
    PERFORM fastqueue._lock_queue_changes();
    SELECT * INTO v_queue FROM fastqueue.queue WHERE id = p_queue_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'queue "%" not found', p_queue_id USING ERRCODE = 'FQ002';
    END IF;
    -- Fields named in the changes take their new value (JSON null clears them);
    -- the others keep theirs.
    v_queue := jsonb_populate_record(v_queue, p_changes);
    RETURN fastqueue._replace_queue(v_queue);
END;
$$;

COMMENT ON FUNCTION fastqueue.patch_queue(text, jsonb) IS
    'Changes only the fields named in p_changes (a JSON object; null clears a field) and '
    'returns the queue. Raises FQ210 for a field that cannot be changed, FQ002 for an unknown '
    'queue, 22P02 for a value of the wrong type, and FQ201-FQ208 for an invalid result.';

COMMIT;
