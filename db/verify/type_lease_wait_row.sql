-- Verify fastqueue:type_lease_wait_row on pg

BEGIN;

SELECT 'fastqueue.lease_wait_row'::regtype;

ROLLBACK;
