-- Revert fastqueue:table_setting from pg

BEGIN;

DROP TABLE fastqueue.setting;

COMMIT;
