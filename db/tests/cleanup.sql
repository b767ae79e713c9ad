-- pgTAP: cleanup deletes messages past their retention, leased or not, and moves messages
-- that used up their deliveries and are not leased to their dead queue, each up to one
-- batch, and returns both counts. run_cleanup repeats it in committed batches, so it
-- refuses to run inside a transaction block. Every id this file creates starts with
-- cleanup-.

BEGIN;

SELECT plan(19);

-- Messages by name, as publish returned them.
CREATE TEMP TABLE named (name text PRIMARY KEY, msg fastqueue.message_info) ON COMMIT DROP;

-- Cleanup works on the whole database: first clean up what other sessions left, so that
-- the counts below are this file's own.
DO $$
BEGIN
    FOR i IN 1 .. 100 LOOP
        EXIT WHEN fastqueue.cleanup(100000) = ROW(0, 0)::fastqueue.cleanup_result;
    END LOOP;
END;
$$;

DO $$
BEGIN
    PERFORM fastqueue.create_topic('cleanup-topic');
    PERFORM fastqueue.create_queue('cleanup-dead');
    PERFORM fastqueue.create_queue(
        'cleanup-q', 'cleanup-topic', 'cleanup-dead',
        p_ack_deadline_seconds => 30, p_message_max_deliveries => 1);

    -- The first four are leased once, which is all they may be.
    INSERT INTO named
    SELECT name, p
    FROM unnest(ARRAY['old-leased', 'capped', 'capped-held', 'capped-old']) AS name,
         LATERAL fastqueue.publish('cleanup-topic', jsonb_build_object('name', name)) AS p;
    PERFORM fastqueue.lease('cleanup-q', 4);
    INSERT INTO named
    SELECT name, p
    FROM unnest(ARRAY['old-waiting', 'old-delayed', 'fresh']) AS name,
         LATERAL fastqueue.publish('cleanup-topic', jsonb_build_object('name', name)) AS p;

    -- Retention over for every 'old' message; 'capped' and 'capped-old' let their lease
    -- lapse; 'old-delayed' is still in its delivery delay.
    UPDATE fastqueue.message
    SET expired_at = clock_timestamp() - interval '1 second'
    WHERE data ->> 'name' IN ('old-leased', 'capped-old', 'old-waiting', 'old-delayed')
      AND queue_id = 'cleanup-q';
    UPDATE fastqueue.message
    SET scheduled_at = clock_timestamp() - interval '1 second'
    WHERE data ->> 'name' IN ('capped', 'capped-old') AND queue_id = 'cleanup-q';
    UPDATE fastqueue.message
    SET scheduled_at = clock_timestamp() + interval '1 minute'
    WHERE data ->> 'name' = 'old-delayed' AND queue_id = 'cleanup-q';
END;
$$;

-- Shape: cleanup takes a batch size and returns both counts; run_cleanup is a procedure.
SELECT has_function(
    'fastqueue', 'cleanup', ARRAY['integer'], 'fastqueue.cleanup(batch_size) exists'
);
SELECT function_returns(
    'fastqueue', 'cleanup', ARRAY['integer'], 'cleanup_result',
    'cleanup returns a cleanup_result'
);
SELECT volatility_is(
    'fastqueue', 'cleanup', ARRAY['integer'], 'volatile', 'cleanup is volatile'
);
SELECT is_definer(
    'fastqueue', 'cleanup', ARRAY['integer'], 'cleanup runs with the rights of its owner'
);
SELECT is_procedure(
    'fastqueue', 'run_cleanup', ARRAY['integer', 'bigint', 'bigint'],
    'fastqueue.run_cleanup(batch_size, expired, dead_lettered) is a procedure'
);

-- One run: expired messages go whatever their state; capped messages that are not leased
-- move; an expired capped message counts as expired, not as dead-lettered.
SELECT is(
    fastqueue.cleanup(),
    ROW(4, 1)::fastqueue.cleanup_result,
    'cleanup returns how many messages expired and how many went to a dead queue'
);
SELECT results_eq(
    $$
    SELECT n.name, m.queue_id, m.delivery_attempts
    FROM named AS n JOIN fastqueue.message AS m ON m.id = (n.msg).id
    ORDER BY n.name
    $$,
    $$
    VALUES ('capped', 'cleanup-dead', 0), ('capped-held', 'cleanup-q', 1),
           ('fresh', 'cleanup-q', 0)
    $$,
    'cleanup deletes expired messages, leased, delayed or capped, moves the capped one '
        || 'whose lease lapsed and keeps the rest'
);
SELECT is(
    fastqueue.cleanup(),
    ROW(0, 0)::fastqueue.cleanup_result,
    'a cleanup with nothing to do returns 0 and 0'
);

