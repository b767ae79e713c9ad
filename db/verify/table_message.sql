-- Verify fastqueue:table_message on pg

BEGIN;

SELECT id, seq, queue_id, data, attributes, delivery_attempts, scheduled_at, expired_at,
       created_at, updated_at, receipt, dead_lettered_from, dead_lettered_at
FROM fastqueue.message
WHERE false;

SELECT 'fastqueue.message_queue_scheduled_idx'::regclass,
       'fastqueue.message_expired_idx'::regclass;

ROLLBACK;
