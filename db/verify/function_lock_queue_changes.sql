-- Verify fastqueue:function_lock_queue_changes on pg

BEGIN;

SELECT 'fastqueue._lock_queue_changes()'::regprocedure;

ROLLBACK;
