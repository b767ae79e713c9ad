-- pgTAP: dead-letter tools. A message moved to a dead queue (at its nack, at a lease, or
-- at cleanup) records where from and when; peek and get_message show messages without
-- leasing them and without receipts; redrive takes a limit and, without a destination,
-- sends each message back to the queue it came from. Every id this file creates starts
-- with dlt-.

BEGIN;

SELECT plan(44);

-- Messages by name, as publish returned them.
CREATE TEMP TABLE named (name text PRIMARY KEY, id uuid) ON COMMIT DROP;
-- Rows as they were before a call that should not change them.
CREATE TEMP TABLE before_call ON COMMIT DROP AS SELECT * FROM fastqueue.message WITH NO DATA;

DO $$
BEGIN
    PERFORM fastqueue.create_topic('dlt-topic');
    PERFORM fastqueue.create_topic('dlt-dead-topic');
    PERFORM fastqueue.create_queue('dlt-dead', 'dlt-dead-topic');
    PERFORM fastqueue.create_queue(
        'dlt-src-1', 'dlt-topic', 'dlt-dead', p_message_max_deliveries => 1,
        p_message_filters => '{"to": ["1"]}');
    PERFORM fastqueue.create_queue(
        'dlt-src-2', 'dlt-topic', 'dlt-dead', p_message_max_deliveries => 1,
        p_message_filters => '{"to": ["2"]}', p_delivery_delay_seconds => 5);
    PERFORM fastqueue.create_queue('dlt-src-gone', 'dlt-topic', 'dlt-dead',
        p_message_max_deliveries => 1, p_message_filters => '{"to": ["gone"]}');
    PERFORM fastqueue.create_queue('dlt-elsewhere');

    INSERT INTO named
    SELECT name, (fastqueue.publish('dlt-topic', jsonb_build_object('name', name),
                                    jsonb_build_object('to', target))).id
    FROM (VALUES ('nacked', '1'), ('at-lease', '1'), ('at-cleanup', '2'), ('gone', 'gone'),
                 ('leased', '2')) AS v (name, target);
    INSERT INTO named
    SELECT 'native', (fastqueue.publish('dlt-dead-topic', '{"name": "native"}')).id;
    -- Oldest first in the order above, native first of all.
    UPDATE fastqueue.message AS m
    SET scheduled_at = clock_timestamp() - interval '1 hour'
        + make_interval(secs => array_position(
            ARRAY['native', 'nacked', 'at-lease', 'at-cleanup', 'gone', 'leased'], n.name))
    FROM named AS n
    WHERE m.id = n.id;
END;
$$;

CREATE FUNCTION pg_temp.id_of(p_name text) RETURNS uuid
LANGUAGE sql AS $$ SELECT id FROM named WHERE name = p_name $$;
CREATE FUNCTION pg_temp.row_of(p_name text) RETURNS fastqueue.message
LANGUAGE sql AS $$ SELECT m FROM fastqueue.message AS m WHERE m.id = pg_temp.id_of(p_name) $$;
CREATE PROCEDURE pg_temp.keep_queue(p_queue_id text)
LANGUAGE sql AS $$
    DELETE FROM before_call;
    INSERT INTO before_call SELECT * FROM fastqueue.message WHERE queue_id = p_queue_id;
$$;
CREATE FUNCTION pg_temp.queue_unchanged(p_queue_id text) RETURNS boolean
LANGUAGE sql AS $$
    SELECT NOT EXISTS (
        (SELECT * FROM fastqueue.message WHERE queue_id = p_queue_id
         EXCEPT SELECT * FROM before_call)
        UNION ALL
        (SELECT * FROM before_call
         EXCEPT SELECT * FROM fastqueue.message WHERE queue_id = p_queue_id))
$$;

-- ---- shape ---------------------------------------------------------------------------
SELECT col_type_is('fastqueue', 'message_info', 'dead_lettered_from', 'text',
    'message_info says which queue a message was dead-lettered from');
SELECT col_type_is('fastqueue', 'message_info', 'dead_lettered_at', 'timestamp with time zone',
    'and when');
