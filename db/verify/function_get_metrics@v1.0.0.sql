-- Verify fastqueue:function_get_metrics on pg

BEGIN;

SELECT 'fastqueue.get_metrics()'::regprocedure;

ROLLBACK;
