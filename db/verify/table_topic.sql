-- Verify fastqueue:table_topic on pg

BEGIN;

SELECT id, created_at FROM fastqueue.topic WHERE false;

ROLLBACK;
