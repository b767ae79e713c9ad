-- Revert fastqueue:type_queue_stats from pg
-- Back to the release's two fields.

BEGIN;

ALTER TYPE fastqueue.queue_stats
    DROP ATTRIBUTE oldest_message_age_seconds,
    DROP ATTRIBUTE num_dead_letter_pending_messages,
    DROP ATTRIBUTE num_delayed_messages,
    DROP ATTRIBUTE num_leased_messages;

COMMENT ON TYPE fastqueue.queue_stats IS
    'Messages of a queue available now, and the age in whole seconds of the oldest of them.';

COMMIT;
