-- Revert fastqueue:function_ack_batch from pg

BEGIN;

DROP FUNCTION fastqueue.ack_batch(jsonb);

COMMIT;
