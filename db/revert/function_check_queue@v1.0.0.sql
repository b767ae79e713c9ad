-- Revert fastqueue:function_check_queue from pg

BEGIN;

DROP FUNCTION fastqueue._check_queue(fastqueue.queue);

COMMIT;
