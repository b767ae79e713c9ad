-- Revert fastqueue:function_replace_queue from pg

BEGIN;

DROP FUNCTION fastqueue._replace_queue(fastqueue.queue);

COMMIT;
