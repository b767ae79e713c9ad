-- Verify fastqueue:function_update_queue on pg

BEGIN;

SELECT ('fastqueue.update_queue(text, text, text, integer, integer, jsonb, '
        || 'integer, integer, integer, integer)')::regprocedure;

ROLLBACK;
