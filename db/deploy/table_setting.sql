-- Deploy fastqueue:table_setting to pg
-- requires: schema_fastqueue
-- The bounds every function checks its input against.

BEGIN;

CREATE TABLE fastqueue.setting (
    name text PRIMARY KEY,
    min_value integer NOT NULL,
    max_value integer NOT NULL,
    description text NOT NULL,
    CONSTRAINT setting_range_check CHECK (min_value <= max_value)
);

COMMENT ON TABLE fastqueue.setting IS
    'Inclusive bounds of numeric inputs, by input name. Only an administrator changes them.';

INSERT INTO fastqueue.setting (name, min_value, max_value, description) VALUES
    ('ack_deadline_seconds', 1, 600, 'how long a leased message stays hidden'),
    ('message_retention_seconds', 600, 1209600, 'how long a message is kept'),
    ('message_max_deliveries', 1, 1000, 'deliveries before a message goes to the dead queue'),
    ('delivery_delay_seconds', 1, 900, 'how long a new message stays hidden'),
    ('lease_limit', 1, 100, 'messages one lease may return'),
    ('list_limit', 1, 1000, 'items one page of a list may return'),
    ('list_offset', 0, 2147483647, 'items a list may skip'),
    ('cleanup_batch_size', 1, 100000, 'messages one cleanup batch may delete or move'),
    ('message_delay_seconds', 0, 900, 'delay of one published message'),
    ('batch_size', 1, 1000, 'messages one batch may publish, ack or nack'),
    ('idempotency_window_seconds', 1, 86400, 'how long an idempotency key is remembered'),
    ('lease_extension_seconds', 0, 600, 'a new deadline of a leased message, from now'),
    ('redrive_limit', 1, 2147483647, 'messages one redrive may move');

COMMIT;
