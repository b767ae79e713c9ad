-- Verify fastqueue:function_check_message on pg

BEGIN;

SELECT 'fastqueue._check_message(jsonb, jsonb, integer, bigint)'::regprocedure;

ROLLBACK;