SELECT has_function('fastqueue', 'peek', ARRAY['text', 'integer'], 'fastqueue.peek exists');
SELECT function_returns('fastqueue', 'peek', ARRAY['text', 'integer'], 'setof message_info',
    'peek returns a set of message_info');
SELECT volatility_is('fastqueue', 'peek', ARRAY['text', 'integer'], 'volatile',
    'peek is volatile (it reads the clock)');
SELECT is_definer('fastqueue', 'peek', ARRAY['text', 'integer'],
    'peek runs with the rights of its owner');
SELECT has_function('fastqueue', 'get_message', ARRAY['uuid'], 'fastqueue.get_message exists');
SELECT function_returns('fastqueue', 'get_message', ARRAY['uuid'], 'message_info',
    'get_message returns a message_info');
SELECT volatility_is('fastqueue', 'get_message', ARRAY['uuid'], 'stable',
    'get_message is stable');
SELECT is_definer('fastqueue', 'get_message', ARRAY['uuid'],
    'get_message runs with the rights of its owner');

-- ---- three ways to the dead queue, each recorded -------------------------------------
SELECT results_eq(
    $$SELECT data ->> 'name' FROM fastqueue.lease('dlt-src-1', 2)$$,
    $$VALUES ('nacked'), ('at-lease')$$,
    'the first delivery of two messages'
);
SELECT lives_ok(
    format('SELECT fastqueue.nack(%L)', pg_temp.id_of('nacked')),
    'a nack after the last allowed delivery succeeds'
);
SELECT ok(
    (SELECT m.queue_id = 'dlt-dead' AND m.dead_lettered_from = 'dlt-src-1'
            AND m.dead_lettered_at BETWEEN now() AND clock_timestamp()
            AND m.dead_lettered_at = m.updated_at
            AND m.receipt IS NULL AND m.delivery_attempts = 0
     FROM fastqueue.message AS m WHERE m.id = pg_temp.id_of('nacked')),
    'a message moved at its nack records its source queue and the instant it moved'
);
UPDATE fastqueue.message
SET scheduled_at = clock_timestamp() - interval '1 second'
WHERE id = pg_temp.id_of('at-lease');
SELECT is_empty(
    $$SELECT * FROM fastqueue.lease('dlt-src-1', 10)$$,
    'a lease finds only a message past its deliveries'
);
SELECT results_eq(
    format($$SELECT queue_id, dead_lettered_from FROM fastqueue.message WHERE id = %L$$,
           pg_temp.id_of('at-lease')),
    $$VALUES ('dlt-dead', 'dlt-src-1')$$,
    'a message moved by a lease records its source queue'
);
DO $$
BEGIN
    PERFORM fastqueue.lease('dlt-src-2', 10);
    -- at-cleanup's lease lapses; leased stays leased.
    UPDATE fastqueue.message
    SET scheduled_at = clock_timestamp() - interval '1 second'
    WHERE id = pg_temp.id_of('at-cleanup');
    PERFORM fastqueue.cleanup(1000);
    PERFORM fastqueue.lease('dlt-src-gone', 10);
    PERFORM fastqueue.nack(pg_temp.id_of('gone'));
    PERFORM fastqueue.delete_queue('dlt-src-gone');
END;
$$;
SELECT results_eq(
    format($$SELECT queue_id, dead_lettered_from FROM fastqueue.message WHERE id = %L$$,
           pg_temp.id_of('at-cleanup')),
    $$VALUES ('dlt-dead', 'dlt-src-2')$$,
    'a message moved by cleanup records its source queue'
);
SELECT ok(
    (SELECT m.dead_lettered_from IS NULL AND m.dead_lettered_at IS NULL
     FROM fastqueue.message AS m WHERE m.id = pg_temp.id_of('native')),
    'a message published to the dead queue has no such record'
);

-- ---- peek ----------------------------------------------------------------------------
-- The dead queue: native, nacked, at-lease, at-cleanup and gone, visible in that order;
-- lease one (native), delay one (at-cleanup), expire one (gone stays, but its row is
-- copied for later).
UPDATE fastqueue.message AS m
SET scheduled_at = clock_timestamp() - interval '10 minutes'
    + make_interval(secs => array_position(
        ARRAY['native', 'nacked', 'at-lease', 'at-cleanup', 'gone'], n.name))
