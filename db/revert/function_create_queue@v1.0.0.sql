-- Revert fastqueue:function_create_queue from pg

BEGIN;

DROP FUNCTION fastqueue.create_queue(text, text, text, integer, integer, jsonb, integer, integer);

COMMIT;
