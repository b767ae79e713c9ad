-- Verify fastqueue:function_cleanup on pg

BEGIN;

SELECT 'fastqueue.cleanup(integer)'::regprocedure;

ROLLBACK;
