-- pgTAP: purging a queue deletes every one of its messages, whatever their state, and
-- nothing else; the queue itself stays and keeps receiving. Every id this file creates
-- starts with purge-.

BEGIN;

SELECT plan(14);

-- The message that is leased when the queue is purged.
CREATE TEMP TABLE held (id uuid) ON COMMIT DROP;

DO $$
BEGIN
    PERFORM fastqueue.create_topic('purge-topic');
    PERFORM fastqueue.create_queue('purge-q', 'purge-topic');
    PERFORM fastqueue.create_queue('purge-twin', 'purge-topic');
    PERFORM fastqueue.create_queue('purge-empty');
    PERFORM fastqueue.publish('purge-topic', jsonb_build_object('n', n))
    FROM generate_series(1, 4) AS n;

    -- One message of purge-q leased, one delayed, two waiting.
    INSERT INTO held SELECT id FROM fastqueue.lease('purge-q', 1);
    UPDATE fastqueue.message
    SET scheduled_at = clock_timestamp() + interval '1 minute'
    WHERE queue_id = 'purge-q' AND data = '{"n": 4}';
END;
$$;

-- Shape: purge_queue takes a queue id and returns how many messages it deleted.
SELECT has_function(
    'fastqueue', 'purge_queue', ARRAY['text'], 'fastqueue.purge_queue(queue) exists'
);
SELECT function_returns(
    'fastqueue', 'purge_queue', ARRAY['text'], 'bigint',
    'purge_queue returns a count'
);
SELECT volatility_is(
    'fastqueue', 'purge_queue', ARRAY['text'], 'volatile', 'purge_queue is volatile'
);
SELECT is_definer(
    'fastqueue', 'purge_queue', ARRAY['text'], 'purge_queue runs with the rights of its owner'
);

-- Purge: every message goes, leased and delayed ones too, and the count says so.
SELECT is(
    fastqueue.purge_queue('purge-q'),
    4::bigint,
    'purge_queue deletes waiting, leased and delayed messages and returns how many'
);
SELECT is(
    (SELECT count(*) FROM fastqueue.message WHERE queue_id = 'purge-q'),
    0::bigint,
    'a purged queue holds no message'
);
SELECT is(
    (SELECT count(*) FROM fastqueue.message WHERE queue_id = 'purge-twin'),
    4::bigint,
    'purging a queue leaves the copies in the other queues of its topic'
);
SELECT is(
    fastqueue.get_queue_stats('purge-q'),
    ROW(0, 0, 0, 0, 0, 0)::fastqueue.queue_stats,
    'a purged queue has 0 messages of any kind, of age 0'
);
SELECT throws_ok(
    format('SELECT fastqueue.ack(%L)', (SELECT id FROM held)),
    'FQ003', NULL,
    'acking a message that was purged while leased raises FQ003'
);
SELECT is(
    fastqueue.purge_queue('purge-q'),
    0::bigint,
    'purging a queue a second time deletes nothing'
);
SELECT is(
    fastqueue.purge_queue('purge-empty'),
    0::bigint,
    'purging an empty queue returns 0'
);

-- The queue stays: it keeps its definition and receives new messages.
SELECT is(
    (SELECT topic_id FROM fastqueue.get_queue('purge-q')),
    'purge-topic',
    'a purged queue still exists, attached to its topic'
);
SELECT results_eq(
    $$SELECT queue_id FROM fastqueue.publish('purge-topic', '{"n": 5}') ORDER BY queue_id$$,
    $$VALUES ('purge-q'), ('purge-twin')$$,
    'a purged queue receives what is published after the purge'
);

-- Errors: an unknown queue.
SELECT throws_ok(
    $$SELECT fastqueue.purge_queue('purge-missing')$$,
    'FQ002', NULL,
    'purging an unknown queue raises FQ002'
);

SELECT * FROM finish();
ROLLBACK;
