-- Revert fastqueue:table_queue_retry_backoff from pg

BEGIN;

ALTER TABLE fastqueue.queue
    DROP COLUMN retry_max_backoff_seconds,
    DROP COLUMN retry_min_backoff_seconds;

COMMIT;
