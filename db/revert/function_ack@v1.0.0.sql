-- Revert fastqueue:function_ack from pg

BEGIN;

DROP FUNCTION fastqueue.ack(uuid, uuid);

COMMIT;
