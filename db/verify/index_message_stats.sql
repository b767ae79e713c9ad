-- Verify fastqueue:index_message_stats on pg

BEGIN;

SELECT 'fastqueue.message_queue_created_idx'::regclass,
       'fastqueue.message_queue_redelivered_idx'::regclass;

ROLLBACK;
