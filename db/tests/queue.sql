-- pgTAP: queues: create, get, list by page, update, patch and delete, including what
-- deleting a dead queue does to the queues that used it. Other queues may already exist
-- in the database, so every list check is written relative to the queues this file
-- creates (ids starting with qt-).

BEGIN;

SELECT plan(38);

-- Holds what the functions under test returned, for the checks that follow.
CREATE TEMP TABLE returned_queue (step text PRIMARY KEY, queue fastqueue.queue)
    ON COMMIT DROP;

-- Timestamps the tests set on rows, to see which ones a call changes.
CREATE TEMP TABLE fixed (at timestamptz) ON COMMIT DROP;
INSERT INTO fixed VALUES ('2000-01-01 00:00:00+00');

DO $$
BEGIN
    PERFORM fastqueue.create_topic('qt-topic');
    PERFORM fastqueue.create_topic('qt-topic-2');
    PERFORM fastqueue.create_queue('qt-dead');
    PERFORM fastqueue.create_queue('qt-dead-2');
END;
$$;

-- create_queue with only an id takes the documented defaults and stamps both
-- timestamps with the clock at the call; get_queue returns what create_queue returned.
INSERT INTO returned_queue SELECT 'create plain', fastqueue.create_queue('qt-plain');

SELECT results_eq(
    $$
    SELECT (queue).id, (queue).topic_id, (queue).dead_queue_id,
           (queue).ack_deadline_seconds, (queue).message_retention_seconds,
           (queue).message_filters, (queue).message_max_deliveries,
           (queue).delivery_delay_seconds
    FROM returned_queue WHERE step = 'create plain'
    $$,
    $$
    VALUES ('qt-plain', NULL::text, NULL::text, 30, 1209600, NULL::jsonb, NULL::integer,
            NULL::integer)
    $$,
    'create_queue with only an id has no topic, no dead queue, no filters, no delay, '
        || 'a 30 s ack deadline and 14 days of retention'
);
SELECT ok(
    (SELECT (queue).created_at > now()
            AND (queue).updated_at = (queue).created_at
     FROM returned_queue WHERE step = 'create plain'),
    'create_queue sets created_at and updated_at alike, from the clock at the call'
);
SELECT is(
    fastqueue.get_queue('qt-plain'),
    (SELECT queue FROM returned_queue WHERE step = 'create plain'),
    'get_queue returns the queue as create_queue returned it'
);

-- create_queue stores every field it is given.
INSERT INTO returned_queue
SELECT 'create full', fastqueue.create_queue(
    'qt-full',
    p_topic_id => 'qt-topic',
    p_dead_queue_id => 'qt-dead',
    p_ack_deadline_seconds => 60,
    p_message_retention_seconds => 3600,
    p_message_filters => '{"event": ["created", "deleted"]}',
    p_message_max_deliveries => 5,
    p_delivery_delay_seconds => 10
);

SELECT results_eq(
    $$
    SELECT id, topic_id, dead_queue_id, ack_deadline_seconds, message_retention_seconds,
           message_filters, message_max_deliveries, delivery_delay_seconds
    FROM fastqueue.get_queue('qt-full')
    $$,
    $$
    VALUES ('qt-full', 'qt-topic', 'qt-dead', 60, 3600,
            '{"event": ["created", "deleted"]}'::jsonb, 5, 10)
    $$,
    'create_queue stores the topic, dead queue, bounds, filters and delay it is given'
);
SELECT is(
    fastqueue.get_queue('qt-full'),
    (SELECT queue FROM returned_queue WHERE step = 'create full'),
    'create_queue returns the queue as it stored it'
);
SELECT lives_ok(
    $$SELECT fastqueue.create_queue('qt-empty-filter', p_message_filters => '{}')$$,
    'create_queue accepts an empty filter, which takes every message'
);

-- list_queues orders by id (not by creation), returns 10 by default, and pages with
-- offset and limit without skipping or repeating a queue.
DO $$
BEGIN
    PERFORM fastqueue.create_queue(format('qt-list-%s', lpad(n::text, 2, '0')))
    FROM generate_series(12, 1, -1) AS n;
END;
$$;

