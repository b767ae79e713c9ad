-- Verify fastqueue:function_get_topic on pg

BEGIN;

SELECT 'fastqueue.get_topic(text)'::regprocedure;

ROLLBACK;
