-- Revert fastqueue:function_record_cleanup_run from pg

BEGIN;

DROP FUNCTION fastqueue.record_cleanup_run(bigint, bigint);

COMMIT;
