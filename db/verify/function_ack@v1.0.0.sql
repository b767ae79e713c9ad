-- Verify fastqueue:function_ack on pg

BEGIN;

SELECT 'fastqueue.ack(uuid, uuid)'::regprocedure;

ROLLBACK;
