-- Revert fastqueue:function_get_queue from pg

BEGIN;

DROP FUNCTION fastqueue.get_queue(text);

COMMIT;
