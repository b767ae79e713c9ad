-- Deploy fastqueue:function_check_settle_batch to pg
-- requires: function_check_bound
-- requires: setting_backoff
-- Private helper: refuse a batch of messages to ack or nack that is not well formed.

BEGIN;

-- Reworked: the items of a nack may carry a delay. The new argument has a default, so
-- ack_batch calls it as before; the old signature goes, or that call would be ambiguous.
DROP FUNCTION fastqueue._check_settle_batch(jsonb);

CREATE FUNCTION fastqueue._check_settle_batch(
    p_messages jsonb,
    p_with_delay boolean DEFAULT false
)
RETURNS void
LANGUAGE plpgsql
STABLE
AS $$
DECLARE
    v_keys text[] := CASE WHEN p_with_delay THEN ARRAY['id', 'receipt', 'delay_seconds']
                          ELSE ARRAY['id', 'receipt'] END;
    -- How the error describes an item; for an ack, as v1.0.0 did.
    v_shape text := CASE WHEN p_with_delay THEN 'id, receipt and delay_seconds'
                         ELSE 'id and receipt' END;
    v_position bigint;
    v_repeated uuid;
    v_delay integer;
BEGIN
    IF jsonb_typeof(p_messages) IS DISTINCT FROM 'array' THEN
        RAISE EXCEPTION 'messages must be a JSON array' USING ERRCODE = 'FQ206';
    END IF;
    PERFORM fastqueue._check_bound('batch_size', jsonb_array_length(p_messages));

    -- Each item: an object of a message id, an optional receipt and, for a nack, an
    -- optional delay.
    SELECT e.position INTO v_position
    FROM jsonb_array_elements(p_messages) WITH ORDINALITY AS e (item, position)
    WHERE jsonb_typeof(e.item) IS DISTINCT FROM 'object'
       OR jsonb_typeof(e.item -> 'id') IS DISTINCT FROM 'string'
       OR jsonb_typeof(coalesce(e.item -> 'receipt', 'null')) NOT IN ('string', 'null')
       OR jsonb_typeof(coalesce(e.item -> 'delay_seconds', 'null')) NOT IN ('number', 'null')
       OR e.item - v_keys <> '{}'
    ORDER BY e.position
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'message %: must be an object of %', v_position, v_shape
            USING ERRCODE = 'FQ206';
    END IF;

    -- A delay that is not a whole number fails its cast with 22P02.
    FOR v_delay IN
        SELECT (e.item ->> 'delay_seconds')::integer
        FROM jsonb_array_elements(p_messages) AS e (item)
        WHERE e.item ->> 'delay_seconds' IS NOT NULL
    LOOP
        PERFORM fastqueue._check_bound('nack_delay_seconds', v_delay);
    END LOOP;

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

COMMENT ON FUNCTION fastqueue._check_settle_batch(jsonb, boolean) IS
    'Raises FQ206 unless p_messages is a JSON array of objects {"id": uuid, "receipt": '
    'uuid} (receipt optional; with p_with_delay also "delay_seconds", optional) naming each '
    'id once, FQ202 for a size outside batch_size or a delay outside nack_delay_seconds, '
    'and 22P02 for an id that is not a UUID or a delay that is not an integer.';

COMMIT;
