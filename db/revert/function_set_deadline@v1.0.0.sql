-- Revert fastqueue:function_set_deadline from pg

BEGIN;

DROP FUNCTION fastqueue.set_deadline(uuid, integer, uuid);

COMMIT;
