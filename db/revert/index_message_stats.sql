-- Revert fastqueue:index_message_stats from pg

BEGIN;

DROP INDEX fastqueue.message_queue_redelivered_idx;
DROP INDEX fastqueue.message_queue_created_idx;

COMMIT;
