-- Verify fastqueue:type_cleanup_result on pg

BEGIN;

SELECT 'fastqueue.cleanup_result'::regtype;

ROLLBACK;
