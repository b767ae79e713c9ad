-- pgTAP: lease hands out the oldest visible messages of one queue, up to a limit (10 by
-- default), bumps their delivery count and hides them until the queue's ack deadline;
-- delayed and expired messages stay hidden. Time passes by moving scheduled_at and
-- expired_at back, never by sleeping. Every id this file creates starts with lease-.

BEGIN;

SELECT plan(27);

-- Message number n of the backlog, and what publish returned for it.
CREATE TEMP TABLE backlog (n integer PRIMARY KEY, msg fastqueue.message_info)
    ON COMMIT DROP;
-- What each lease call returned.
CREATE TEMP TABLE leased (batch text, msg fastqueue.message_info) ON COMMIT DROP;

DO $$
DECLARE
    v_base timestamptz := clock_timestamp() - interval '1 hour';
BEGIN
    PERFORM fastqueue.create_topic('lease-topic');
    PERFORM fastqueue.create_queue('lease-q', 'lease-topic', p_ack_deadline_seconds => 30);
    PERFORM fastqueue.create_queue('lease-twin', 'lease-topic');
    FOR i IN 1 .. 20 LOOP
        INSERT INTO backlog
        SELECT i, p FROM fastqueue.publish('lease-topic', jsonb_build_object('n', i)) AS p
        WHERE p.queue_id = 'lease-q';
    END LOOP;

    -- Visible in the reverse order of publication: message 20 first, message 1 last.
    -- Message 14 becomes visible at the same instant as message 13, which was published
    -- first: visibility order is 20 19 18 17 16 15 13 14 12 11 ... 1.
    UPDATE fastqueue.message AS m
    SET scheduled_at = v_base + make_interval(secs => 20 - b.n)
    FROM backlog AS b
    WHERE m.id = (b.msg).id;
    UPDATE fastqueue.message
    SET scheduled_at = v_base + interval '7 seconds'
    WHERE id = (SELECT (msg).id FROM backlog WHERE n = 14);
END;
$$;

-- Shape: lease takes a queue and a limit and returns message_info rows.
SELECT has_function(
    'fastqueue', 'lease', ARRAY['text', 'integer'],
    'fastqueue.lease(queue, limit) exists'
);
SELECT function_returns(
    'fastqueue', 'lease', ARRAY['text', 'integer'], 'setof message_info',
    'lease returns a set of message_info'
);
SELECT volatility_is(
    'fastqueue', 'lease', ARRAY['text', 'integer'], 'volatile', 'lease is volatile'
);
SELECT is_definer(
    'fastqueue', 'lease', ARRAY['text', 'integer'], 'lease runs with the rights of its owner'
);

-- Order and limit: the oldest visible messages first, ties broken by publication order,
-- never more than asked, 10 when not told.
INSERT INTO leased SELECT 'first 3', l FROM fastqueue.lease('lease-q', 3) AS l;
INSERT INTO leased SELECT 'next 4', l FROM fastqueue.lease('lease-q', 4) AS l;
INSERT INTO leased SELECT 'default', l FROM fastqueue.lease('lease-q') AS l;
INSERT INTO leased SELECT 'rest', l FROM fastqueue.lease('lease-q') AS l;

SELECT is(
    (SELECT array_agg(b.n ORDER BY b.n)
     FROM leased AS l JOIN backlog AS b ON (b.msg).id = (l.msg).id
     WHERE l.batch = 'first 3'),
    ARRAY[18, 19, 20],
    'lease takes the messages that became visible first, not the first published'
);
SELECT is(
    (SELECT array_agg(b.n ORDER BY b.n)
     FROM leased AS l JOIN backlog AS b ON (b.msg).id = (l.msg).id
     WHERE l.batch = 'next 4'),
    ARRAY[13, 15, 16, 17],
    'of two messages visible at the same instant, lease takes the one published first'
);
SELECT is(
    (SELECT array_agg(b.n ORDER BY b.n)
     FROM leased AS l JOIN backlog AS b ON (b.msg).id = (l.msg).id
     WHERE l.batch = 'default'),
    ARRAY[4, 5, 6, 7, 8, 9, 10, 11, 12, 14],
    'lease without a limit takes 10 messages'
);
SELECT is(
    (SELECT array_agg(b.n ORDER BY b.n)
     FROM leased AS l JOIN backlog AS b ON (b.msg).id = (l.msg).id
     WHERE l.batch = 'rest'),
    ARRAY[1, 2, 3],
    'lease returns fewer than the limit when fewer are visible'
);

-- Leasing: the delivery count goes up, the message hides for the ack deadline, and
-- nothing else about it changes.
SELECT is(
    (SELECT count(*) FROM leased WHERE (msg).delivery_attempts = 1),
    20::bigint,
    'a first lease sets the delivery count to 1'
);
SELECT is(
    (SELECT count(*) FROM leased
     WHERE (msg).scheduled_at - (msg).updated_at = interval '30 seconds'),
    20::bigint,
    'a leased message is hidden until its ack deadline, counted from the lease'
);
SELECT ok(
    (SELECT bool_and((msg).updated_at > now()) FROM leased),
    'lease stamps messages with the clock at the call, not the transaction start'
);
SELECT is(
    (SELECT count(*)
     FROM leased AS l JOIN backlog AS b ON (b.msg).id = (l.msg).id
     WHERE (l.msg).queue_id = 'lease-q'
       AND (l.msg).data = (b.msg).data
       AND (l.msg).created_at = (b.msg).created_at
       AND (l.msg).expired_at = (b.msg).expired_at),
    20::bigint,
    'lease keeps the queue, data, created_at and expiry of a message'
);
SELECT is(
    (SELECT count(*)
     FROM leased AS l JOIN fastqueue.message AS m ON m.id = (l.msg).id
     WHERE m.scheduled_at = (l.msg).scheduled_at
       AND m.delivery_attempts = (l.msg).delivery_attempts),
    20::bigint,
    'lease returns the deadline and delivery count it stored'
);
SELECT is_empty(
    $$SELECT * FROM fastqueue.lease('lease-q', 100)$$,
    'a leased message is not leased again before its ack deadline'
);
SELECT is(
    (SELECT count(*) FROM fastqueue.message
     WHERE queue_id = 'lease-twin' AND delivery_attempts = 0),
    20::bigint,
    'leasing one queue leaves the copies in the other queues of the topic alone'
);

