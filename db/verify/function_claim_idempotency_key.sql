-- Verify fastqueue:function_claim_idempotency_key on pg

BEGIN;

SELECT 'fastqueue._claim_idempotency_key(text, text, timestamptz, integer)'::regprocedure;

ROLLBACK;
