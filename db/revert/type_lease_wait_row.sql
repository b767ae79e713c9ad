-- Revert fastqueue:type_lease_wait_row from pg

BEGIN;

DROP TYPE fastqueue.lease_wait_row;

COMMIT;
