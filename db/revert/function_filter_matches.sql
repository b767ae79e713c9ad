-- Revert fastqueue:function_filter_matches from pg

BEGIN;

DROP FUNCTION fastqueue._filter_matches(jsonb, jsonb);

COMMIT;
