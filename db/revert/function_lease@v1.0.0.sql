-- Revert fastqueue:function_lease from pg

BEGIN;

DROP FUNCTION fastqueue.lease(text, integer);

COMMIT;
