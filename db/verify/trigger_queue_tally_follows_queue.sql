-- Verify fastqueue:trigger_queue_tally_follows_queue on pg

BEGIN;

SELECT 'fastqueue._tally_queue_changed()'::regprocedure;

-- Division by zero unless all three triggers are there.
SELECT 1 / (count(*) = 3)::integer
FROM pg_catalog.pg_trigger
WHERE tgrelid = 'fastqueue.queue'::regclass
  AND tgname IN ('queue_tally_rows_delete_trigger', 'queue_tally_rows_rename_trigger',
                 'queue_tally_rows_truncate_trigger');

ROLLBACK;
