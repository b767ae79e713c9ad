-- Revert fastqueue:function_peek from pg

BEGIN;

DROP FUNCTION fastqueue.peek(text, integer);

COMMIT;
