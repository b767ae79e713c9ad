-- Revert fastqueue:function_queue_stats from pg

BEGIN;

DROP FUNCTION fastqueue._queue_stats(fastqueue.queue, timestamptz);

COMMIT;