SELECT results_eq(
    $$SELECT id FROM fastqueue.list_queues(0, 1000) WHERE id LIKE 'qt-list-%'$$,
    $$SELECT format('qt-list-%s', lpad(n::text, 2, '0')) FROM generate_series(1, 12) AS n$$,
    'list_queues orders queues by id, not by creation'
);
SELECT results_eq(
    $$SELECT * FROM fastqueue.list_queues(0, 1000) WHERE id = 'qt-full'$$,
    $$SELECT * FROM fastqueue.get_queue('qt-full')$$,
    'list_queues returns whole queue definitions'
);
SELECT is(
    (SELECT count(*) FROM fastqueue.list_queues(0, 1000)),
    (SELECT count(*) FROM fastqueue.queue),
    'list_queues with a page larger than the number of queues returns all of them'
);
SELECT is(
    (SELECT count(*) FROM fastqueue.list_queues()),
    10::bigint,
    'list_queues returns 10 queues when no limit is given'
);
SELECT results_eq(
    $$SELECT id FROM fastqueue.list_queues()$$,
    $$SELECT id FROM fastqueue.list_queues(0, 10)$$,
    'list_queues starts at the first queue when no offset is given'
);
SELECT results_eq(
    $$
    SELECT id
    FROM fastqueue.list_queues(
        (SELECT count(*)::integer FROM fastqueue.queue WHERE id < 'qt-list-03'), 4)
    $$,
    ARRAY['qt-list-03', 'qt-list-04', 'qt-list-05', 'qt-list-06'],
    'list_queues skips offset queues and returns at most limit of them'
);
SELECT results_eq(
    $$
    SELECT page.id
    FROM generate_series(0, (SELECT count(*)::integer FROM fastqueue.queue) / 5) AS n
    CROSS JOIN LATERAL fastqueue.list_queues(n * 5, 5) WITH ORDINALITY AS page
    ORDER BY n, page.ordinality
    $$,
    $$SELECT id FROM fastqueue.list_queues(0, 1000)$$,
    'paging through list_queues returns every queue once, in order'
);
SELECT is_empty(
    $$SELECT * FROM fastqueue.list_queues((SELECT count(*)::integer FROM fastqueue.queue))$$,
    'list_queues past the last queue returns an empty page'
);

-- update_queue replaces the whole definition: every argument left out takes its
-- default. It keeps created_at and moves updated_at to the clock at the call.
DO $$
BEGIN
    PERFORM fastqueue.create_queue(
        'qt-update', p_topic_id => 'qt-topic', p_dead_queue_id => 'qt-dead',
        p_ack_deadline_seconds => 45, p_message_retention_seconds => 7200,
        p_message_filters => '{"kind": ["a"]}', p_message_max_deliveries => 3,
        p_delivery_delay_seconds => 5);
END;
$$;
UPDATE fastqueue.queue
SET created_at = fixed.at, updated_at = fixed.at
FROM fixed
WHERE id = 'qt-update';

INSERT INTO returned_queue
SELECT 'update partial', fastqueue.update_queue('qt-update', p_ack_deadline_seconds => 90);

SELECT results_eq(
    $$
    SELECT id, topic_id, dead_queue_id, ack_deadline_seconds, message_retention_seconds,
           message_filters, message_max_deliveries, delivery_delay_seconds
    FROM fastqueue.get_queue('qt-update')
    $$,
    $$
    VALUES ('qt-update', NULL::text, NULL::text, 90, 1209600, NULL::jsonb, NULL::integer,
            NULL::integer)
    $$,
    'update_queue resets every field it is not given to its default'
);
SELECT is(
    (fastqueue.get_queue('qt-update')).created_at,
    (SELECT at FROM fixed),
    'update_queue keeps created_at'
);
SELECT ok(
    (fastqueue.get_queue('qt-update')).updated_at > now(),
    'update_queue moves updated_at to the clock at the call'
);
SELECT is(
    fastqueue.get_queue('qt-update'),
    (SELECT queue FROM returned_queue WHERE step = 'update partial'),
    'update_queue returns the queue as it stored it'
);

INSERT INTO returned_queue
SELECT 'update full', fastqueue.update_queue(
    'qt-update',
    p_topic_id => 'qt-topic-2',
    p_dead_queue_id => 'qt-dead-2',
    p_ack_deadline_seconds => 120,
    p_message_retention_seconds => 86400,
    p_message_filters => '{"region": ["eu", "us"]}',
    p_message_max_deliveries => 8,
    p_delivery_delay_seconds => 30
);

SELECT results_eq(
    $$
    SELECT id, topic_id, dead_queue_id, ack_deadline_seconds, message_retention_seconds,
           message_filters, message_max_deliveries, delivery_delay_seconds
    FROM fastqueue.get_queue('qt-update')
    $$,
    $$
    VALUES ('qt-update', 'qt-topic-2', 'qt-dead-2', 120, 86400,
            '{"region": ["eu", "us"]}'::jsonb, 8, 30)
    $$,
    'update_queue stores every field it is given'
);

