-- Deploy fastqueue:function_lock_queue_changes to pg
-- requires: schema_fastqueue
-- Private helper: make changes to topics and queues happen one at a time.

BEGIN;

CREATE FUNCTION fastqueue._lock_queue_changes()
RETURNS void
LANGUAGE sql
VOLATILE
AS $$
    -- Held until commit. Two sessions that each add one dead-queue edge could
    -- otherwise close a cycle that neither sees, a patch could undo a concurrent
    -- one, and a delete could miss a reference added meanwhile. Definitions
    -- change rarely; publish, lease and ack never take this lock.
    SELECT pg_advisory_xact_lock(4721000001);
$$;

COMMENT ON FUNCTION fastqueue._lock_queue_changes() IS
    'Takes the transaction-level advisory lock that every change to a topic or queue '
    'definition holds until commit.';

COMMIT;
