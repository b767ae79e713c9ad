-- Verify fastqueue:function_forget_stale_waiters on pg

BEGIN;

SELECT 'fastqueue.forget_stale_waiters()'::regprocedure;

ROLLBACK;
