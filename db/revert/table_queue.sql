-- Revert fastqueue:table_queue from pg

BEGIN;

DROP TABLE fastqueue.queue;

COMMIT;
