-- Revert fastqueue:type_message_info from pg

BEGIN;

DROP TYPE fastqueue.message_info;

COMMIT;
