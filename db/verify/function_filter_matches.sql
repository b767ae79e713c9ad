-- Verify fastqueue:function_filter_matches on pg

BEGIN;

SELECT 'fastqueue._filter_matches(jsonb, jsonb)'::regprocedure;

ROLLBACK;