-- patch_queue changes only the fields it is given, keeps created_at and moves
-- updated_at; a JSON null clears a field.
DO $$
BEGIN
    PERFORM fastqueue.create_queue(
        'qt-patch', p_topic_id => 'qt-topic', p_dead_queue_id => 'qt-dead',
        p_ack_deadline_seconds => 20, p_message_retention_seconds => 7200,
        p_message_filters => '{"kind": ["a"]}', p_message_max_deliveries => 4,
        p_delivery_delay_seconds => 15);
END;
$$;
UPDATE fastqueue.queue
SET created_at = fixed.at, updated_at = fixed.at
FROM fixed
WHERE id = 'qt-patch';

INSERT INTO returned_queue
SELECT 'patch ack', fastqueue.patch_queue('qt-patch', '{"ack_deadline_seconds": 120}');

SELECT results_eq(
    $$
    SELECT id, topic_id, dead_queue_id, ack_deadline_seconds, message_retention_seconds,
           message_filters, message_max_deliveries, delivery_delay_seconds
    FROM fastqueue.get_queue('qt-patch')
    $$,
    $$
    VALUES ('qt-patch', 'qt-topic', 'qt-dead', 120, 7200, '{"kind": ["a"]}'::jsonb, 4, 15)
    $$,
    'patch_queue changes the field it is given and keeps every other one'
);
SELECT is(
    (fastqueue.get_queue('qt-patch')).created_at,
    (SELECT at FROM fixed),
    'patch_queue keeps created_at'
);
SELECT ok(
    (fastqueue.get_queue('qt-patch')).updated_at > now(),
    'patch_queue moves updated_at to the clock at the call'
);
SELECT is(
    fastqueue.get_queue('qt-patch'),
    (SELECT queue FROM returned_queue WHERE step = 'patch ack'),
    'patch_queue returns the queue as it stored it'
);

SELECT results_eq(
    $$
    SELECT message_filters, message_retention_seconds, topic_id
    FROM fastqueue.patch_queue(
        'qt-patch',
        '{"message_filters": {"kind": ["b", "c"], "region": ["eu"]},
          "message_retention_seconds": 600,
          "topic_id": "qt-topic-2"}')
    $$,
    $$VALUES ('{"kind": ["b", "c"], "region": ["eu"]}'::jsonb, 600, 'qt-topic-2')$$,
    'patch_queue replaces filters, retention and topic with the values it is given'
);
SELECT results_eq(
    $$
    SELECT id, topic_id, dead_queue_id, ack_deadline_seconds, message_retention_seconds,
           message_filters, message_max_deliveries, delivery_delay_seconds
    FROM fastqueue.patch_queue(
        'qt-patch',
        '{"topic_id": null, "message_filters": null, "delivery_delay_seconds": null}')
    $$,
    $$
    VALUES ('qt-patch', NULL::text, 'qt-dead', 120, 600, NULL::jsonb, 4, NULL::integer)
    $$,
    'patch_queue clears the fields given as JSON null and keeps the others'
);
SELECT results_eq(
    $$
    SELECT dead_queue_id, message_max_deliveries
    FROM fastqueue.patch_queue(
        'qt-patch', '{"dead_queue_id": null, "message_max_deliveries": null}')
    $$,
    $$VALUES (NULL::text, NULL::integer)$$,
    'patch_queue clears the dead queue and max deliveries together'
);
SELECT results_eq(
    $$
    SELECT dead_queue_id, message_max_deliveries
    FROM fastqueue.patch_queue(
        'qt-patch', '{"dead_queue_id": "qt-dead-2", "message_max_deliveries": 7}')
    $$,
    $$VALUES ('qt-dead-2', 7)$$,
    'patch_queue sets a dead queue and max deliveries together'
);
SELECT results_eq(
    $$
    SELECT id, topic_id, dead_queue_id, ack_deadline_seconds, message_retention_seconds,
           message_filters, message_max_deliveries, delivery_delay_seconds, created_at
    FROM fastqueue.patch_queue('qt-patch', '{}')
    $$,
    $$
    SELECT id, topic_id, dead_queue_id, ack_deadline_seconds, message_retention_seconds,
           message_filters, message_max_deliveries, delivery_delay_seconds, created_at
    FROM fastqueue.queue
    WHERE id = 'qt-patch'
    $$,
    'patch_queue with no changes keeps the whole definition'
);

