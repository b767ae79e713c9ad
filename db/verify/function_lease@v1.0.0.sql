-- Verify fastqueue:function_lease on pg

BEGIN;

SELECT 'fastqueue.lease(text, integer)'::regprocedure;

ROLLBACK;
