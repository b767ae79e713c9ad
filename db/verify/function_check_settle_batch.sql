-- Verify fastqueue:function_check_settle_batch on pg

BEGIN;

SELECT 'fastqueue._check_settle_batch(jsonb, boolean)'::regprocedure;

ROLLBACK;
