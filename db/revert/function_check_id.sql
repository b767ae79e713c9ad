-- Revert fastqueue:function_check_id from pg

BEGIN;

DROP FUNCTION fastqueue._check_id(text, text);

COMMIT;
