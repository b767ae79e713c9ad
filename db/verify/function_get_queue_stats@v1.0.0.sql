-- Verify fastqueue:function_get_queue_stats on pg

BEGIN;

SELECT 'fastqueue.get_queue_stats(text)'::regprocedure;

ROLLBACK;