FROM named AS n
WHERE m.id = n.id AND m.queue_id = 'dlt-dead';
DO $$ BEGIN PERFORM fastqueue.lease('dlt-dead', 1); END $$;
UPDATE fastqueue.message
SET scheduled_at = clock_timestamp() + interval '1 hour'
WHERE id = pg_temp.id_of('at-cleanup');
CALL pg_temp.keep_queue('dlt-dead');

SELECT results_eq(
    $$SELECT data ->> 'name', receipt FROM fastqueue.peek('dlt-dead')$$,
    $$VALUES ('nacked', NULL::uuid), ('at-lease', NULL), ('gone', NULL), ('native', NULL),
             ('at-cleanup', NULL)$$,
    'peek shows every unexpired message, leased and delayed too, in lease order, no receipt'
);
SELECT ok(pg_temp.queue_unchanged('dlt-dead'), 'peek changes nothing');
SELECT results_eq(
    $$SELECT data ->> 'name' FROM fastqueue.peek('dlt-dead', 2)$$,
    $$VALUES ('nacked'), ('at-lease')$$,
    'peek shows at most limit messages'
);
SELECT set_eq(
    $$
    SELECT id, queue_id, data, attributes, delivery_attempts, expired_at, scheduled_at,
           created_at, updated_at, dead_lettered_from, dead_lettered_at
    FROM fastqueue.peek('dlt-dead', 1000)
    $$,
    $$
    SELECT id, queue_id, data, attributes, delivery_attempts, expired_at, scheduled_at,
           created_at, updated_at, dead_lettered_from, dead_lettered_at
    FROM fastqueue.message WHERE queue_id = 'dlt-dead'
    $$,
    'peek shows the messages as they are stored'
);
UPDATE fastqueue.message
SET expired_at = clock_timestamp() - interval '1 second'
WHERE id = pg_temp.id_of('gone');
SELECT ok(
    pg_temp.id_of('gone') <> ALL (ARRAY(SELECT id FROM fastqueue.peek('dlt-dead', 1000))),
    'peek leaves out an expired message'
);
UPDATE fastqueue.message
SET expired_at = clock_timestamp() + interval '1 day'
WHERE id = pg_temp.id_of('gone');
SELECT is_empty(
    $$SELECT * FROM fastqueue.peek('dlt-src-1')$$,
    'peek of an empty queue shows nothing'
);
SELECT throws_ok(
    $$SELECT fastqueue.peek('dlt-missing')$$,
    'FQ002', NULL,
    'peek of an unknown queue raises FQ002'
);
SELECT throws_ok(
    $$SELECT fastqueue.peek('dlt-dead', 0)$$,
    'FQ202', NULL,
    'peek of 0 messages raises FQ202'
);
SELECT throws_ok(
    $$SELECT fastqueue.peek('dlt-dead', 1001)$$,
    'FQ202', NULL,
    'peek of 1001 messages raises FQ202'
);

-- ---- get_message ---------------------------------------------------------------------
CALL pg_temp.keep_queue('dlt-src-2');
SELECT ok(
    (SELECT g.id = m.id AND g.queue_id = m.queue_id AND g.delivery_attempts = 1
            AND g.scheduled_at = m.scheduled_at AND g.receipt IS NULL
            AND m.receipt IS NOT NULL
     FROM fastqueue.get_message(pg_temp.id_of('leased')) AS g,
          fastqueue.message AS m
     WHERE m.id = pg_temp.id_of('leased')),
    'get_message shows a leased message as stored, but not its receipt'
);
SELECT ok(pg_temp.queue_unchanged('dlt-src-2'), 'get_message changes nothing');
SELECT results_eq(
    format($$SELECT dead_lettered_from FROM fastqueue.get_message(%L)$$,
           pg_temp.id_of('nacked')),
    $$VALUES ('dlt-src-1')$$,
    'get_message shows where a dead message came from'
);
SELECT throws_ok(
    $$SELECT fastqueue.get_message('00000000-0000-4000-8000-000000000000')$$,
    'FQ003', NULL,
    'get_message of an unknown message raises FQ003'
);

