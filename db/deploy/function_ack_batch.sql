-- Deploy fastqueue:function_ack_batch to pg
-- requires: table_message
-- requires: type_settle_result
-- requires: function_check_settle_batch
-- requires: table_queue_tally
-- Reworked: counts its messages out of the queue tallies in the statement that
-- deletes them.

-- Plans its statements once per session: planned anew at every call, they cost
-- lease 10 + ack_batch about 8% of its throughput. Without sequential scans, so
-- that a plan made while the messages table looked empty still finds messages
-- through the indexes once it is full.

BEGIN;

CREATE OR REPLACE FUNCTION fastqueue.ack_batch(p_messages jsonb)
RETURNS fastqueue.settle_result
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, fastqueue, pg_temp
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off
AS $$
DECLARE
    v_result fastqueue.settle_result;
    v_queue_ids text[];
    v_counts bigint[];
    v_ids uuid[];
BEGIN
    PERFORM fastqueue._check_settle_batch(p_messages);
    -- The ids again as an array, which the statement looks up in the primary key
    -- whatever the planner believes of the table's size.
    v_ids := ARRAY(
        SELECT (e.item ->> 'id')::uuid FROM jsonb_array_elements(p_messages) AS e (item));

    -- ---- one statement ---------------------------------------------------------
    -- It deletes the messages and counts them by queue (the tally triggers skip
    -- it; the tallies change below). Rows are locked in id order, as nack_batch locks
    -- them, so that batches with common messages never deadlock. What was not
    -- deleted either still exists (the receipt was stale) or did not exist when
    -- the statement started (unknown).
    PERFORM set_config('fastqueue.tally_by_caller', 'on', true);
    WITH wanted AS (
        SELECT (e.item ->> 'id')::uuid AS id, (e.item ->> 'receipt')::uuid AS receipt
        FROM jsonb_array_elements(p_messages) AS e (item)
    ), locked AS MATERIALIZED (
        SELECT m.id
        FROM fastqueue.message AS m
        JOIN wanted AS w ON w.id = m.id
        WHERE m.id = ANY (v_ids)
          AND (w.receipt IS NULL OR m.receipt = w.receipt)
        ORDER BY m.id
        FOR UPDATE OF m
    ), acked AS (
        DELETE FROM fastqueue.message AS m
        USING locked AS l
        WHERE m.id = l.id AND m.id = ANY (v_ids)
        RETURNING m.id, m.queue_id
    ), counted AS (
        SELECT array_agg(n.queue_id ORDER BY n.queue_id) AS queue_ids,
               array_agg(n.messages ORDER BY n.queue_id) AS messages
        FROM (
            SELECT a.queue_id, count(*) AS messages FROM acked AS a GROUP BY a.queue_id
        ) AS n
    )
    SELECT coalesce(array_agg(w.id ORDER BY w.id) FILTER (WHERE a.id IS NOT NULL), '{}'),
           coalesce(array_agg(w.id ORDER BY w.id) FILTER (
               WHERE a.id IS NULL AND m.id IS NULL), '{}'),
           coalesce(array_agg(w.id ORDER BY w.id) FILTER (
               WHERE a.id IS NULL AND m.id IS NOT NULL), '{}'),
           (SELECT c.queue_ids FROM counted AS c),
           (SELECT c.messages FROM counted AS c)
    INTO v_result.settled, v_result.unknown, v_result.stale, v_queue_ids, v_counts
    FROM wanted AS w
    LEFT JOIN acked AS a ON a.id = w.id
    LEFT JOIN fastqueue.message AS m ON m.id = w.id AND m.id = ANY (v_ids);
    PERFORM set_config('fastqueue.tally_by_caller', 'off', true);

    -- The tallies change in a statement of its own: a message may have moved, while
    -- the delete waited for its lock, to a queue created after the delete's snapshot,
    -- whose tally rows only a new snapshot sees.
    UPDATE fastqueue.queue_tally AS t
    SET messages = t.messages - n.messages
    FROM unnest(v_queue_ids, v_counts) AS n (queue_id, messages)
    WHERE t.queue_id = n.queue_id AND t.shard = pg_backend_pid() % 16;
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
