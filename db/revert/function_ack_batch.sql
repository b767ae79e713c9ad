-- Revert fastqueue:function_ack_batch from pg
-- Back to the released version (@v1.0.0), which leaves the tally to the delete trigger.

BEGIN;

CREATE OR REPLACE FUNCTION fastqueue.ack_batch(p_messages jsonb)
RETURNS fastqueue.settle_result
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, fastqueue, pg_temp
AS $$
DECLARE
    v_result fastqueue.settle_result;
BEGIN
    PERFORM fastqueue._check_settle_batch(p_messages);

    -- ---- one statement ---------------------------------------------------------
    -- Rows are locked in id order, as nack_batch locks them, so that batches with
    -- common messages never deadlock. What was not deleted either still exists
    -- (the receipt was stale) or did not exist when the statement started (unknown).
    WITH wanted AS (
        SELECT (e.item ->> 'id')::uuid AS id, (e.item ->> 'receipt')::uuid AS receipt
        FROM jsonb_array_elements(p_messages) AS e (item)
    ), locked AS MATERIALIZED (
        SELECT m.id
        FROM fastqueue.message AS m
        JOIN wanted AS w ON w.id = m.id
        WHERE w.receipt IS NULL OR m.receipt = w.receipt
        ORDER BY m.id
        FOR UPDATE OF m
    ), acked AS (
        DELETE FROM fastqueue.message AS m
        USING locked AS l
        WHERE m.id = l.id
        RETURNING m.id
    )
    SELECT coalesce(array_agg(w.id ORDER BY w.id) FILTER (WHERE a.id IS NOT NULL), '{}'),
           coalesce(array_agg(w.id ORDER BY w.id) FILTER (
               WHERE a.id IS NULL AND m.id IS NULL), '{}'),
           coalesce(array_agg(w.id ORDER BY w.id) FILTER (
               WHERE a.id IS NULL AND m.id IS NOT NULL), '{}')
    INTO v_result
    FROM wanted AS w
    LEFT JOIN acked AS a ON a.id = w.id
    LEFT JOIN fastqueue.message AS m ON m.id = w.id;
    RETURN v_result;
END;
$$;

COMMENT ON FUNCTION fastqueue.ack_batch(jsonb) IS
    'Acknowledges 1 to batch_size messages given as a JSON array of {"id": uuid, "receipt": '
    'uuid} (receipt optional) and returns which were settled, unknown, or refused because '
    'the receipt was stale, each list ordered by id; one bad id does not stop the others. '
    'Raises FQ206 for a body that is not an array of such objects or that names a message '
    'twice, FQ202 for a size out of bounds and 22P02 for a value that is not a UUID.';

COMMIT;
