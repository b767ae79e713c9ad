-- Revert fastqueue:function_publish_batch from pg

BEGIN;

DROP FUNCTION fastqueue.publish_batch(text, jsonb, text, integer);

COMMIT;
