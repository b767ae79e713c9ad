-- pgTAP: queue stats count the messages available now (not leased, delayed, expired or
-- waiting for the dead queue) and give the age in whole seconds of the oldest of them,
-- from its created_at; 0 and 0 when there are none. Then the messages leased, delayed
-- and waiting for the dead queue, and the age of the oldest unexpired message of any
-- kind. Time passes by moving timestamps.
-- Every id this file creates starts with stats-.

BEGIN;

SELECT plan(17);

-- Messages by name, as publish returned them.
CREATE TEMP TABLE named (name text PRIMARY KEY, id uuid) ON COMMIT DROP;

DO $$
DECLARE
    v_base timestamptz := clock_timestamp() - interval '10 minutes';
BEGIN
    PERFORM fastqueue.create_topic('stats-topic');
    PERFORM fastqueue.create_queue('stats-dead');
    PERFORM fastqueue.create_queue(
        'stats-q', 'stats-topic', 'stats-dead',
        p_ack_deadline_seconds => 30, p_message_max_deliveries => 2);
    PERFORM fastqueue.create_queue('stats-empty');

    INSERT INTO named
    SELECT name, (fastqueue.publish('stats-topic', jsonb_build_object('name', name))).id
    FROM unnest(ARRAY['leased', 'delayed', 'expired', 'capped', 'young', 'new']) AS name;

    -- All but two were created 500 s ago; 'young' and 'new' are younger.
    UPDATE fastqueue.message
    SET created_at = clock_timestamp() - interval '500.5 seconds'
    WHERE id IN (SELECT id FROM named WHERE name IN ('leased', 'delayed', 'expired', 'capped'));
    -- Visible for minutes, in this order, so that each lease below takes the one it means.
    UPDATE fastqueue.message AS m
    SET scheduled_at = v_base + CASE n.name
        WHEN 'leased' THEN interval '0 seconds'
        WHEN 'capped' THEN interval '1 second'
        ELSE interval '2 seconds'
    END
    FROM named AS n
    WHERE m.id = n.id;
END;
$$;

-- Shape: get_queue_stats takes a queue id and returns queue_stats; it changes nothing.
SELECT has_function(
    'fastqueue', 'get_queue_stats', ARRAY['text'], 'fastqueue.get_queue_stats(queue) exists'
);
SELECT function_returns(
    'fastqueue', 'get_queue_stats', ARRAY['text'], 'queue_stats',
    'get_queue_stats returns a queue_stats'
);
SELECT volatility_is(
    'fastqueue', 'get_queue_stats', ARRAY['text'], 'volatile',
    'get_queue_stats is volatile (it reads the clock)'
);
SELECT is_definer(
    'fastqueue', 'get_queue_stats', ARRAY['text'],
    'get_queue_stats runs with the rights of its owner'
);

-- Off the search path, the schema's types print qualified, whoever connects.
SET LOCAL search_path = public, pg_catalog;
SELECT function_returns(
    'fastqueue', '_queue_stats', ARRAY['fastqueue.queue', 'timestamp with time zone'],
    'fastqueue.queue_stats',
    'the private _queue_stats, which get_metrics shares, returns a queue_stats'
);
SELECT volatility_is(
    'fastqueue', '_queue_stats', ARRAY['fastqueue.queue', 'timestamp with time zone'],
    'stable', '_queue_stats is stable (it is given the instant and changes nothing)'
);
RESET search_path;

-- Empty and unknown queues.
SELECT is(
    fastqueue.get_queue_stats('stats-empty'),
    ROW(0, 0, 0, 0, 0, 0)::fastqueue.queue_stats,
    'a queue without messages has 0 messages, of age 0'
);
SELECT throws_ok(
    $$SELECT fastqueue.get_queue_stats('stats-missing')$$,
    'FQ002', NULL,
    'stats of an unknown queue raise FQ002'
);

