-- Deploy fastqueue:function_lease_wait to pg
-- requires: function_lease
-- requires: table_queue_waiter
-- requires: type_lease_wait_row
-- Long polling, one attempt: lease, or arm the listener and say when to look again.

BEGIN;

-- Why no wake-up is lost. The waiter arms, then leases one last time; a publisher
-- inserts, then (a later statement, so a later snapshot under READ COMMITTED) reads
-- the armed rows. A wake-up is lost only if the publisher reads before the arming is
-- committed AND its message is committed after the last lease took its snapshot.
-- The queue row closes that window: every publish locks its target queues FOR KEY
-- SHARE from its INSERT until it commits, and arming takes the queue row FOR UPDATE,
-- which conflicts with KEY SHARE, and holds it until this call commits. So when the
-- lock is ours, no publish to the queue is between its INSERT and its commit:
-- - one that committed before is seen by the last lease below (a new snapshot);
-- - one that inserts after waits for our commit, and then sees the armed row.
-- The lock is taken with SKIP LOCKED, so that a publish left open in a long client
-- transaction never makes us (and the publishers queued behind us) wait: if a publish
-- (or another waiter arming) is in flight we arm nothing and answer armed = false,
-- and the caller looks again after a short pause. Writing waiter rows only under the
-- queue lock also keeps two waiters arming the same row from deadlocking (the foreign
-- key check of one waiting on the lock of the other). The argument needs READ
-- COMMITTED here too (each statement its own snapshot) and a call in its own
-- transaction, since the armed row and the lock only count once committed.
CREATE FUNCTION fastqueue.lease_wait(
    p_queue_id text,
    p_limit integer DEFAULT 10,
    p_listener_pid integer DEFAULT NULL
)
RETURNS SETOF fastqueue.lease_wait_row
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, fastqueue, pg_temp
AS $$
DECLARE
    v_armed boolean := false;
BEGIN
    -- --- An ordinary lease: while messages wait, nothing else happens. ---
    RETURN QUERY
    SELECT l, NULL::boolean, NULL::timestamptz FROM fastqueue.lease(p_queue_id, p_limit) AS l;
    IF FOUND THEN
        RETURN;
    END IF;

    -- --- Arm the listener, then look one last time. ---
    IF p_listener_pid IS NOT NULL THEN
        PERFORM FROM fastqueue.queue WHERE id = p_queue_id FOR UPDATE SKIP LOCKED;
        v_armed := FOUND AND current_setting('transaction_isolation') = 'read committed';
        IF v_armed THEN
            INSERT INTO fastqueue.queue_waiter AS w (queue_id, listener_pid, armed, armed_at)
            VALUES (p_queue_id, p_listener_pid, true, clock_timestamp())
            ON CONFLICT (queue_id, listener_pid)
                DO UPDATE SET armed = true, armed_at = excluded.armed_at;
        END IF;
        RETURN QUERY
        SELECT l, NULL::boolean, NULL::timestamptz
        FROM fastqueue.lease(p_queue_id, p_limit) AS l;
        IF FOUND THEN
            RETURN;
        END IF;
    END IF;

    -- --- Nothing to lease: say when the next hidden message shows (one index probe). ---
    -- The clock is read again here, after the leases (which read it themselves): a
    -- message that became visible meanwhile but is locked by another lease in flight
    -- must not count as hidden.
    RETURN QUERY
    SELECT NULL::fastqueue.message_info, v_armed,
           (SELECT m.scheduled_at
            FROM fastqueue.message AS m
            WHERE m.queue_id = p_queue_id AND m.scheduled_at > clock_timestamp()
            ORDER BY m.scheduled_at, m.seq
            LIMIT 1);
END;
$$;

COMMENT ON FUNCTION fastqueue.lease_wait(text, integer, integer) IS
    'One attempt of a long poll. Leases as fastqueue.lease does and returns one row per '
    'message. If there is none and p_listener_pid (the backend pid of a connection that '
    'LISTENs on channel fastqueue_wake) is given, arms a wake-up for that listener and '
    'leases once more. If still nothing, returns one row with message NULL, armed (true: '
    'a publish to the queue will notify the listener; false: a publish or another '
    'waiter was in flight, nothing is armed, look again shortly) and '
    'next_visible_at, when the queue''s next delayed or leased message becomes visible. '
    'Call it in its own READ COMMITTED transaction. Raises FQ002 for an unknown queue and '
    'FQ202 for a limit outside the lease_limit setting.';

COMMIT;
