-- Revert fastqueue:function_get_queue_stats from pg

BEGIN;

DROP FUNCTION fastqueue.get_queue_stats(text);

COMMIT;
