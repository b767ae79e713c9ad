-- Verify fastqueue:function_record_cleanup_run on pg

BEGIN;

SELECT 'fastqueue.record_cleanup_run(bigint, bigint)'::regprocedure;

ROLLBACK;
