-- Deploy fastqueue:function_queue_stats to pg
-- requires: table_queue_tally
-- requires: index_message_stats
-- requires: type_queue_stats
-- Private helper: the stats of one queue, for get_queue_stats and get_metrics.

BEGIN;

CREATE FUNCTION fastqueue._queue_stats(p_queue fastqueue.queue, p_now timestamptz)
RETURNS fastqueue.queue_stats
LANGUAGE plpgsql
STABLE
-- A generic plan cannot tell a small queue from a big one, nor use the partial index
-- of redelivered messages for a max deliveries it does not know.
SET plan_cache_mode = force_custom_plan
-- With 100,000 of 1,000,000 messages delayed, a parallel scan of the whole table looked
-- cheaper than reading the delayed ones by index, and took 106 ms against 25 ms.
SET max_parallel_workers_per_gather = 0
AS $$
DECLARE
    -- Without a dead queue nothing waits for one: the range of capped messages is empty.
    v_max integer := coalesce(p_queue.message_max_deliveries, 2147483647);
    v_stats fastqueue.queue_stats;
BEGIN
    -- One statement, so one snapshot: the tally and the index ranges agree. The
    -- available messages are the total less the few that are not available, which
    -- index ranges find without reading the backlog.
    WITH hidden AS (
        -- Not visible now: leased (with a receipt) or delayed (without), unless expired.
        -- SLOW: many leased or delayed messages, each read from the table.
        SELECT count(*) FILTER (WHERE m.expired_at > p_now AND m.receipt IS NOT NULL)
                   AS leased,
               count(*) FILTER (WHERE m.expired_at > p_now AND m.receipt IS NULL) AS delayed,
               count(*) FILTER (WHERE m.expired_at <= p_now) AS expired
        FROM fastqueue.message AS m
        WHERE m.queue_id = p_queue.id
          AND m.scheduled_at > p_now
    ), expired AS (
        -- Visible but expired: cleanup has yet to delete them.
        -- SLOW: many expired messages waiting for cleanup, in any queue.
        SELECT count(*) AS expired
        FROM fastqueue.message AS m
        WHERE m.expired_at <= p_now
          AND m.queue_id = p_queue.id
          AND m.scheduled_at <= p_now
    ), capped AS (
        -- Visible, used up their deliveries: they wait for the dead queue.
        -- SLOW: many such messages (leases that lapsed at the last allowed delivery).
        SELECT count(*) AS capped
        FROM fastqueue.message AS m
        WHERE m.queue_id = p_queue.id
          AND m.delivery_attempts > 0
          AND m.delivery_attempts >= v_max
          AND m.scheduled_at <= p_now
          AND m.expired_at > p_now
    ), oldest_available AS (
        -- SLOW: many unavailable messages older than the oldest available one.
        SELECT min(o.created_at) AS created_at
        FROM (
            SELECT m.created_at
            FROM fastqueue.message AS m
            WHERE m.queue_id = p_queue.id
              AND m.scheduled_at <= p_now
              AND m.expired_at > p_now
              AND m.delivery_attempts < v_max
            ORDER BY m.created_at
            LIMIT 1
        ) AS o
    ), oldest AS (
        SELECT min(o.created_at) AS created_at
        FROM (
            SELECT m.created_at
            FROM fastqueue.message AS m
            WHERE m.queue_id = p_queue.id
              AND m.expired_at > p_now
            ORDER BY m.created_at
            LIMIT 1
        ) AS o
    )
    SELECT coalesce(t.messages, 0) - h.leased - h.delayed - h.expired - e.expired - c.capped,
           coalesce(floor(extract(epoch FROM p_now - a.created_at)), 0),
           h.leased,
           h.delayed,
           c.capped,
           coalesce(floor(extract(epoch FROM p_now - o.created_at)), 0)
    INTO v_stats
    FROM (
        SELECT sum(qt.messages) AS messages
        FROM fastqueue.queue_tally AS qt
        WHERE qt.queue_id = p_queue.id
    ) AS t
    CROSS JOIN hidden AS h
    CROSS JOIN expired AS e
    CROSS JOIN capped AS c
    CROSS JOIN oldest_available AS a
    CROSS JOIN oldest AS o;
    RETURN v_stats;
END;
$$;

COMMENT ON FUNCTION fastqueue._queue_stats(fastqueue.queue, timestamptz) IS
    'Returns the stats of a queue at p_now: its tally less the messages not available '
    '(leased, delayed, expired, waiting for the dead queue), found by index ranges, and '
    'the age in whole seconds of the oldest available and of the oldest unexpired message.';

COMMIT;
