-- Revert fastqueue:table_topic from pg

BEGIN;

DROP TABLE fastqueue.topic;

COMMIT;
