-- pgTAP: topics: create, get, list by page, delete, and what deleting does to queues.
-- Other topics may already exist in the database, so every list check is written
-- relative to the topics this file creates (ids starting with tt-).

BEGIN;

SELECT plan(17);

-- Holds what the functions under test returned, for the checks that follow.
CREATE TEMP TABLE created_topic (topic fastqueue.topic) ON COMMIT DROP;

-- create_topic stores the topic and returns it, stamped with the clock at the call
-- (not the start of the caller's transaction); get_topic returns the stored topic.
INSERT INTO created_topic SELECT fastqueue.create_topic('tt-orders');

SELECT is(
    (SELECT (topic).id FROM created_topic),
    'tt-orders',
    'create_topic returns the topic it created'
);
SELECT ok(
    (SELECT (topic).created_at > now() AND (topic).created_at <= clock_timestamp()
     FROM created_topic),
    'create_topic stamps created_at with the clock at the call, not the transaction start'
);
SELECT is(
    fastqueue.get_topic('tt-orders'),
    (SELECT topic FROM created_topic),
    'get_topic returns the topic as create_topic returned it'
);
SELECT results_eq(
    $$SELECT id, created_at FROM fastqueue.topic WHERE id = 'tt-orders'$$,
    $$SELECT (topic).id, (topic).created_at FROM created_topic$$,
    'create_topic stores exactly the topic it returns'
);

-- list_topics orders by id (not by creation), returns 10 by default, and pages with
-- offset and limit without skipping or repeating a topic.
DO $$
BEGIN
    PERFORM fastqueue.create_topic(format('tt-list-%s', lpad(n::text, 2, '0')))
    FROM generate_series(12, 1, -1) AS n;
END;
$$;

SELECT results_eq(
    $$SELECT id FROM fastqueue.list_topics(0, 1000) WHERE id LIKE 'tt-list-%'$$,
    $$SELECT format('tt-list-%s', lpad(n::text, 2, '0')) FROM generate_series(1, 12) AS n$$,
    'list_topics orders topics by id, not by creation'
);
SELECT is(
    (SELECT count(*) FROM fastqueue.list_topics(0, 1000)),
    (SELECT count(*) FROM fastqueue.topic),
    'list_topics with a page larger than the number of topics returns all of them'
);
SELECT is(
    (SELECT count(*) FROM fastqueue.list_topics()),
    10::bigint,
    'list_topics returns 10 topics when no limit is given'
);
SELECT results_eq(
    $$SELECT id FROM fastqueue.list_topics()$$,
    $$SELECT id FROM fastqueue.list_topics(0, 10)$$,
    'list_topics starts at the first topic when no offset is given'
);
SELECT results_eq(
    $$
    SELECT id
    FROM fastqueue.list_topics(
        (SELECT count(*)::integer FROM fastqueue.topic WHERE id < 'tt-list-03'), 4)
    $$,
    ARRAY['tt-list-03', 'tt-list-04', 'tt-list-05', 'tt-list-06'],
    'list_topics skips offset topics and returns at most limit of them'
);
SELECT results_eq(
    $$
    SELECT page.id
    FROM generate_series(0, (SELECT count(*)::integer FROM fastqueue.topic) / 5) AS n
    CROSS JOIN LATERAL fastqueue.list_topics(n * 5, 5) WITH ORDINALITY AS page
    ORDER BY n, page.ordinality
    $$,
    $$SELECT id FROM fastqueue.list_topics(0, 1000)$$,
    'paging through list_topics returns every topic once, in order'
);
SELECT is_empty(
    $$SELECT * FROM fastqueue.list_topics((SELECT count(*)::integer FROM fastqueue.topic))$$,
    'list_topics past the last topic returns an empty page'
);

-- delete_topic removes the topic and nothing else.
DO $$ BEGIN PERFORM fastqueue.create_topic('tt-gone'); END; $$;

SELECT lives_ok(
    $$SELECT fastqueue.delete_topic('tt-gone')$$,
    'delete_topic deletes an existing topic'
);
SELECT is_empty(
    $$SELECT * FROM fastqueue.topic WHERE id = 'tt-gone'$$,
    'a deleted topic is no longer stored'
);
SELECT is(
    (SELECT count(*) FROM fastqueue.topic WHERE id LIKE 'tt-list-%'),
    12::bigint,
    'delete_topic leaves the other topics alone'
);

-- Deleting a topic detaches its queues: they stay, with the rest of their definition,
-- and a new topic of the same name does not take them back.
DO $$
BEGIN
    PERFORM fastqueue.create_topic('tt-detach');
    PERFORM fastqueue.create_queue(
        'tt-detach-q1', p_topic_id => 'tt-detach', p_ack_deadline_seconds => 45,
        p_message_filters => '{"kind": ["a"]}');
    PERFORM fastqueue.create_queue('tt-detach-q2', p_topic_id => 'tt-detach');
    PERFORM fastqueue.create_queue('tt-stay-q', p_topic_id => 'tt-list-01');
    PERFORM fastqueue.delete_topic('tt-detach');
END;
$$;

SELECT results_eq(
    $$
    SELECT id, topic_id, ack_deadline_seconds, message_filters
    FROM fastqueue.queue
    WHERE id LIKE 'tt-detach-q%'
    ORDER BY id
    $$,
    $$
    VALUES ('tt-detach-q1', NULL::text, 45, '{"kind": ["a"]}'::jsonb),
           ('tt-detach-q2', NULL::text, 30, NULL::jsonb)
    $$,
    'delete_topic keeps the queues of the topic, detached, with the rest of their definition'
);
SELECT is(
    (SELECT topic_id FROM fastqueue.queue WHERE id = 'tt-stay-q'),
    'tt-list-01',
    'delete_topic leaves the queues of other topics attached'
);
DO $$ BEGIN PERFORM fastqueue.create_topic('tt-detach'); END; $$;

SELECT is_empty(
    $$SELECT * FROM fastqueue.queue WHERE topic_id = 'tt-detach'$$,
    'a topic created again under a deleted id starts without queues'
);

SELECT * FROM finish();
ROLLBACK;
