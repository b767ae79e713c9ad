-- Revert fastqueue:table_queue_tally from pg

BEGIN;

DROP TRIGGER message_tally_truncate_trigger ON fastqueue.message;
DROP TRIGGER message_tally_delete_trigger ON fastqueue.message;
DROP TRIGGER message_tally_insert_trigger ON fastqueue.message;
DROP TRIGGER queue_tally_rows_trigger ON fastqueue.queue;
DROP FUNCTION fastqueue._tally_truncated();
DROP FUNCTION fastqueue._tally_changed();
DROP FUNCTION fastqueue._tally_new_queue();
DROP TABLE fastqueue.queue_tally;

COMMIT;
