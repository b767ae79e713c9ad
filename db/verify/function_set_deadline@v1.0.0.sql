-- Verify fastqueue:function_set_deadline on pg

BEGIN;

SELECT 'fastqueue.set_deadline(uuid, integer, uuid)'::regprocedure;

ROLLBACK;
