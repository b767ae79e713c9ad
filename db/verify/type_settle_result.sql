-- Verify fastqueue:type_settle_result on pg

BEGIN;

SELECT 'fastqueue.settle_result'::regtype;

ROLLBACK;