-- Deadline: once the ack deadline has passed, the message is visible again and its next
-- lease counts a second delivery.
UPDATE fastqueue.message
SET scheduled_at = clock_timestamp() - interval '1 millisecond'
WHERE id = (SELECT (msg).id FROM backlog WHERE n = 7);

SELECT results_eq(
    $$SELECT data, delivery_attempts FROM fastqueue.lease('lease-q')$$,
    $$VALUES ('{"n": 7}'::jsonb, 2)$$,
    'a message whose ack deadline passed is leased again, with its second delivery'
);

-- Delay: a message published to a queue with a delivery delay stays hidden until then.
DO $$
BEGIN
    PERFORM fastqueue.create_topic('lease-delay-topic');
    PERFORM fastqueue.create_queue(
        'lease-delayed', 'lease-delay-topic',
        p_ack_deadline_seconds => 45, p_delivery_delay_seconds => 60);
    PERFORM fastqueue.publish('lease-delay-topic', '{"delayed": true}');
END;
$$;

SELECT is_empty(
    $$SELECT * FROM fastqueue.lease('lease-delayed')$$,
    'a message is not leased during its delivery delay'
);
SELECT is(
    (SELECT delivery_attempts FROM fastqueue.message WHERE queue_id = 'lease-delayed'),
    0,
    'a lease that finds only delayed messages counts no delivery'
);

UPDATE fastqueue.message
SET scheduled_at = clock_timestamp() - interval '1 millisecond'
WHERE queue_id = 'lease-delayed';

SELECT results_eq(
    $$
    SELECT data, delivery_attempts, scheduled_at - updated_at
    FROM fastqueue.lease('lease-delayed')
    $$,
    $$VALUES ('{"delayed": true}'::jsonb, 1, interval '45 seconds')$$,
    'after its delay a message is leased with the queue''s ack deadline'
);

-- Expiry: a message past its retention is never leased, even before cleanup removes it.
DO $$
BEGIN
    PERFORM fastqueue.create_topic('lease-expiry-topic');
    PERFORM fastqueue.create_queue('lease-expiring', 'lease-expiry-topic');
    PERFORM fastqueue.publish('lease-expiry-topic', '{"expired": true}');
    PERFORM fastqueue.publish('lease-expiry-topic', '{"expired": false}');
    UPDATE fastqueue.message
    SET expired_at = clock_timestamp() - interval '1 millisecond'
    WHERE queue_id = 'lease-expiring' AND data = '{"expired": true}';
END;
$$;

SELECT results_eq(
    $$SELECT data FROM fastqueue.lease('lease-expiring')$$,
    $$VALUES ('{"expired": false}'::jsonb)$$,
    'an expired message is never leased'
);

-- Batch order: a batch lists its messages oldest first, the order lease took them in,
-- whatever order they were published in.
DO $$
DECLARE
    v_base timestamptz := clock_timestamp() - interval '1 minute';
BEGIN
    PERFORM fastqueue.create_topic('lease-order-topic');
    PERFORM fastqueue.create_queue('lease-order', 'lease-order-topic');
    PERFORM fastqueue.publish('lease-order-topic', '{"n": "a"}');
    PERFORM fastqueue.publish('lease-order-topic', '{"n": "b"}');
    PERFORM fastqueue.publish('lease-order-topic', '{"n": "c"}');
    UPDATE fastqueue.message
    SET scheduled_at = v_base + CASE data ->> 'n'
        WHEN 'c' THEN interval '1 second'
        WHEN 'b' THEN interval '2 seconds'
        ELSE interval '3 seconds'
    END
    WHERE queue_id = 'lease-order';
END;
$$;

SELECT results_eq(
    $$SELECT data ->> 'n' FROM fastqueue.lease('lease-order')$$,
    $$VALUES ('c'), ('b'), ('a')$$,
    'lease lists a batch oldest first, in the order it took the messages'
);

-- Errors: a limit outside 1..100 and an unknown queue.
SELECT throws_ok(
    $$SELECT fastqueue.lease('lease-q', 0)$$,
    'FQ202', NULL,
    'a lease limit of 0 raises FQ202'
);
SELECT throws_ok(
    $$SELECT fastqueue.lease('lease-q', 101)$$,
    'FQ202', NULL,
    'a lease limit of 101 raises FQ202'
);
SELECT throws_ok(
    $$SELECT fastqueue.lease('lease-q', NULL)$$,
    'FQ202', NULL,
    'a NULL lease limit raises FQ202'
);
SELECT throws_ok(
    $$SELECT fastqueue.lease('lease-missing')$$,
    'FQ002', NULL,
    'leasing from an unknown queue raises FQ002'
);
SELECT lives_ok(
    $$SELECT fastqueue.lease('lease-q', 100)$$,
    'a lease limit of 100 is accepted'
);
SELECT lives_ok(
    $$SELECT fastqueue.lease('lease-q', 1)$$,
    'a lease limit of 1 is accepted'
);

SELECT * FROM finish();
ROLLBACK;
