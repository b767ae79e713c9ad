-- Verify fastqueue:function_replace_queue on pg

BEGIN;

SELECT 'fastqueue._replace_queue(fastqueue.queue)'::regprocedure;

ROLLBACK;
