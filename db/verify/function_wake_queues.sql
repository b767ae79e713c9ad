-- Verify fastqueue:function_wake_queues on pg

BEGIN;

SELECT 'fastqueue._wake_queues(text[])'::regprocedure;

ROLLBACK;
