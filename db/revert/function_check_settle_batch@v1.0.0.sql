-- Revert fastqueue:function_check_settle_batch from pg

BEGIN;

DROP FUNCTION fastqueue._check_settle_batch(jsonb);

COMMIT;
