-- Revert fastqueue:function_lock_dead_queues from pg

BEGIN;

DROP FUNCTION fastqueue._lock_dead_queues();

COMMIT;
