-- Verify fastqueue:function_delete_topic on pg

BEGIN;

SELECT 'fastqueue.delete_topic(text)'::regprocedure;

ROLLBACK;
