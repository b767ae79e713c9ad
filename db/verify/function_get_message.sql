-- Verify fastqueue:function_get_message on pg

BEGIN;

SELECT 'fastqueue.get_message(uuid)'::regprocedure;

ROLLBACK;
