-- Verify fastqueue:procedure_run_cleanup on pg

BEGIN;

SELECT 'fastqueue.run_cleanup(integer, bigint, bigint)'::regprocedure;

ROLLBACK;
