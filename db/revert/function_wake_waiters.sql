-- Revert fastqueue:function_wake_waiters from pg

BEGIN;

DROP FUNCTION fastqueue._wake_waiters(text, jsonb);

COMMIT;
