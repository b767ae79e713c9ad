-- Deploy fastqueue:table_message to pg
-- requires: table_queue
-- Messages: one row per message per queue.

BEGIN;

CREATE TABLE fastqueue.message (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    -- Breaks ties between messages that become visible at the same instant.
    seq bigint GENERATED ALWAYS AS IDENTITY,
    -- The foreign key costs publish a lookup of the queue, and in exchange a
    -- concurrent delete of the queue can never leave orphaned messages behind.
    queue_id text NOT NULL REFERENCES fastqueue.queue (id) ON DELETE CASCADE,
    data jsonb NOT NULL,
    attributes jsonb,
    delivery_attempts integer NOT NULL DEFAULT 0,
    -- When the message is (again) visible to consumers: after its delivery delay,
    -- and after the ack deadline of its current lease.
    scheduled_at timestamptz NOT NULL,
    expired_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    -- Unique to the current delivery: set by each lease, cleared when the message
    -- is given back or moves, so a consumer whose lease ran out cannot settle a
    -- message that another consumer now holds.
    receipt uuid,
    -- Where and when the message was last moved to a dead queue.
    dead_lettered_from text,
    dead_lettered_at timestamptz,
    CONSTRAINT message_data_object_check CHECK (jsonb_typeof(data) = 'object'),
    CONSTRAINT message_delivery_attempts_check CHECK (delivery_attempts >= 0)
);

-- Lease reads a queue's visible messages oldest first: one index range per queue,
-- so a small queue never scans past the backlog of a big one.
CREATE INDEX message_queue_scheduled_idx ON fastqueue.message (queue_id, scheduled_at, seq);
-- Cleanup finds expired messages without scanning the table.
CREATE INDEX message_expired_idx ON fastqueue.message (expired_at);

COMMENT ON TABLE fastqueue.message IS
    'A message waiting in a queue. It is leased while it has a receipt and scheduled_at '
    'lies in the future, delayed while it has none and scheduled_at lies in the future.';

COMMIT;
