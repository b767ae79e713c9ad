-- Deploy fastqueue:function_forget_stale_waiters to pg
-- requires: table_queue_waiter
-- Forget the waiters of listeners whose connection is gone.

BEGIN;

-- A listener that crashed leaves its rows behind. They cost at most one notification
-- each (a publish disarms what it notifies), but they pile up: the API calls this when
-- its listener (re)connects, and cleanup calls it too. A pid that a new backend
-- reused keeps its rows until that backend ends: harmless, for the same reason.
CREATE FUNCTION fastqueue.forget_stale_waiters()
RETURNS integer
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, fastqueue, pg_temp
AS $$
DECLARE
    v_forgotten integer;
BEGIN
    DELETE FROM fastqueue.queue_waiter AS w
    WHERE NOT EXISTS (
        SELECT FROM pg_catalog.pg_stat_activity AS a WHERE a.pid = w.listener_pid);
    GET DIAGNOSTICS v_forgotten = ROW_COUNT;
    RETURN v_forgotten;
END;
$$;

COMMENT ON FUNCTION fastqueue.forget_stale_waiters() IS
    'Deletes the long-polling waiters whose listener backend no longer exists; returns '
    'how many. Raises nothing.';

COMMIT;
