-- Revert fastqueue:type_settle_result from pg

BEGIN;

DROP TYPE fastqueue.settle_result;

COMMIT;
