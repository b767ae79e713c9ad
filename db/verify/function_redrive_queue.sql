-- Verify fastqueue:function_redrive_queue on pg

BEGIN;

SELECT 'fastqueue.redrive_queue(text, text, integer)'::regprocedure;

ROLLBACK;
