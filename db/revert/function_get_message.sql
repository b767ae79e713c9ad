-- Revert fastqueue:function_get_message from pg

BEGIN;

DROP FUNCTION fastqueue.get_message(uuid);

COMMIT;
