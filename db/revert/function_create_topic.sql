-- Revert fastqueue:function_create_topic from pg

BEGIN;

DROP FUNCTION fastqueue.create_topic(text);

COMMIT;
