-- pgTAP: publish fans a message out to the queues of its topic whose filter matches, one
-- copy per queue with that queue's delay and retention, in the caller's transaction; it
-- refuses an unknown topic and a malformed body. Every id this file creates starts with
-- pub-, so queues of other tests in the same database never take part.

BEGIN;

SELECT plan(34);

-- What publish returned, by the case that published it.
CREATE TEMP TABLE published (label text, msg fastqueue.message_info) ON COMMIT DROP;

DO $$
BEGIN
    PERFORM fastqueue.create_topic('pub-topic');
    PERFORM fastqueue.create_topic('pub-other');
    PERFORM fastqueue.create_topic('pub-lonely');
    PERFORM fastqueue.create_topic('pub-picky');
    -- Named so that their ids sort in the order of the cases below.
    PERFORM fastqueue.create_queue(
        'pub-a-all', 'pub-topic', p_message_retention_seconds => 600);
    PERFORM fastqueue.create_queue(
        'pub-b-empty', 'pub-topic', p_message_filters => '{}',
        p_message_retention_seconds => 3600, p_delivery_delay_seconds => 5);
    PERFORM fastqueue.create_queue(
        'pub-c-one', 'pub-topic', p_message_filters => '{"event": ["created", "deleted"]}',
        p_delivery_delay_seconds => 900);
    PERFORM fastqueue.create_queue(
        'pub-d-two', 'pub-topic',
        p_message_filters => '{"event": ["created"], "region": ["eu"]}');
    PERFORM fastqueue.create_queue('pub-x-other', 'pub-other');
    PERFORM fastqueue.create_queue('pub-y-no-topic');
    PERFORM fastqueue.create_queue(
        'pub-z-picky', 'pub-picky', p_message_filters => '{"event": ["created"]}');
END;
$$;

-- Shape: publish takes a topic, data, optional attributes, delay and idempotency key,
-- and returns message_info rows.
SELECT has_function(
    'fastqueue', 'publish', ARRAY['text', 'jsonb', 'jsonb', 'integer', 'text', 'integer'],
    'fastqueue.publish(topic, data, attributes, delay, key, window) exists'
);
SELECT function_returns(
    'fastqueue', 'publish', ARRAY['text', 'jsonb', 'jsonb', 'integer', 'text', 'integer'],
    'setof message_info',
    'publish returns a set of message_info'
);
SELECT volatility_is(
    'fastqueue', 'publish', ARRAY['text', 'jsonb', 'jsonb', 'integer', 'text', 'integer'],
    'volatile',
    'publish is volatile'
);
SELECT is_definer(
    'fastqueue', 'publish', ARRAY['text', 'jsonb', 'jsonb', 'integer', 'text', 'integer'],
    'publish runs with the rights of its owner'
);

-- Fan-out: one copy per matching queue, returned in queue id order, each with its queue's
-- delivery delay and retention counted from the instant of publication.
INSERT INTO published
SELECT 'all keys', p
FROM fastqueue.publish(
    'pub-topic', '{"order": 42}', '{"event": "created", "region": "eu"}') AS p;

SELECT results_eq(
    $$
    SELECT (msg).queue_id, (msg).data, (msg).attributes, (msg).delivery_attempts,
           (msg).scheduled_at - (msg).created_at, (msg).expired_at - (msg).created_at,
           (msg).updated_at = (msg).created_at
    FROM published WHERE label = 'all keys'
    ORDER BY (msg).queue_id
    $$,
    $$
    VALUES
        ('pub-a-all', '{"order": 42}'::jsonb, '{"event": "created", "region": "eu"}'::jsonb,
         0, interval '0', interval '600 seconds', true),
        ('pub-b-empty', '{"order": 42}', '{"event": "created", "region": "eu"}',
         0, interval '5 seconds', interval '3600 seconds', true),
        ('pub-c-one', '{"order": 42}', '{"event": "created", "region": "eu"}',
         0, interval '900 seconds', interval '1209600 seconds', true),
        ('pub-d-two', '{"order": 42}', '{"event": "created", "region": "eu"}',
         0, interval '0', interval '1209600 seconds', true)
    $$,
    'publish returns one new message per matching queue, with that queue''s delay and '
        || 'retention'
);
SELECT is(
    (SELECT count(DISTINCT (msg).id) FROM published WHERE label = 'all keys'),
    4::bigint,
    'every copy of a published message has its own message id'
);
SELECT is(
    (SELECT count(DISTINCT (msg).created_at) FROM published WHERE label = 'all keys'),
    1::bigint,
    'every copy of a published message has the same created_at'
);
SELECT ok(
    (SELECT bool_and((msg).created_at > now()) FROM published WHERE label = 'all keys'),
    'publish stamps messages with the clock at the call, not the transaction start'
);
SELECT set_eq(
    $$
    SELECT m.id, m.queue_id, m.data, m.attributes, m.delivery_attempts, m.expired_at,
           m.scheduled_at, m.created_at, m.updated_at, m.receipt, m.dead_lettered_from,
           m.dead_lettered_at
    FROM fastqueue.message AS m
    WHERE m.queue_id LIKE 'pub-%'
    $$,
    $$SELECT (msg).* FROM published WHERE label = 'all keys'$$,
    'the messages publish returns are the ones it stored, and nothing else was stored'
);

