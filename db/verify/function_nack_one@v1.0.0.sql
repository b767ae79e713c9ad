-- Verify fastqueue:function_nack_one on pg

BEGIN;

SELECT 'fastqueue._nack_one(uuid, uuid, timestamptz)'::regprocedure;

ROLLBACK;
