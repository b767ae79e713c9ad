-- Verify fastqueue:function_get_queue on pg

BEGIN;

SELECT 'fastqueue.get_queue(text)'::regprocedure;

ROLLBACK;
