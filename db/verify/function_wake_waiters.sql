-- Verify fastqueue:function_wake_waiters on pg

BEGIN;

SELECT 'fastqueue._wake_waiters(text, jsonb)'::regprocedure;

ROLLBACK;
