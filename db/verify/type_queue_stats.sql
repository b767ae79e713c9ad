-- Verify fastqueue:type_queue_stats on pg

BEGIN;

SELECT (NULL::fastqueue.queue_stats).num_undelivered_messages,
       (NULL::fastqueue.queue_stats).oldest_unacked_message_age_seconds,
       (NULL::fastqueue.queue_stats).num_leased_messages,
       (NULL::fastqueue.queue_stats).num_delayed_messages,
       (NULL::fastqueue.queue_stats).num_dead_letter_pending_messages,
       (NULL::fastqueue.queue_stats).oldest_message_age_seconds;

ROLLBACK;
