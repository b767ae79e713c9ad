-- Revert fastqueue:function_update_queue from pg

BEGIN;

DROP FUNCTION fastqueue.update_queue(text, text, text, integer, integer, jsonb, integer, integer);

COMMIT;
