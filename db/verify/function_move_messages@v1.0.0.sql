-- Verify fastqueue:function_move_messages on pg

BEGIN;

SELECT 'fastqueue._move_messages(uuid[], text, timestamptz, text)'::regprocedure;

ROLLBACK;
