-- Revert fastqueue:type_queue_stats from pg

BEGIN;

DROP TYPE fastqueue.queue_stats;

COMMIT;
