-- Deploy fastqueue:table_queue_retry_backoff to pg
-- requires: table_queue
-- The retry back-off of a queue: how long a nacked message waits before its next
-- delivery, doubling with each delivery.

BEGIN;

-- Both nullable: a queue without a minimum has no back-off, and a queue from before
-- this change keeps behaving as it did. A maximum needs a minimum; without one the cap
-- is 600 seconds (see fastqueue._retry_backoff_seconds).
ALTER TABLE fastqueue.queue
    ADD COLUMN retry_min_backoff_seconds integer,
    ADD COLUMN retry_max_backoff_seconds integer,
    ADD CONSTRAINT queue_retry_max_backoff_with_min_check
        CHECK (retry_max_backoff_seconds IS NULL OR retry_min_backoff_seconds IS NOT NULL),
    ADD CONSTRAINT queue_retry_backoff_order_check
        CHECK (retry_min_backoff_seconds <= retry_max_backoff_seconds);

COMMENT ON COLUMN fastqueue.queue.retry_min_backoff_seconds IS
    'Seconds a message nacked after its first delivery waits; doubles with each delivery. '
    'NULL: a nacked message is visible again at once.';
COMMENT ON COLUMN fastqueue.queue.retry_max_backoff_seconds IS
    'The longest back-off of a nack; NULL: 600 seconds.';

COMMIT;
