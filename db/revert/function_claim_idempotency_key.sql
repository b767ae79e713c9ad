-- Revert fastqueue:function_claim_idempotency_key from pg

BEGIN;

DROP FUNCTION fastqueue._claim_idempotency_key(text, text, timestamptz, integer);

COMMIT;
