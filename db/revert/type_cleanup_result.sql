-- Revert fastqueue:type_cleanup_result from pg

BEGIN;

DROP TYPE fastqueue.cleanup_result;

COMMIT;
