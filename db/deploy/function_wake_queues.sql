-- Deploy fastqueue:function_wake_queues to pg
-- requires: table_queue_waiter
-- Private: tell the listeners of the given queues that messages became visible.

BEGIN;

-- Publish calls it through fastqueue._wake_waiters; a nack, a move to a dead queue or a
-- redrive may call it directly, after their change and in the same transaction.
--
-- It first locks the queues FOR KEY SHARE until commit, as a publish does with its
-- INSERT: that is what lets fastqueue.lease_wait tell that a change is in flight (see
-- the argument there); a publish holds that lock already, a nack holds none otherwise.
--
-- Coalescing: only armed rows are notified, and they are disarmed here. Never
-- waiting: a row another waker is disarming right now (it holds the row lock until
-- it commits) is skipped, not waited for; we still see it armed in our snapshot and
-- notify too. So wakers never queue behind each other here, and if that other one
-- rolls back, our own notification stands.
--
-- Under REPEATABLE READ or SERIALIZABLE every given queue is notified (the snapshot
-- may predate a waiter's arming).
-- No SET search_path, as for fastqueue._wake_waiters: every name is qualified or in
-- pg_catalog.
CREATE FUNCTION fastqueue._wake_queues(p_queue_ids text[])
RETURNS integer
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_notified integer;
BEGIN
    PERFORM FROM fastqueue.queue WHERE id = ANY (p_queue_ids) ORDER BY id FOR KEY SHARE;
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        SELECT count(pg_notify('fastqueue_wake', q.id)) INTO v_notified
        FROM (SELECT DISTINCT unnest(p_queue_ids) AS id) AS q;
        RETURN v_notified;
    END IF;

    WITH seen AS (
        SELECT w.queue_id, w.listener_pid
        FROM fastqueue.queue_waiter AS w
        WHERE w.queue_id = ANY (p_queue_ids) AND w.armed
    ), locked AS (
        SELECT w.queue_id, w.listener_pid
        FROM fastqueue.queue_waiter AS w
        JOIN seen AS s ON s.queue_id = w.queue_id AND s.listener_pid = w.listener_pid
        WHERE w.armed
        FOR UPDATE OF w SKIP LOCKED
    ), disarmed AS (
        UPDATE fastqueue.queue_waiter AS w
        SET armed = false
        FROM locked AS l
        WHERE w.queue_id = l.queue_id AND w.listener_pid = l.listener_pid
    )
    SELECT count(pg_notify('fastqueue_wake', s.queue_id)) INTO v_notified
    FROM (SELECT DISTINCT queue_id FROM seen) AS s;
    RETURN v_notified;
END;
$$;

COMMENT ON FUNCTION fastqueue._wake_queues(text[]) IS
    'Private: notifies channel fastqueue_wake (payload: the queue id) for each of the '
    'queues that has an armed waiter, and disarms those waiters; holds the queues FOR KEY '
    'SHARE until commit. Returns the number of queues notified. Raises nothing.';

COMMIT;
