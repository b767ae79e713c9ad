-- Deploy fastqueue:table_idempotency_key to pg
-- requires: schema_fastqueue
-- Keys of idempotent publishes, remembered for a window with what they created.

BEGIN;

CREATE TABLE fastqueue.idempotency_key (
    topic_id text NOT NULL,
    key text NOT NULL,
    created_at timestamptz NOT NULL,
    expired_at timestamptz NOT NULL,
    -- The messages the first publish with this key created, as message_info
    -- objects; NULL while that publish is still in progress.
    messages jsonb,
    PRIMARY KEY (topic_id, key)
);

-- Cleanup forgets keys whose window has passed.
CREATE INDEX idempotency_key_expired_idx ON fastqueue.idempotency_key (expired_at);

COMMENT ON TABLE fastqueue.idempotency_key IS
    'Idempotency keys of publishes: a retry with the same topic and key before expired_at '
    'answers with the messages first created instead of creating new ones.';

COMMIT;
