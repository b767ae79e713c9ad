-- Verify fastqueue:table_queue_retry_backoff on pg

BEGIN;

SELECT retry_min_backoff_seconds, retry_max_backoff_seconds
FROM fastqueue.queue
WHERE false;

ROLLBACK;
