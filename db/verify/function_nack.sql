-- Verify fastqueue:function_nack on pg

BEGIN;

SELECT 'fastqueue.nack(uuid)'::regprocedure;

ROLLBACK;
