-- Verify fastqueue:function_queue_stats on pg

BEGIN;

SELECT 'fastqueue._queue_stats(fastqueue.queue, timestamptz)'::regprocedure;

ROLLBACK;
