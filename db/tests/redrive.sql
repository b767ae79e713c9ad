-- pgTAP: redrive moves the available messages of a queue to another one, as new messages
-- there: same id and created_at, delivery count 0, the destination's retention and
-- delivery delay, whatever the destination's filter says. Leased, delayed, expired and
-- capped messages stay. Every id this file creates starts with redrive-.

BEGIN;

SELECT plan(14);

-- Messages by name, as publish returned them.
CREATE TEMP TABLE named (name text PRIMARY KEY, msg fastqueue.message_info) ON COMMIT DROP;

DO $$
BEGIN
    PERFORM fastqueue.create_topic('redrive-topic');
    PERFORM fastqueue.create_topic('redrive-dst-topic');
    PERFORM fastqueue.create_queue('redrive-src-dead');
    PERFORM fastqueue.create_queue(
        'redrive-src', 'redrive-topic', 'redrive-src-dead',
        p_ack_deadline_seconds => 30, p_message_max_deliveries => 3);
    PERFORM fastqueue.create_queue(
        'redrive-dst', 'redrive-dst-topic',
        p_message_filters => '{"k": ["never"]}',
        p_message_retention_seconds => 3600, p_delivery_delay_seconds => 30);
    PERFORM fastqueue.create_queue('redrive-dst-2', p_message_retention_seconds => 600);
    PERFORM fastqueue.create_queue('redrive-empty');

    INSERT INTO named
    SELECT name, p
    FROM unnest(ARRAY['lapsed', 'leased', 'waiting', 'delayed', 'expired', 'capped']) AS name,
         LATERAL fastqueue.publish(
             'redrive-topic', jsonb_build_object('name', name), '{"k": "other"}') AS p;

    -- 'lapsed' and 'leased' first in line, leased together; then 'lapsed' lets its ack
    -- deadline pass.
    UPDATE fastqueue.message AS m
    SET scheduled_at = clock_timestamp() - CASE n.name
        WHEN 'lapsed' THEN interval '2 hours'
        WHEN 'leased' THEN interval '1 hour'
        ELSE interval '30 minutes'
    END
    FROM named AS n
    WHERE m.id = (n.msg).id;
    PERFORM fastqueue.lease('redrive-src', 2);
    UPDATE fastqueue.message
    SET scheduled_at = clock_timestamp() - interval '1 second'
    WHERE id = (SELECT (msg).id FROM named WHERE name = 'lapsed');

    UPDATE fastqueue.message
    SET scheduled_at = clock_timestamp() + interval '1 minute'
    WHERE id = (SELECT (msg).id FROM named WHERE name = 'delayed');
    UPDATE fastqueue.message
    SET expired_at = clock_timestamp() - interval '1 second'
    WHERE id = (SELECT (msg).id FROM named WHERE name = 'expired');
    -- As if leased three times and abandoned: it waits for the dead queue.
    UPDATE fastqueue.message
    SET delivery_attempts = 3
    WHERE id = (SELECT (msg).id FROM named WHERE name = 'capped');
END;
$$;

-- Shape: redrive_queue takes a source and a destination and returns how many moved.
SELECT has_function(
    'fastqueue', 'redrive_queue', ARRAY['text', 'text', 'integer'],
    'fastqueue.redrive_queue(queue, destination) exists'
);
SELECT function_returns(
    'fastqueue', 'redrive_queue', ARRAY['text', 'text', 'integer'], 'bigint',
    'redrive_queue returns a count'
);
SELECT volatility_is(
    'fastqueue', 'redrive_queue', ARRAY['text', 'text', 'integer'], 'volatile',
    'redrive_queue is volatile'
);
SELECT is_definer(
    'fastqueue', 'redrive_queue', ARRAY['text', 'text', 'integer'],
    'redrive_queue runs with the rights of its owner'
);

-- Redrive: only the available messages move, as new messages of the destination.
SELECT is(
    fastqueue.redrive_queue('redrive-src', 'redrive-dst'),
    2::bigint,
    'redrive returns how many messages it moved'
);
SELECT results_eq(
    $$
    SELECT n.name, m.queue_id, m.delivery_attempts, m.created_at = (n.msg).created_at,
           m.updated_at > now(), m.scheduled_at - m.updated_at, m.expired_at - m.updated_at
    FROM fastqueue.message AS m JOIN named AS n ON (n.msg).id = m.id
    WHERE m.queue_id = 'redrive-dst'
    ORDER BY n.name
    $$,
    $$
    VALUES ('lapsed', 'redrive-dst', 0, true, true, interval '30 seconds',
            interval '3600 seconds'),
           ('waiting', 'redrive-dst', 0, true, true, interval '30 seconds',
            interval '3600 seconds')
    $$,
    'redrive moves the available messages, past the destination''s filter, with their id '
        || 'and created_at, a fresh delivery count and the destination''s delay and retention'
);
SELECT results_eq(
    $$
    SELECT n.name, m.queue_id, m.delivery_attempts
    FROM fastqueue.message AS m JOIN named AS n ON (n.msg).id = m.id
    WHERE m.queue_id <> 'redrive-dst'
    ORDER BY n.name
    $$,
    $$
    VALUES ('capped', 'redrive-src', 3), ('delayed', 'redrive-src', 0),
           ('expired', 'redrive-src', 0), ('leased', 'redrive-src', 1)
    $$,
    'redrive leaves capped, delayed, expired and leased messages where they are'
);

-- Delivery delay: redriven messages wait out the destination's delay like new ones.
SELECT is(
    fastqueue.redrive_queue('redrive-dst', 'redrive-dst-2'),
    0::bigint,
    'messages in their delivery delay are not available to redrive'
);

UPDATE fastqueue.message
SET scheduled_at = clock_timestamp() - interval '1 second'
WHERE queue_id = 'redrive-dst';

SELECT is(
    fastqueue.redrive_queue('redrive-dst', 'redrive-dst-2'),
    2::bigint,
    'messages past their delivery delay are redriven'
);
SELECT results_eq(
    $$
    SELECT data ->> 'name', delivery_attempts
    FROM fastqueue.lease('redrive-dst-2')
    ORDER BY 1
    $$,
    $$VALUES ('lapsed', 1), ('waiting', 1)$$,
    'messages redriven to a queue without delay can be leased at once'
);
SELECT is(
    fastqueue.redrive_queue('redrive-empty', 'redrive-src'),
    0::bigint,
    'redriving an empty queue moves nothing'
);

-- Errors: the queue itself, an unknown destination and an unknown source.
SELECT throws_ok(
    $$SELECT fastqueue.redrive_queue('redrive-src', 'redrive-src')$$,
    'FQ209', NULL,
    'redriving a queue to itself raises FQ209'
);
SELECT throws_ok(
    $$SELECT fastqueue.redrive_queue('redrive-src', 'redrive-missing')$$,
    'FQ208', NULL,
    'redriving to an unknown queue raises FQ208'
);
SELECT throws_ok(
    $$SELECT fastqueue.redrive_queue('redrive-missing', 'redrive-src')$$,
    'FQ002', NULL,
    'redriving an unknown queue raises FQ002'
);

SELECT * FROM finish();
ROLLBACK;
