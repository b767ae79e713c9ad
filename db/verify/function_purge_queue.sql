-- Verify fastqueue:function_purge_queue on pg

BEGIN;

SELECT 'fastqueue.purge_queue(text)'::regprocedure;

ROLLBACK;
