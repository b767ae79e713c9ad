-- Deploy fastqueue:type_queue_stats to pg
-- requires: type_queue_stats@v1.0.0
-- Queue stats: the release's two fields first, unchanged, then the other kinds of
-- message and the oldest message of any kind.

BEGIN;

ALTER TYPE fastqueue.queue_stats
    ADD ATTRIBUTE num_leased_messages bigint,
    ADD ATTRIBUTE num_delayed_messages bigint,
    ADD ATTRIBUTE num_dead_letter_pending_messages bigint,
    ADD ATTRIBUTE oldest_message_age_seconds bigint;

COMMENT ON TYPE fastqueue.queue_stats IS
    'Messages of a queue available now and the age in whole seconds of the oldest of them; '
    'messages leased, delayed, and waiting for the dead queue; and the age of the oldest '
    'unexpired message of any kind.';

COMMIT;
