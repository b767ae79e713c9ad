-- Revert fastqueue:function_retry_backoff_seconds from pg

BEGIN;

DROP FUNCTION fastqueue._retry_backoff_seconds(integer, integer, integer);

COMMIT;
