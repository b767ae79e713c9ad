-- Verify fastqueue:function_check_id on pg

BEGIN;

SELECT 'fastqueue._check_id(text, text)'::regprocedure;

ROLLBACK;
