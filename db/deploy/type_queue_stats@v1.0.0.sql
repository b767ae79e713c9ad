-- Deploy fastqueue:type_queue_stats to pg
-- requires: schema_fastqueue

BEGIN;

CREATE TYPE fastqueue.queue_stats AS (
    num_undelivered_messages bigint,
    oldest_unacked_message_age_seconds bigint
);

COMMENT ON TYPE fastqueue.queue_stats IS
    'Messages of a queue available now, and the age in whole seconds of the oldest of them.';

COMMIT;
