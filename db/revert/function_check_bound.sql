-- Revert fastqueue:function_check_bound from pg

BEGIN;

DROP FUNCTION fastqueue._check_bound(text, integer);

COMMIT;
