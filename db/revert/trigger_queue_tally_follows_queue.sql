-- Revert fastqueue:trigger_queue_tally_follows_queue from pg

BEGIN;

DROP TRIGGER queue_tally_rows_truncate_trigger ON fastqueue.queue;
DROP TRIGGER queue_tally_rows_rename_trigger ON fastqueue.queue;
DROP TRIGGER queue_tally_rows_delete_trigger ON fastqueue.queue;
DROP FUNCTION fastqueue._tally_queue_changed();

-- The triggers left no row without its queue; the key checks that again.
ALTER TABLE fastqueue.queue_tally
    ADD CONSTRAINT queue_tally_queue_id_fkey
    FOREIGN KEY (queue_id) REFERENCES fastqueue.queue (id) ON DELETE CASCADE;

COMMIT;
