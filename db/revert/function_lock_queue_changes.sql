-- Revert fastqueue:function_lock_queue_changes from pg

BEGIN;

DROP FUNCTION fastqueue._lock_queue_changes();

COMMIT;
