-- Verify fastqueue:function_nack_batch on pg

BEGIN;

SELECT 'fastqueue.nack_batch(jsonb)'::regprocedure;

ROLLBACK;
