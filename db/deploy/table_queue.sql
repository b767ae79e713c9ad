-- Deploy fastqueue:table_queue to pg
-- requires: table_topic
-- Queues: receive the messages of their topic that pass their filter.

BEGIN;

CREATE TABLE fastqueue.queue (
    id text PRIMARY KEY,
    topic_id text REFERENCES fastqueue.topic (id) ON DELETE SET NULL,
    dead_queue_id text REFERENCES fastqueue.queue (id),
    ack_deadline_seconds integer NOT NULL,
    message_retention_seconds integer NOT NULL,
    message_filters jsonb,
    message_max_deliveries integer,
    delivery_delay_seconds integer,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    CONSTRAINT queue_id_format_check
        CHECK (id ~ '^[-a-zA-Z0-9._]{1,128}$' AND id NOT IN ('.', '..')),
    CONSTRAINT queue_dead_queue_with_max_deliveries_check
        CHECK ((dead_queue_id IS NULL) = (message_max_deliveries IS NULL)),
    CONSTRAINT queue_dead_queue_not_self_check CHECK (dead_queue_id <> id),
    CONSTRAINT queue_message_filters_object_check
        CHECK (message_filters IS NULL OR jsonb_typeof(message_filters) = 'object')
);

-- Publish finds a topic's queues; deleting a queue finds the queues using it as
-- their dead queue.
CREATE INDEX queue_topic_idx ON fastqueue.queue (topic_id);
CREATE INDEX queue_dead_queue_idx ON fastqueue.queue (dead_queue_id);

COMMENT ON TABLE fastqueue.queue IS
    'A named resource that receives messages from a topic and hands them to consumers.';

COMMIT;
