-- Verify fastqueue:function_check_bound on pg

BEGIN;

SELECT 'fastqueue._check_bound(text, integer)'::regprocedure;

ROLLBACK;
