-- Verify fastqueue:function_nack on pg

BEGIN;

SELECT 'fastqueue.nack(uuid, uuid)'::regprocedure;

ROLLBACK;
