-- Deploy fastqueue:function_check_settle_batch to pg
-- requires: function_check_bound
-- Private helper: refuse a batch of messages to ack or nack that is not well formed.

BEGIN;

CREATE FUNCTION fastqueue._check_settle_batch(p_messages jsonb)
RETURNS void
LANGUAGE plpgsql
STABLE
AS $$
DECLARE
    v_position bigint;
    v_repeated uuid;
BEGIN
    IF jsonb_typeof(p_messages) IS DISTINCT FROM 'array' THEN
        RAISE EXCEPTION 'messages must be a JSON array' USING ERRCODE = 'FQ206';
    END IF;
    PERFORM fastqueue._check_bound('batch_size', jsonb_array_length(p_messages));

    -- Each item: an object of a message id and an optional receipt.
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
END;
$$;

COMMENT ON FUNCTION fastqueue._check_settle_batch(jsonb) IS
    'Raises FQ206 unless p_messages is a JSON array of objects {"id": uuid, "receipt": '
    'uuid} (receipt optional) naming each id once, FQ202 for a size outside batch_size, '
    'and 22P02 for an id that is not a UUID.';

COMMIT;
