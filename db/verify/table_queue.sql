-- Verify fastqueue:table_queue on pg

BEGIN;

SELECT id, topic_id, dead_queue_id, ack_deadline_seconds, message_retention_seconds,
       message_filters, message_max_deliveries, delivery_delay_seconds, created_at, updated_at
FROM fastqueue.queue
WHERE false;

ROLLBACK;
