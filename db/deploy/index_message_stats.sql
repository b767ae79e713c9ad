-- Deploy fastqueue:index_message_stats to pg
-- requires: table_message
-- Indexes that let stats find the few messages that are not available without
-- reading the many that are.

BEGIN;

-- The oldest message of a queue, and the oldest available one, by created_at:
-- every message has an entry (publish pays for one more index insert).
CREATE INDEX message_queue_created_idx ON fastqueue.message (queue_id, created_at);

-- Messages that were delivered at least once; those at or above their queue's max
-- deliveries wait for the dead queue. A message enters it at its first lease (which
-- rewrites index entries anyway), never at publish.
CREATE INDEX message_queue_redelivered_idx ON fastqueue.message (queue_id, delivery_attempts)
    WHERE delivery_attempts > 0;

COMMIT;
