-- pgTAP: settling a leased message. Ack deletes it; nack makes it visible again at once,
-- behind the messages already waiting; nacking a message that is not leased changes
-- nothing; both refuse an unknown message. Every id this file creates starts with settle-.

BEGIN;

SELECT plan(25);

-- Messages by name, as publish returned them.
CREATE TEMP TABLE named (name text PRIMARY KEY, id uuid) ON COMMIT DROP;
-- Rows as they were before a nack that should not change them.
CREATE TEMP TABLE before_nack (name text PRIMARY KEY, msg fastqueue.message) ON COMMIT DROP;

DO $$
DECLARE
    v_base timestamptz := clock_timestamp() - interval '1 minute';
BEGIN
    PERFORM fastqueue.create_topic('settle-topic');
    PERFORM fastqueue.create_queue('settle-q', 'settle-topic', p_ack_deadline_seconds => 30);
    PERFORM fastqueue.create_topic('settle-delay-topic');
    PERFORM fastqueue.create_queue(
        'settle-delayed', 'settle-delay-topic', p_delivery_delay_seconds => 60);

    INSERT INTO named
    SELECT name, (fastqueue.publish('settle-topic', jsonb_build_object('name', name))).id
    FROM unnest(ARRAY['a', 'b', 'c', 'd']) AS name;
    -- Visible one second apart, a first.
    UPDATE fastqueue.message AS m
    SET scheduled_at = v_base + make_interval(secs => ascii(n.name) - ascii('a'))
    FROM named AS n
    WHERE m.id = n.id;
END;
$$;

-- Shape: ack and nack take a message id and return nothing.
SELECT has_function('fastqueue', 'ack', ARRAY['uuid', 'uuid'], 'fastqueue.ack(message) exists');
SELECT has_function(
    'fastqueue', 'nack', ARRAY['uuid', 'uuid', 'integer'], 'fastqueue.nack(message) exists');
SELECT function_returns('fastqueue', 'ack', ARRAY['uuid', 'uuid'], 'void', 'ack returns nothing');
SELECT function_returns(
    'fastqueue', 'nack', ARRAY['uuid', 'uuid', 'integer'], 'void', 'nack returns nothing');
SELECT volatility_is('fastqueue', 'ack', ARRAY['uuid', 'uuid'], 'volatile', 'ack is volatile');
SELECT volatility_is(
    'fastqueue', 'nack', ARRAY['uuid', 'uuid', 'integer'], 'volatile', 'nack is volatile');
SELECT is_definer(
    'fastqueue', 'ack', ARRAY['uuid', 'uuid'], 'ack runs with the rights of its owner');
SELECT is_definer(
    'fastqueue', 'nack', ARRAY['uuid', 'uuid', 'integer'],
    'nack runs with the rights of its owner');

-- Ack: the leased message is deleted, and a second ack no longer finds it.
SELECT results_eq(
    $$SELECT data ->> 'name' FROM fastqueue.lease('settle-q', 1)$$,
    $$VALUES ('a')$$,
    'the oldest message is leased first'
);
SELECT lives_ok(
    format('SELECT fastqueue.ack(%L)', (SELECT id FROM named WHERE name = 'a')),
    'acking a leased message succeeds'
);
SELECT is(
    (SELECT count(*) FROM fastqueue.message WHERE id = (SELECT id FROM named WHERE name = 'a')),
    0::bigint,
    'an acked message is deleted'
);
SELECT is(
    (SELECT count(*) FROM fastqueue.message WHERE queue_id = 'settle-q'),
    3::bigint,
    'ack deletes only the message it names'
);
SELECT throws_ok(
    format('SELECT fastqueue.ack(%L)', (SELECT id FROM named WHERE name = 'a')),
    'FQ003', NULL,
    'acking a message that was already acked raises FQ003'
);
SELECT throws_ok(
    $$SELECT fastqueue.ack('00000000-0000-4000-8000-000000000000')$$,
    'FQ003', NULL,
    'acking an unknown message raises FQ003'
);
SELECT throws_ok(
    $$SELECT fastqueue.nack('00000000-0000-4000-8000-000000000000')$$,
    'FQ003', NULL,
    'nacking an unknown message raises FQ003'
);

