-- Verify fastqueue:table_queue_tally on pg

BEGIN;

SELECT queue_id, shard, messages FROM fastqueue.queue_tally WHERE false;

SELECT 1 / count(*)
FROM pg_catalog.pg_trigger
WHERE tgname = 'message_tally_insert_trigger'
  AND tgrelid = 'fastqueue.message'::regclass;

SELECT 'fastqueue._tally_changed()'::regprocedure,
       'fastqueue._tally_new_queue()'::regprocedure,
       'fastqueue._tally_truncated()'::regprocedure;

ROLLBACK;
