-- Revert fastqueue:table_cleanup_status from pg

BEGIN;

DROP TABLE fastqueue.cleanup_status;

COMMIT;
