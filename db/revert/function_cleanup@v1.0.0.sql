-- Revert fastqueue:function_cleanup from pg

BEGIN;

DROP FUNCTION fastqueue.cleanup(integer);

COMMIT;
