-- Revert fastqueue:function_delete_queue from pg

BEGIN;

DROP FUNCTION fastqueue.delete_queue(text);

COMMIT;
