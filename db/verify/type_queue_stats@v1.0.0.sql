-- Verify fastqueue:type_queue_stats on pg

BEGIN;

SELECT 'fastqueue.queue_stats'::regtype;

ROLLBACK;
