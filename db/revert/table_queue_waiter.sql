-- Revert fastqueue:table_queue_waiter from pg

BEGIN;

DROP TABLE fastqueue.queue_waiter;

COMMIT;