-- Filters: a filter takes a message when each of its keys is among the attributes with one
-- of the listed values; no filter and the empty filter take everything.
INSERT INTO published
SELECT 'event created', p
FROM fastqueue.publish('pub-topic', '{}', '{"event": "created"}') AS p;
INSERT INTO published
SELECT 'value not listed', p
FROM fastqueue.publish('pub-topic', '{}', '{"event": "updated", "region": "eu"}') AS p;
INSERT INTO published
SELECT 'no attributes', p FROM fastqueue.publish('pub-topic', '{}') AS p;
INSERT INTO published
SELECT 'empty attributes', p FROM fastqueue.publish('pub-topic', '{}', '{}') AS p;
INSERT INTO published
SELECT 'extra key', p
FROM fastqueue.publish(
    'pub-topic', '{}', '{"event": "deleted", "region": "us", "source": "web"}') AS p;
INSERT INTO published
SELECT 'wrong case', p
FROM fastqueue.publish('pub-topic', '{}', '{"Event": "created", "region": "EU"}') AS p;

SELECT is(
    (SELECT array_agg((msg).queue_id ORDER BY (msg).queue_id)
     FROM published WHERE label = 'event created'),
    ARRAY['pub-a-all', 'pub-b-empty', 'pub-c-one'],
    'a filter with several keys refuses a message that lacks one of them'
);
SELECT is(
    (SELECT array_agg((msg).queue_id ORDER BY (msg).queue_id)
     FROM published WHERE label = 'value not listed'),
    ARRAY['pub-a-all', 'pub-b-empty'],
    'a filter refuses a message whose attribute value it does not list'
);
SELECT is(
    (SELECT array_agg((msg).queue_id ORDER BY (msg).queue_id)
     FROM published WHERE label = 'no attributes'),
    ARRAY['pub-a-all', 'pub-b-empty'],
    'a message without attributes goes only to queues with no filter or the empty filter'
);
SELECT is(
    (SELECT array_agg((msg).queue_id ORDER BY (msg).queue_id)
     FROM published WHERE label = 'empty attributes'),
    ARRAY['pub-a-all', 'pub-b-empty'],
    'a message with empty attributes goes only to queues with no filter or the empty filter'
);
SELECT is(
    (SELECT array_agg((msg).queue_id ORDER BY (msg).queue_id)
     FROM published WHERE label = 'extra key'),
    ARRAY['pub-a-all', 'pub-b-empty', 'pub-c-one'],
    'attributes a filter does not name do not matter; every key it names must match'
);
SELECT is(
    (SELECT array_agg((msg).queue_id ORDER BY (msg).queue_id)
     FROM published WHERE label = 'wrong case'),
    ARRAY['pub-a-all', 'pub-b-empty'],
    'filter keys and values match case-sensitively'
);
SELECT is(
    (SELECT (msg).attributes FROM published
     WHERE label = 'no attributes' AND (msg).queue_id = 'pub-a-all'),
    NULL::jsonb,
    'a message published without attributes has none'
);

