-- Revert fastqueue:function_nack_batch from pg

BEGIN;

DROP FUNCTION fastqueue.nack_batch(jsonb);

COMMIT;