-- Every message waiting: all of them count, and the oldest is 500 s old.
SELECT is(
    fastqueue.get_queue_stats('stats-q'),
    ROW(6, 500, 0, 0, 0, 500)::fastqueue.queue_stats,
    'every waiting message counts, and the age is that of the oldest, in whole seconds'
);

-- Each state that makes a message unavailable takes it out of the count and the age.
SELECT results_eq(
    $$SELECT data ->> 'name' FROM fastqueue.lease('stats-q', 1)$$,
    $$VALUES ('leased')$$,
    'the message meant to be leased is leased'
);
SELECT is(
    fastqueue.get_queue_stats('stats-q'),
    ROW(5, 500, 1, 0, 0, 500)::fastqueue.queue_stats,
    'a leased message does not count'
);

UPDATE fastqueue.message
SET scheduled_at = clock_timestamp() + interval '1 minute'
WHERE id = (SELECT id FROM named WHERE name = 'delayed');
SELECT is(
    fastqueue.get_queue_stats('stats-q'),
    ROW(4, 500, 1, 1, 0, 500)::fastqueue.queue_stats,
    'a delayed message does not count'
);

UPDATE fastqueue.message
SET expired_at = clock_timestamp() - interval '1 millisecond'
WHERE id = (SELECT id FROM named WHERE name = 'expired');
SELECT is(
    fastqueue.get_queue_stats('stats-q'),
    ROW(3, 500, 1, 1, 0, 500)::fastqueue.queue_stats,
    'an expired message does not count'
);

-- 'capped' is leased twice and abandoned: it used up its deliveries and waits for the
-- dead queue. The youngest left is 'young', 100.7 s old: 100 whole seconds.
DO $$
DECLARE
    v_capped uuid := (SELECT id FROM named WHERE name = 'capped');
BEGIN
    FOR i IN 1 .. 2 LOOP
        PERFORM fastqueue.lease('stats-q', 1);
        -- Back at the head of the queue, so that the next lease takes it again.
        UPDATE fastqueue.message
        SET scheduled_at = clock_timestamp() - interval '1 hour'
        WHERE id = v_capped;
        -- The hour passed for this session's lease hint too (see fastqueue.lease).
        PERFORM set_config('fastqueue.lease_hint', '', false);
    END LOOP;
    UPDATE fastqueue.message
    SET created_at = clock_timestamp() - interval '100.7 seconds'
    WHERE id = (SELECT id FROM named WHERE name = 'young');
END;
$$;
SELECT is(
    fastqueue.get_queue_stats('stats-q'),
    ROW(2, 100, 1, 1, 1, 500)::fastqueue.queue_stats,
    'a message past its max deliveries does not count; the age is rounded down'
);

-- A lease that lapsed below the max leaves the message available again.
UPDATE fastqueue.message
SET scheduled_at = clock_timestamp() - interval '1 second'
WHERE id = (SELECT id FROM named WHERE name = 'leased');
SELECT is(
    fastqueue.get_queue_stats('stats-q'),
    ROW(3, 500, 0, 1, 1, 500)::fastqueue.queue_stats,
    'a message whose ack deadline passed counts again'
);

-- A message that expires while not visible counts nowhere, delayed or not.
UPDATE fastqueue.message
SET expired_at = clock_timestamp() - interval '1 millisecond'
WHERE id = (SELECT id FROM named WHERE name = 'delayed');
SELECT is(
    fastqueue.get_queue_stats('stats-q'),
    ROW(3, 500, 0, 0, 1, 500)::fastqueue.queue_stats,
    'an expired delayed message is not delayed'
);

-- Expired messages are not the oldest of any kind either.
UPDATE fastqueue.message
SET expired_at = clock_timestamp() - interval '1 millisecond'
WHERE id IN (SELECT id FROM named WHERE name IN ('leased', 'capped'));
SELECT is(
    fastqueue.get_queue_stats('stats-q'),
    ROW(2, 100, 0, 0, 0, 100)::fastqueue.queue_stats,
    'the oldest message of any kind is the oldest unexpired one'
);

SELECT * FROM finish();
ROLLBACK;
