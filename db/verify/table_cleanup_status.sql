-- Verify fastqueue:table_cleanup_status on pg

BEGIN;

SELECT id, finished_at, expired, dead_lettered FROM fastqueue.cleanup_status WHERE false;

ROLLBACK;
