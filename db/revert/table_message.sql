-- Revert fastqueue:table_message from pg

BEGIN;

DROP TABLE fastqueue.message;

COMMIT;
