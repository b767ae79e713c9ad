-- Verify fastqueue:function_publish on pg

BEGIN;

-- Division by zero unless the deployed body wakes long-polling waiters.
SELECT 1 / (p.prosrc LIKE '%fastqueue._wake_waiters(%')::integer
FROM pg_catalog.pg_proc AS p
WHERE p.oid = 'fastqueue.publish(text, jsonb, jsonb, integer, text, integer)'::regprocedure;

ROLLBACK;
