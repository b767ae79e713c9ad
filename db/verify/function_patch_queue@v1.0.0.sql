-- Verify fastqueue:function_patch_queue on pg

BEGIN;

SELECT 'fastqueue.patch_queue(text, jsonb)'::regprocedure;

ROLLBACK;