-- Topics: only the queues of the topic published to get a copy.
SELECT is(
    (SELECT count(*) FROM fastqueue.message
     WHERE queue_id IN ('pub-x-other', 'pub-y-no-topic')),
    0::bigint,
    'queues of another topic and queues without a topic get nothing'
);
SELECT results_eq(
    $$SELECT queue_id FROM fastqueue.publish('pub-other', '{"n": 1}')$$,
    $$VALUES ('pub-x-other')$$,
    'publishing to another topic reaches only that topic''s queue'
);
SELECT is_empty(
    $$SELECT * FROM fastqueue.publish('pub-lonely', '{"n": 1}')$$,
    'publishing to a topic without queues succeeds and creates nothing'
);
SELECT is_empty(
    $$SELECT * FROM fastqueue.publish('pub-picky', '{"n": 1}', '{"event": "updated"}')$$,
    'publishing what no queue of the topic accepts succeeds and creates nothing'
);

-- Transactions: publish is part of the caller's transaction, so a caller that gives up
-- takes the messages back with it.
CREATE TEMP TABLE before_rollback ON COMMIT DROP AS
SELECT count(*) AS n FROM fastqueue.message WHERE queue_id LIKE 'pub-%';

SELECT throws_ok(
    $$
    DO $do$
    BEGIN
        PERFORM fastqueue.publish('pub-topic', '{"n": "rolled back"}', '{"event": "created"}');
        RAISE EXCEPTION 'the caller gives up' USING ERRCODE = 'P0001';
    END;
    $do$
    $$,
    'P0001', 'the caller gives up',
    'a block that publishes and then fails raises its own error'
);
SELECT is(
    (SELECT count(*) FROM fastqueue.message WHERE queue_id LIKE 'pub-%'),
    (SELECT n FROM before_rollback),
    'a publish whose transaction rolls back leaves no message in any queue'
);
SELECT is(
    (SELECT count(*) FROM fastqueue.message WHERE data = '{"n": "rolled back"}'),
    0::bigint,
    'none of the fanned-out copies of a rolled-back publish survives'
);

-- Errors: an unknown topic and a body that is not what consumers are promised.
SELECT throws_ok(
    $$SELECT fastqueue.publish('pub-missing', '{"n": 1}')$$,
    'FQ001', NULL,
    'publishing to an unknown topic raises FQ001'
);
SELECT throws_ok(
    $$SELECT fastqueue.publish('pub-topic', '[1, 2]')$$,
    'FQ206', NULL,
    'data that is a JSON array raises FQ206'
);
SELECT throws_ok(
    $$SELECT fastqueue.publish('pub-topic', '"text"')$$,
    'FQ206', NULL,
    'data that is a JSON string raises FQ206'
);
SELECT throws_ok(
    $$SELECT fastqueue.publish('pub-topic', 'null'::jsonb)$$,
    'FQ206', NULL,
    'data that is JSON null raises FQ206'
);
SELECT throws_ok(
    $$SELECT fastqueue.publish('pub-topic', NULL)$$,
    'FQ206', NULL,
    'missing data (SQL NULL) raises FQ206'
);
SELECT throws_ok(
    $$SELECT fastqueue.publish('pub-topic', '{}', '{"event": 1}')$$,
    'FQ206', NULL,
    'an attribute with a number value raises FQ206'
);
SELECT throws_ok(
    $$SELECT fastqueue.publish('pub-topic', '{}', '{"event": null}')$$,
    'FQ206', NULL,
    'an attribute with a null value raises FQ206'
);
SELECT throws_ok(
    $$SELECT fastqueue.publish('pub-topic', '{}', '["event"]')$$,
    'FQ206', NULL,
    'attributes that are not a JSON object raise FQ206'
);
SELECT throws_ok(
    $$SELECT fastqueue.publish('pub-topic', '{"text": "a\u0000b"}')$$,
    '22P05', NULL,
    'a \u0000 escape in data is refused by jsonb with 22P05'
);
SELECT throws_ok(
    $$SELECT fastqueue.publish('pub-topic', '{}', '{"event": "\u0000"}')$$,
    '22P05', NULL,
    'a \u0000 escape in attributes is refused by jsonb with 22P05'
);
SELECT is(
    (SELECT count(*) FROM fastqueue.message WHERE queue_id LIKE 'pub-%'),
    (SELECT n FROM before_rollback),
    'a refused publish stores nothing'
);

SELECT * FROM finish();
ROLLBACK;
