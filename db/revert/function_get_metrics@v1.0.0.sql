-- Revert fastqueue:function_get_metrics from pg

BEGIN;

DROP FUNCTION fastqueue.get_metrics();

COMMIT;
