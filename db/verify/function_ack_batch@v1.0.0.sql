-- Verify fastqueue:function_ack_batch on pg

BEGIN;

SELECT 'fastqueue.ack_batch(jsonb)'::regprocedure;

ROLLBACK;
