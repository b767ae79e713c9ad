-- Revert fastqueue:function_purge_queue from pg

BEGIN;

DROP FUNCTION fastqueue.purge_queue(text);

COMMIT;
