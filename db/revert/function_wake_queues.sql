-- Revert fastqueue:function_wake_queues from pg

BEGIN;

DROP FUNCTION fastqueue._wake_queues(text[]);

COMMIT;
