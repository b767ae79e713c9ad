-- Verify fastqueue:function_publish_batch on pg

BEGIN;

SELECT 'fastqueue.publish_batch(text, jsonb, text, integer)'::regprocedure;

ROLLBACK;
