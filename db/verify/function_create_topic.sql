-- Verify fastqueue:function_create_topic on pg

BEGIN;

SELECT 'fastqueue.create_topic(text)'::regprocedure;

ROLLBACK;
