-- Revert fastqueue:function_check_message from pg

BEGIN;

DROP FUNCTION fastqueue._check_message(jsonb, jsonb, integer, bigint);

COMMIT;
