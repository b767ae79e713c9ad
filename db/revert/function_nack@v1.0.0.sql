-- Revert fastqueue:function_nack from pg

BEGIN;

DROP FUNCTION fastqueue.nack(uuid, uuid);

COMMIT;
