-- Verify fastqueue:function_retry_backoff_seconds on pg

BEGIN;

SELECT 'fastqueue._retry_backoff_seconds(integer, integer, integer)'::regprocedure;

ROLLBACK;
