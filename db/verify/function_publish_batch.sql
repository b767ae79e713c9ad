-- Verify fastqueue:function_publish_batch on pg

BEGIN;

-- Division by zero unless the deployed body wakes long-polling waiters.
SELECT 1 / (p.prosrc LIKE '%fastqueue._wake_waiters(%')::integer
FROM pg_catalog.pg_proc AS p
WHERE p.oid = 'fastqueue.publish_batch(text, jsonb, text, integer)'::regprocedure;

ROLLBACK;
