-- Verify fastqueue:function_publish on pg

BEGIN;

SELECT 'fastqueue.publish(text, jsonb, jsonb, integer, text, integer)'::regprocedure;

ROLLBACK;
