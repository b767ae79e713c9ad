-- Deploy fastqueue:table_topic to pg
-- requires: schema_fastqueue
-- Topics: named points of publication that fan messages out to their queues.

BEGIN;

CREATE TABLE fastqueue.topic (
    id text PRIMARY KEY,
    created_at timestamptz NOT NULL,
    CONSTRAINT topic_id_format_check
        CHECK (id ~ '^[-a-zA-Z0-9._]{1,128}$' AND id NOT IN ('.', '..'))
);

COMMENT ON TABLE fastqueue.topic IS 'A named resource to which messages are published.';

COMMIT;