-- delete_queue removes the queue; the topic it belonged to and the dead queue it used
-- stay, and its id can be used again.
SELECT lives_ok(
    $$SELECT fastqueue.delete_queue('qt-full')$$,
    'delete_queue deletes an existing queue'
);
SELECT is_empty(
    $$SELECT * FROM fastqueue.queue WHERE id = 'qt-full'$$,
    'a deleted queue is no longer stored'
);
SELECT results_eq(
    $$
    SELECT (SELECT count(*) FROM fastqueue.topic WHERE id = 'qt-topic'),
           (SELECT count(*) FROM fastqueue.queue WHERE id = 'qt-dead')
    $$,
    $$VALUES (1::bigint, 1::bigint)$$,
    'delete_queue leaves the topic and the dead queue of the deleted queue'
);
SELECT is(
    (SELECT count(*) FROM fastqueue.queue WHERE id LIKE 'qt-list-%'),
    12::bigint,
    'delete_queue leaves the other queues alone'
);
SELECT lives_ok(
    $$SELECT fastqueue.create_queue('qt-full')$$,
    'a deleted queue id can be used for a new queue'
);

-- Deleting a queue that others use as their dead queue clears both dead_queue_id and
-- message_max_deliveries of each of them, and moves their updated_at; the rest of
-- their definition stays, and queues with another dead queue are left alone.
DO $$
BEGIN
    PERFORM fastqueue.create_queue('qt-dlq');
    PERFORM fastqueue.create_queue(
        'qt-source-1', p_topic_id => 'qt-topic', p_dead_queue_id => 'qt-dlq',
        p_ack_deadline_seconds => 40, p_message_max_deliveries => 3);
    PERFORM fastqueue.create_queue(
        'qt-source-2', p_dead_queue_id => 'qt-dlq', p_message_max_deliveries => 9);
    PERFORM fastqueue.create_queue(
        'qt-source-3', p_dead_queue_id => 'qt-dead', p_message_max_deliveries => 2);
END;
$$;
UPDATE fastqueue.queue
SET updated_at = fixed.at
FROM fixed
WHERE id LIKE 'qt-source-%';

SELECT lives_ok(
    $$SELECT fastqueue.delete_queue('qt-dlq')$$,
    'delete_queue deletes a queue that other queues use as their dead queue'
);
SELECT results_eq(
    $$
    SELECT id, dead_queue_id, message_max_deliveries, topic_id, ack_deadline_seconds
    FROM fastqueue.queue
    WHERE id IN ('qt-source-1', 'qt-source-2')
    ORDER BY id
    $$,
    $$
    VALUES ('qt-source-1', NULL::text, NULL::integer, 'qt-topic', 40),
           ('qt-source-2', NULL::text, NULL::integer, NULL::text, 30)
    $$,
    'delete_queue clears dead_queue_id and message_max_deliveries of the queues that '
        || 'used it, and keeps the rest of their definition'
);
SELECT ok(
    (SELECT bool_and(updated_at > now())
     FROM fastqueue.queue
     WHERE id IN ('qt-source-1', 'qt-source-2')),
    'delete_queue moves updated_at of the queues it detaches'
);
SELECT results_eq(
    $$
    SELECT dead_queue_id, message_max_deliveries, updated_at
    FROM fastqueue.queue
    WHERE id = 'qt-source-3'
    $$,
    $$SELECT 'qt-dead', 2, at FROM fixed$$,
    'delete_queue leaves queues with another dead queue untouched'
);

-- A queue in the middle of a chain of dead queues can be deleted: the queue before it
-- is detached, the one after it stays.
DO $$
BEGIN
    PERFORM fastqueue.create_queue('qt-chain-c');
    PERFORM fastqueue.create_queue(
        'qt-chain-b', p_dead_queue_id => 'qt-chain-c', p_message_max_deliveries => 1);
    PERFORM fastqueue.create_queue(
        'qt-chain-a', p_dead_queue_id => 'qt-chain-b', p_message_max_deliveries => 1);
    PERFORM fastqueue.delete_queue('qt-chain-b');
END;
$$;

SELECT results_eq(
    $$
    SELECT id, dead_queue_id, message_max_deliveries
    FROM fastqueue.queue
    WHERE id LIKE 'qt-chain-%'
    ORDER BY id
    $$,
    $$VALUES ('qt-chain-a', NULL::text, NULL::integer), ('qt-chain-c', NULL, NULL)$$,
    'deleting the middle of a dead-queue chain detaches the queue before it and keeps '
        || 'the one after it'
);

SELECT * FROM finish();
ROLLBACK;