-- Nack: the message is visible again at once, keeps its delivery count, and goes behind
-- the messages that were already waiting.
SELECT results_eq(
    $$SELECT data ->> 'name', delivery_attempts FROM fastqueue.lease('settle-q', 1)$$,
    $$VALUES ('b', 1)$$,
    'the oldest remaining message is leased'
);
SELECT lives_ok(
    format('SELECT fastqueue.nack(%L)', (SELECT id FROM named WHERE name = 'b')),
    'nacking a leased message succeeds'
);
SELECT ok(
    (SELECT m.scheduled_at > now()
            AND m.scheduled_at <= clock_timestamp()
            AND m.updated_at = m.scheduled_at
            AND m.delivery_attempts = 1
            AND m.queue_id = 'settle-q'
     FROM fastqueue.message AS m
     WHERE m.id = (SELECT id FROM named WHERE name = 'b')),
    'a nacked message is visible from the instant of the nack, with its delivery count kept'
);
SELECT results_eq(
    $$
    SELECT data ->> 'name', delivery_attempts FROM fastqueue.lease('settle-q', 1)
    UNION ALL
    SELECT data ->> 'name', delivery_attempts FROM fastqueue.lease('settle-q', 1)
    UNION ALL
    SELECT data ->> 'name', delivery_attempts FROM fastqueue.lease('settle-q', 1)
    $$,
    $$VALUES ('c', 1), ('d', 1), ('b', 2)$$,
    'a nacked message is leased again after the messages that were already waiting'
);

-- Not leased: nacking a message that waits, is delayed, or whose lease has lapsed leaves
-- it exactly as it was.
INSERT INTO named
SELECT 'waiting', (fastqueue.publish('settle-topic', '{"name": "waiting"}')).id;
INSERT INTO named
SELECT 'delayed', (fastqueue.publish('settle-delay-topic', '{"name": "delayed"}')).id;
UPDATE fastqueue.message
SET scheduled_at = clock_timestamp() - interval '1 second'
WHERE id = (SELECT id FROM named WHERE name = 'c');

INSERT INTO before_nack
SELECT n.name, m FROM named AS n JOIN fastqueue.message AS m ON m.id = n.id
WHERE n.name IN ('waiting', 'delayed', 'c');

SELECT lives_ok(
    format('SELECT fastqueue.nack(%L)', (SELECT id FROM named WHERE name = 'waiting')),
    'nacking a waiting message succeeds'
);
SELECT is(
    (SELECT m FROM fastqueue.message AS m
     WHERE m.id = (SELECT id FROM named WHERE name = 'waiting')),
    (SELECT msg FROM before_nack WHERE name = 'waiting'),
    'nacking a message that was never leased changes nothing'
);
SELECT lives_ok(
    format('SELECT fastqueue.nack(%L)', (SELECT id FROM named WHERE name = 'delayed')),
    'nacking a delayed message succeeds'
);
SELECT is(
    (SELECT m FROM fastqueue.message AS m
     WHERE m.id = (SELECT id FROM named WHERE name = 'delayed')),
    (SELECT msg FROM before_nack WHERE name = 'delayed'),
    'nacking a delayed message does not cut its delay short'
);
SELECT lives_ok(
    format('SELECT fastqueue.nack(%L)', (SELECT id FROM named WHERE name = 'c')),
    'nacking a message whose ack deadline passed succeeds'
);
SELECT is(
    (SELECT m FROM fastqueue.message AS m
     WHERE m.id = (SELECT id FROM named WHERE name = 'c')),
    (SELECT msg FROM before_nack WHERE name = 'c'),
    'nacking a message whose lease lapsed changes nothing'
);

SELECT * FROM finish();
ROLLBACK;
