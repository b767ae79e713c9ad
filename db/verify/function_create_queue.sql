-- Verify fastqueue:function_create_queue on pg

BEGIN;

SELECT ('fastqueue.create_queue(text, text, text, integer, integer, jsonb, '
        || 'integer, integer, integer, integer)')::regprocedure;

ROLLBACK;
