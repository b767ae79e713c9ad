-- Deploy fastqueue:function_get_queue_stats to pg
-- requires: table_message
-- requires: type_queue_stats

BEGIN;

CREATE FUNCTION fastqueue.get_queue_stats(p_queue_id text)
RETURNS fastqueue.queue_stats
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, fastqueue, pg_temp
-- A generic plan cannot tell a small queue from a big one, and after five calls
-- on a connection may scan every unexpired message of every queue.
SET plan_cache_mode = force_custom_plan
AS $$
DECLARE
    v_now timestamptz := clock_timestamp();
    v_queue fastqueue.queue;
    v_stats fastqueue.queue_stats;
BEGIN
    SELECT * INTO v_queue FROM fastqueue.queue WHERE id = p_queue_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'queue "%" not found', p_queue_id USING ERRCODE = 'FQ002';
    END IF;

    -- Available: not leased, not delayed, not expired, not waiting for the dead queue.
    -- TODO: keep a running count when exact counting of large backlogs gets too slow.
    SELECT count(*),
           coalesce(floor(extract(epoch FROM v_now - min(m.created_at))), 0)
    INTO v_stats
    FROM fastqueue.message AS m
    WHERE m.queue_id = p_queue_id
      AND m.scheduled_at <= v_now
      AND m.expired_at > v_now
      AND m.delivery_attempts < coalesce(v_queue.message_max_deliveries, 2147483647);
    RETURN v_stats;
END;
$$;

COMMENT ON FUNCTION fastqueue.get_queue_stats(text) IS
    'Returns the number of messages of a queue available now (not leased, delayed, expired '
    'or waiting for the dead queue) and the age in whole seconds of the oldest of them, from '
    'its created_at; 0 and 0 when there are none. Raises FQ002 for an unknown queue.';

COMMIT;
