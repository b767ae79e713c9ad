-- Revert fastqueue:function_publish from pg

BEGIN;

DROP FUNCTION fastqueue.publish(text, jsonb, jsonb, integer, text, integer);

COMMIT;
