-- Deploy fastqueue:function_lock_dead_queues to pg
-- requires: schema_fastqueue
-- Private helper: serialise changes to the graph of dead queues.

BEGIN;

CREATE FUNCTION fastqueue._lock_dead_queues()
RETURNS void
LANGUAGE sql
VOLATILE
AS $$
    -- Two sessions that each add one edge could close a cycle that neither sees;
    -- holding this lock until commit makes the second one see the first.
    SELECT pg_advisory_xact_lock(4721000001);
$$;

COMMENT ON FUNCTION fastqueue._lock_dead_queues() IS
    'Takes the transaction-level advisory lock that guards dead-queue cycle checks.';

COMMIT;
