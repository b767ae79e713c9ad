-- Verify fastqueue:function_check_queue on pg

BEGIN;

SELECT 'fastqueue._check_queue(fastqueue.queue)'::regprocedure;

ROLLBACK;
