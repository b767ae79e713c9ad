-- Revert fastqueue:function_list_topics from pg

BEGIN;

DROP FUNCTION fastqueue.list_topics(integer, integer);

COMMIT;
