-- Tests of fastqueue.get_metrics and fastqueue.record_cleanup_run.
BEGIN;
SELECT plan(12);

SELECT has_function('fastqueue', 'get_metrics', ARRAY[]::name[], 'get_metrics() exists');
SELECT function_returns('fastqueue', 'get_metrics', ARRAY[]::name[], 'jsonb',
    'get_metrics returns jsonb');
SELECT is_definer('fastqueue', 'get_metrics', ARRAY[]::name[],
    'get_metrics runs with the rights of its owner');

-- One queue holding one message of each kind, and a dead queue.
SELECT fastqueue.create_queue('m-dead');
SELECT fastqueue.create_queue('m-queue', p_dead_queue_id => 'm-dead',
    p_message_max_deliveries => 2);
INSERT INTO fastqueue.message
    (queue_id, data, delivery_attempts, receipt, scheduled_at, expired_at, created_at,
     updated_at)
VALUES
    ('m-queue', '{"kind": "available"}', 0, NULL, now() - interval '1 minute',
     now() + interval '1 day', now() - interval '90 seconds', now()),
    ('m-queue', '{"kind": "leased"}', 1, gen_random_uuid(), now() + interval '1 minute',
     now() + interval '1 day', now() - interval '1 hour', now()),
    ('m-queue', '{"kind": "delayed"}', 0, NULL, now() + interval '1 minute',
     now() + interval '1 day', now(), now()),
    ('m-queue', '{"kind": "capped"}', 2, NULL, now() - interval '1 minute',
     now() + interval '1 day', now() - interval '2 hours', now()),
    ('m-queue', '{"kind": "expired"}', 0, NULL, now() - interval '1 minute',
     now() - interval '1 second', now() - interval '3 hours', now());

CREATE TEMPORARY TABLE gauges AS
SELECT g.*
FROM jsonb_to_recordset(fastqueue.get_metrics() -> 'queues') AS g (
    queue_id text, available bigint, leased bigint, delayed bigint,
    dead_letter_pending bigint, oldest_available_age_seconds bigint,
    oldest_age_seconds bigint);

-- Each message counts under its own kind; an expired one counts nowhere.
SELECT is((SELECT available FROM gauges WHERE queue_id = 'm-queue'), 1::bigint,
    'the available message counts as available');
SELECT is((SELECT leased FROM gauges WHERE queue_id = 'm-queue'), 1::bigint,
    'the leased message counts as leased');
SELECT is((SELECT delayed FROM gauges WHERE queue_id = 'm-queue'), 1::bigint,
    'the delayed message counts as delayed');
SELECT is((SELECT dead_letter_pending FROM gauges WHERE queue_id = 'm-queue'), 1::bigint,
    'the message past its max deliveries waits for the dead queue');
SELECT ok((SELECT oldest_available_age_seconds FROM gauges WHERE queue_id = 'm-queue')
          BETWEEN 90 AND 95,
    'the oldest available age is that of the available message only');

SELECT ok((SELECT oldest_age_seconds FROM gauges WHERE queue_id = 'm-queue')
          BETWEEN 7200 AND 7205,
    'the oldest age is that of the oldest unexpired message of any kind');

-- The gauges are the queue's stats, field by field.
SELECT is(
    (SELECT ROW(g.available, g.oldest_available_age_seconds, g.leased, g.delayed,
                g.dead_letter_pending, g.oldest_age_seconds)::fastqueue.queue_stats
     FROM gauges AS g WHERE g.queue_id = 'm-queue'),
    fastqueue.get_queue_stats('m-queue'),
    'the gauges of a queue are its stats'
);

-- A queue without messages reports zeros.
SELECT is((SELECT available + leased + delayed + dead_letter_pending
           + oldest_available_age_seconds + oldest_age_seconds
           FROM gauges WHERE queue_id = 'm-dead'),
    0::bigint, 'an empty queue reports zeros');

-- The last cleanup run is what record_cleanup_run stored last.
DELETE FROM fastqueue.cleanup_status;
SELECT fastqueue.record_cleanup_run(3, 4);
SELECT fastqueue.record_cleanup_run(5, 6);
SELECT is((fastqueue.get_metrics() -> 'cleanup') - 'finished_at',
    '{"expired": 5, "dead_lettered": 6}'::jsonb,
    'the cleanup status holds the counts of the last run');

SELECT * FROM finish();
ROLLBACK;
