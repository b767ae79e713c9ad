-- Revert fastqueue:function_redrive_queue from pg

BEGIN;

DROP FUNCTION fastqueue.redrive_queue(text, text, integer);

COMMIT;
