-- Verify fastqueue:function_lease_wait on pg

BEGIN;

SELECT 'fastqueue.lease_wait(text, integer, integer)'::regprocedure;

ROLLBACK;
