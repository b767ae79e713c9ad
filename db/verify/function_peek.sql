-- Verify fastqueue:function_peek on pg

BEGIN;

SELECT 'fastqueue.peek(text, integer)'::regprocedure;

ROLLBACK;