-- Batches: each count stops at the batch size, the earliest expired first, and
-- dead-lettering stops at the batch size summed over every queue.
DO $$
BEGIN
    PERFORM fastqueue.create_topic('cleanup-batch-topic');
    PERFORM fastqueue.create_queue('cleanup-batch', 'cleanup-batch-topic');
    PERFORM fastqueue.create_topic('cleanup-cap-topic');
    PERFORM fastqueue.create_queue(
        'cleanup-cap-a', 'cleanup-cap-topic', 'cleanup-dead', p_message_max_deliveries => 1,
        p_message_filters => '{"to": ["a"]}');
    PERFORM fastqueue.create_queue(
        'cleanup-cap-b', 'cleanup-cap-topic', 'cleanup-dead', p_message_max_deliveries => 1,
        p_message_filters => '{"to": ["b"]}');

    INSERT INTO named
    SELECT 'expiring-' || i, p
    FROM generate_series(1, 5) AS i,
         LATERAL fastqueue.publish('cleanup-batch-topic', jsonb_build_object('i', i)) AS p;
    -- Expired in the order of their number.
    UPDATE fastqueue.message AS m
    SET expired_at = clock_timestamp() - make_interval(mins => 10 - (m.data ->> 'i')::integer)
    WHERE m.queue_id = 'cleanup-batch';

    PERFORM fastqueue.publish('cleanup-cap-topic', '{}', '{"to": "a"}');
    PERFORM fastqueue.publish('cleanup-cap-topic', jsonb_build_object('b', i), '{"to": "b"}')
    FROM generate_series(1, 2) AS i;
    PERFORM fastqueue.lease('cleanup-cap-a');
    PERFORM fastqueue.lease('cleanup-cap-b');
    UPDATE fastqueue.message
    SET scheduled_at = clock_timestamp() - interval '1 second'
    WHERE queue_id IN ('cleanup-cap-a', 'cleanup-cap-b');
END;
$$;

SELECT is(
    fastqueue.cleanup(2),
    ROW(2, 2)::fastqueue.cleanup_result,
    'a first batch of 2 deletes 2 expired messages and moves 2 capped ones'
);
SELECT results_eq(
    $$SELECT (data ->> 'i')::integer FROM fastqueue.message WHERE queue_id = 'cleanup-batch'
      ORDER BY 1$$,
    $$VALUES (3), (4), (5)$$,
    'cleanup deletes the messages that expired first'
);
SELECT results_eq(
    $$
    SELECT queue_id, count(*) FROM fastqueue.message
    WHERE queue_id IN ('cleanup-cap-a', 'cleanup-cap-b')
    GROUP BY queue_id
    $$,
    $$VALUES ('cleanup-cap-b', 1::bigint)$$,
    'the batch of capped messages spans queues: the one of the first, one of the second'
);
SELECT is(
    fastqueue.cleanup(2),
    ROW(2, 1)::fastqueue.cleanup_result,
    'the next batch takes what the first one left'
);
SELECT is(
    fastqueue.cleanup(2),
    ROW(1, 0)::fastqueue.cleanup_result,
    'the last batch takes the rest'
);
SELECT is(
    (SELECT count(*) FROM fastqueue.message WHERE queue_id = 'cleanup-dead'),
    4::bigint,
    'every capped message reached the dead queue'
);

-- Errors: a batch size outside 1..100000, and run_cleanup inside a transaction block.
SELECT throws_ok(
    $$SELECT fastqueue.cleanup(0)$$,
    'FQ202', NULL,
    'a cleanup batch size of 0 raises FQ202'
);
SELECT throws_ok(
    $$SELECT fastqueue.cleanup(100001)$$,
    'FQ202', NULL,
    'a cleanup batch size of 100001 raises FQ202'
);
SELECT throws_ok(
    $$SELECT fastqueue.cleanup(NULL)$$,
    'FQ202', NULL,
    'a NULL cleanup batch size raises FQ202'
);
SELECT throws_ok(
    $$CALL fastqueue.run_cleanup(0)$$,
    'FQ202', NULL,
    'run_cleanup with a batch size of 0 raises FQ202'
);
SELECT throws_ok(
    $$CALL fastqueue.run_cleanup()$$,
    '2D000', NULL,
    'run_cleanup refuses to run inside a transaction block, where it cannot commit'
);

SELECT * FROM finish();
ROLLBACK;
