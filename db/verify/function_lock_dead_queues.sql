-- Verify fastqueue:function_lock_dead_queues on pg

BEGIN;

SELECT 'fastqueue._lock_dead_queues()'::regprocedure;

ROLLBACK;
