-- Revert fastqueue:function_lease_wait from pg

BEGIN;

DROP FUNCTION fastqueue.lease_wait(text, integer, integer);

COMMIT;
