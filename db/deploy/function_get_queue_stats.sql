-- Deploy fastqueue:function_get_queue_stats to pg
-- requires: function_queue_stats

BEGIN;

CREATE OR REPLACE FUNCTION fastqueue.get_queue_stats(p_queue_id text)
RETURNS fastqueue.queue_stats
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, fastqueue, pg_temp
AS $$
DECLARE
    v_queue fastqueue.queue;
BEGIN
    SELECT * INTO v_queue FROM fastqueue.queue WHERE id = p_queue_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'queue "%" not found', p_queue_id USING ERRCODE = 'FQ002';
    END IF;
    RETURN fastqueue._queue_stats(v_queue, clock_timestamp());
END;
$$;

COMMENT ON FUNCTION fastqueue.get_queue_stats(text) IS
    'Returns the number of messages of a queue available now (not leased, delayed, expired '
    'or waiting for the dead queue) and the age in whole seconds of the oldest of them, from '
    'its created_at (0 and 0 when there are none); then how many are leased, delayed and '
    'waiting for the dead queue, and the age of the oldest unexpired message of any kind '
    '(0 when none). Counts come from the queue''s tally, not from a scan of its backlog. '
    'Raises FQ002 for an unknown queue.';

COMMIT;
