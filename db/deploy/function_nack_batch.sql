-- Deploy fastqueue:function_nack_batch to pg
-- requires: function_nack_one
-- requires: type_settle_result
-- requires: function_check_bound

BEGIN;

CREATE FUNCTION fastqueue.nack_batch(p_messages jsonb)
RETURNS fastqueue.settle_result
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, fastqueue, pg_temp
AS $$
DECLARE
    v_now timestamptz := clock_timestamp();
    v_position bigint;
    v_repeated uuid;
    v_item record;
    v_result fastqueue.settle_result := ROW('{}', '{}', '{}');
BEGIN
    -- ---- the items: each an object of a message id and an optional receipt ------
    IF jsonb_typeof(p_messages) IS DISTINCT FROM 'array' THEN
        RAISE EXCEPTION 'messages must be a JSON array' USING ERRCODE = 'FQ206';
    END IF;
    PERFORM fastqueue._check_bound('batch_size', jsonb_array_length(p_messages));
    SELECT e.position INTO v_position
    FROM jsonb_array_elements(p_messages) WITH ORDINALITY AS e (item, position)
    WHERE jsonb_typeof(e.item) IS DISTINCT FROM 'object'
       OR jsonb_typeof(e.item -> 'id') IS DISTINCT FROM 'string'
       OR jsonb_typeof(coalesce(e.item -> 'receipt', 'null')) NOT IN ('string', 'null')
       OR e.item - ARRAY['id', 'receipt'] <> '{}'
    ORDER BY e.position
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'message %: must be an object of id and receipt', v_position
            USING ERRCODE = 'FQ206';
    END IF;
    -- One outcome per message: two receipts for one id would have two.
    SELECT (e.item ->> 'id')::uuid INTO v_repeated
    FROM jsonb_array_elements(p_messages) AS e (item)
    GROUP BY 1
    HAVING count(*) > 1
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'message "%" appears more than once', v_repeated
            USING ERRCODE = 'FQ206';
    END IF;

    -- ---- one message at a time -------------------------------------------------
    -- In id order, so that two batches with common messages lock them in one order.
    FOR v_item IN
        SELECT (e.item ->> 'id')::uuid AS id, (e.item ->> 'receipt')::uuid AS receipt
        FROM jsonb_array_elements(p_messages) AS e (item)
        ORDER BY 1
    LOOP
        CASE fastqueue._nack_one(v_item.id, v_item.receipt, v_now)
            WHEN 'settled' THEN v_result.settled := v_result.settled || v_item.id;
            WHEN 'unknown' THEN v_result.unknown := v_result.unknown || v_item.id;
            ELSE v_result.stale := v_result.stale || v_item.id;
        END CASE;
    END LOOP;
    RETURN v_result;
END;
$$;

COMMENT ON FUNCTION fastqueue.nack_batch(jsonb) IS
    'Gives back 1 to batch_size messages given as a JSON array of {"id": uuid, "receipt": '
    'uuid} (receipt optional), as fastqueue.nack does each, and returns which were settled, '
    'unknown, or refused because the receipt was stale, each list ordered by id. Raises '
    'FQ206 for a body that is not an array of such objects or that names a message twice, '
    'FQ202 for a size out of bounds and 22P02 for a value that is not a UUID.';

COMMIT;
