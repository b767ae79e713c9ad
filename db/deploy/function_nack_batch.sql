-- Deploy fastqueue:function_nack_batch to pg
-- requires: function_nack_one
-- requires: type_settle_result
-- requires: function_check_settle_batch
-- requires: setting_backoff

-- Plans its statements once per session: planned anew at every call, they cost
-- lease 10 + nack_batch half of its throughput. Without sequential scans, so that
-- a plan made while the messages table looked empty still finds messages through
-- the indexes once it is full.

BEGIN;

-- Reworked: an item may carry its own delay_seconds.
CREATE OR REPLACE FUNCTION fastqueue.nack_batch(p_messages jsonb)
RETURNS fastqueue.settle_result
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, fastqueue, pg_temp
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off
AS $$
DECLARE
    v_now timestamptz := clock_timestamp();
    v_item record;
    v_result fastqueue.settle_result := ROW('{}', '{}', '{}');
BEGIN
    PERFORM fastqueue._check_settle_batch(p_messages, p_with_delay => true);

    -- ---- one message at a time -------------------------------------------------
    -- In id order, so that two batches with common messages lock them in one order.
    FOR v_item IN
        SELECT (e.item ->> 'id')::uuid AS id, (e.item ->> 'receipt')::uuid AS receipt,
               (e.item ->> 'delay_seconds')::integer AS delay_seconds
        FROM jsonb_array_elements(p_messages) AS e (item)
        ORDER BY 1
    LOOP
        CASE fastqueue._nack_one(v_item.id, v_item.receipt, v_now, v_item.delay_seconds)
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
    'uuid, "delay_seconds": integer} (receipt and delay optional), as fastqueue.nack does '
    'each, and returns which were settled, unknown, or refused because the receipt was '
    'stale, each list ordered by id. Raises FQ206 for a body that is not an array of such '
    'objects or that names a message twice, FQ202 for a size or delay out of bounds and '
    '22P02 for a value that is not a UUID or a delay that is not an integer.';

COMMIT;
