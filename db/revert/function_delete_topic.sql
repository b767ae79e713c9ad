-- Revert fastqueue:function_delete_topic from pg

BEGIN;

DROP FUNCTION fastqueue.delete_topic(text);

COMMIT;
