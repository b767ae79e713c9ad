-- Revert fastqueue:function_list_queues from pg

BEGIN;

DROP FUNCTION fastqueue.list_queues(integer, integer);

COMMIT;