-- ---- redrive back where they came from -----------------------------------------------
-- Available in the dead queue now, oldest first: nacked (from src-1), at-lease (src-1),
-- gone (its queue was deleted). native is leased, at-cleanup delayed.
SELECT is(
    fastqueue.redrive_queue('dlt-dead', p_limit => 1), 1::bigint,
    'a redrive with a limit moves that many'
);
SELECT results_eq(
    $$SELECT data ->> 'name' FROM fastqueue.message WHERE queue_id = 'dlt-src-1'$$,
    $$VALUES ('nacked')$$,
    'the oldest message goes first, back to the queue it came from'
);
SELECT ok(
    (SELECT m.dead_lettered_from IS NULL AND m.dead_lettered_at IS NULL
            AND m.delivery_attempts = 0 AND m.receipt IS NULL
     FROM fastqueue.message AS m WHERE m.id = pg_temp.id_of('nacked')),
    'a redriven message starts over, its dead-letter record cleared'
);
UPDATE fastqueue.message
SET scheduled_at = clock_timestamp() - interval '1 day'
WHERE id = pg_temp.id_of('gone');
SELECT is(
    fastqueue.redrive_queue('dlt-dead', NULL, 1), 1::bigint,
    'a message whose queue is gone does not take a place in the limit'
);
SELECT results_eq(
    $$SELECT queue_id, data ->> 'name' FROM fastqueue.message
      WHERE id IN (SELECT id FROM named WHERE name IN ('at-lease', 'gone'))
      ORDER BY 2$$,
    $$VALUES ('dlt-src-1', 'at-lease'), ('dlt-dead', 'gone')$$,
    'the next one moves, and the one whose queue is gone stays'
);
-- at-cleanup's delay is over, native's lease has lapsed.
UPDATE fastqueue.message
SET scheduled_at = clock_timestamp() - interval '1 second'
WHERE id IN (pg_temp.id_of('at-cleanup'), pg_temp.id_of('native'));
SELECT is(
    fastqueue.redrive_queue('dlt-dead'), 1::bigint,
    'a redrive without a destination nor a limit moves every message it can'
);
SELECT ok(
    (SELECT m.queue_id = 'dlt-src-2'
            AND m.scheduled_at = m.updated_at + interval '5 seconds'
     FROM fastqueue.message AS m WHERE m.id = pg_temp.id_of('at-cleanup')),
    'each to its own queue, with that queue''s delivery delay'
);
SELECT results_eq(
    $$SELECT data ->> 'name' FROM fastqueue.message WHERE queue_id = 'dlt-dead' ORDER BY 1$$,
    $$VALUES ('gone'), ('native')$$,
    'messages that were never dead-lettered, or whose queue is gone, stay'
);
SELECT is(
    fastqueue.redrive_queue('dlt-dead', 'dlt-elsewhere', 1), 1::bigint,
    'a redrive to a destination takes a limit too'
);
SELECT results_eq(
    $$SELECT data ->> 'name', dead_lettered_from FROM fastqueue.message
      WHERE queue_id = 'dlt-elsewhere'$$,
    $$VALUES ('gone', NULL::text)$$,
    'a redrive to a destination moves any message, and clears its record'
);

-- ---- errors --------------------------------------------------------------------------
SELECT throws_ok(
    $$SELECT fastqueue.redrive_queue('dlt-dead', NULL, 0)$$,
    'FQ202', NULL,
    'a redrive limit of 0 raises FQ202'
);
SELECT throws_ok(
    $$SELECT fastqueue.redrive_queue('dlt-missing')$$,
    'FQ002', NULL,
    'a redrive of an unknown queue raises FQ002'
);
SELECT throws_ok(
    $$SELECT fastqueue.redrive_queue('dlt-dead', 'dlt-missing', 5)$$,
    'FQ208', NULL,
    'a redrive to an unknown destination raises FQ208'
);
SELECT throws_ok(
    $$SELECT fastqueue.redrive_queue('dlt-dead', 'dlt-dead', 5)$$,
    'FQ209', NULL,
    'a redrive of a queue to itself raises FQ209'
);

SELECT * FROM finish();
ROLLBACK;
