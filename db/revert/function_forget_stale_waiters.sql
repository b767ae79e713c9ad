-- Revert fastqueue:function_forget_stale_waiters from pg

BEGIN;

DROP FUNCTION fastqueue.forget_stale_waiters();

COMMIT;
