-- Revert fastqueue:function_get_topic from pg

BEGIN;

DROP FUNCTION fastqueue.get_topic(text);

COMMIT;
