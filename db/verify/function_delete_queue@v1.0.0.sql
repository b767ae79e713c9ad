-- Verify fastqueue:function_delete_queue on pg

BEGIN;

SELECT 'fastqueue.delete_queue(text)'::regprocedure;

ROLLBACK;
