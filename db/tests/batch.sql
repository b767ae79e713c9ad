-- pgTAP: batches. publish_batch publishes up to 1000 messages in one statement, all or
-- none, and returns every copy in the order given; ack_batch and nack_batch settle up to
-- 1000 messages, each on its own, and say which were settled, unknown or refused for a
-- stale receipt. Every id this file creates starts with batch-.

BEGIN;

SELECT plan(58);

-- Messages by name, as a lease returned them (with their receipts).
CREATE TEMP TABLE leased (name text PRIMARY KEY, msg fastqueue.message_info) ON COMMIT DROP;
-- Rows as they were before a call that should not change them.
CREATE TEMP TABLE before_call (name text PRIMARY KEY, msg fastqueue.message) ON COMMIT DROP;

DO $$
BEGIN
    PERFORM fastqueue.create_topic('batch-topic');
    PERFORM fastqueue.create_queue('batch-all', 'batch-topic');
    PERFORM fastqueue.create_queue(
        'batch-kind-a', 'batch-topic', p_message_filters => '{"kind": ["a"]}');
    PERFORM fastqueue.create_topic('batch-lonely');
    PERFORM fastqueue.create_topic('batch-big');
    PERFORM fastqueue.create_queue('batch-big', 'batch-big');
    PERFORM fastqueue.create_topic('batch-settle');
    PERFORM fastqueue.create_queue('batch-settle-dead');
    PERFORM fastqueue.create_queue(
        'batch-settle', 'batch-settle', 'batch-settle-dead', p_message_max_deliveries => 2);
END;
$$;

CREATE FUNCTION pg_temp.id_of(p_name text) RETURNS uuid
LANGUAGE sql AS $$ SELECT (msg).id FROM leased WHERE name = p_name $$;
CREATE FUNCTION pg_temp.receipt_of(p_name text) RETURNS uuid
LANGUAGE sql AS $$ SELECT (msg).receipt FROM leased WHERE name = p_name $$;
CREATE FUNCTION pg_temp.row_of(p_name text) RETURNS fastqueue.message
LANGUAGE sql AS $$ SELECT m FROM fastqueue.message AS m WHERE m.id = pg_temp.id_of(p_name) $$;
-- A batch item: {"id": ..., "receipt": ...}, the receipt left out when NULL.
CREATE FUNCTION pg_temp.item(p_id uuid, p_receipt uuid DEFAULT NULL) RETURNS jsonb
LANGUAGE sql AS $$
    SELECT jsonb_strip_nulls(jsonb_build_object('id', p_id, 'receipt', p_receipt))
$$;

-- ---- shape ---------------------------------------------------------------------------
SELECT has_function(
    'fastqueue', 'publish_batch', ARRAY['text', 'jsonb', 'text', 'integer'],
    'fastqueue.publish_batch(topic, messages, key, window) exists');
SELECT function_returns(
    'fastqueue', 'publish_batch', ARRAY['text', 'jsonb', 'text', 'integer'],
    'setof message_info', 'publish_batch returns a set of message_info');
SELECT volatility_is(
    'fastqueue', 'publish_batch', ARRAY['text', 'jsonb', 'text', 'integer'], 'volatile',
    'publish_batch is volatile');
SELECT is_definer(
    'fastqueue', 'publish_batch', ARRAY['text', 'jsonb', 'text', 'integer'],
    'publish_batch runs with the rights of its owner');
SELECT has_function('fastqueue', 'ack_batch', ARRAY['jsonb'], 'fastqueue.ack_batch exists');
SELECT function_returns('fastqueue', 'ack_batch', ARRAY['jsonb'], 'settle_result',
    'ack_batch returns a settle_result');
SELECT volatility_is('fastqueue', 'ack_batch', ARRAY['jsonb'], 'volatile',
    'ack_batch is volatile');
SELECT is_definer('fastqueue', 'ack_batch', ARRAY['jsonb'],
    'ack_batch runs with the rights of its owner');
SELECT has_function('fastqueue', 'nack_batch', ARRAY['jsonb'], 'fastqueue.nack_batch exists');
SELECT function_returns('fastqueue', 'nack_batch', ARRAY['jsonb'], 'settle_result',
    'nack_batch returns a settle_result');
SELECT volatility_is('fastqueue', 'nack_batch', ARRAY['jsonb'], 'volatile',
    'nack_batch is volatile');
SELECT is_definer('fastqueue', 'nack_batch', ARRAY['jsonb'],
    'nack_batch runs with the rights of its owner');
SELECT results_eq(
    $$
    SELECT attname::text COLLATE "default", format_type(atttypid, atttypmod)
    FROM pg_attribute
    WHERE attrelid = 'fastqueue.settle_result'::regclass AND attnum > 0
    ORDER BY attnum
    $$,
    $$VALUES ('settled', 'uuid[]'), ('unknown', 'uuid[]'), ('stale', 'uuid[]')$$,
    'settle_result lists the ids settled, unknown and stale'
);

-- ---- publish_batch -------------------------------------------------------------------
CREATE TEMP TABLE published ON COMMIT DROP AS
SELECT row_number() OVER () AS position, p.*
FROM fastqueue.publish_batch('batch-topic', $$[
    {"data": {"n": 1}, "attributes": {"kind": "a"}},
    {"data": {"n": 2}},
    {"data": {"n": 3, "none": null}, "attributes": null, "delay_seconds": null},
    {"data": {"n": 4}, "attributes": {"kind": "a"}, "delay_seconds": 60}
]$$) AS p;

SELECT results_eq(
    $$SELECT (data ->> 'n')::integer, queue_id FROM published ORDER BY position$$,
    $$VALUES (1, 'batch-all'), (1, 'batch-kind-a'), (2, 'batch-all'), (3, 'batch-all'),
             (4, 'batch-all'), (4, 'batch-kind-a')$$,
    'every copy is returned, in the order of the messages, then of the queues'' ids'
);
SELECT set_eq(
    $$
    SELECT m.id, m.queue_id, m.data, m.attributes, m.delivery_attempts, m.expired_at,
           m.scheduled_at, m.created_at, m.updated_at, m.receipt, m.dead_lettered_from,
           m.dead_lettered_at
    FROM fastqueue.message AS m
    WHERE m.queue_id IN ('batch-all', 'batch-kind-a')
    $$,
    $$
    SELECT id, queue_id, data, attributes, delivery_attempts, expired_at, scheduled_at,
           created_at, updated_at, receipt, dead_lettered_from, dead_lettered_at
    FROM published
    $$,
    'what publish_batch returns is what it stored'
);
SELECT is(
    (SELECT count(DISTINCT created_at) FROM published), 1::bigint,
    'one batch is published at one instant'
);
SELECT results_eq(
    $$SELECT data, attributes FROM published WHERE data ->> 'n' = '3'$$,
    $$VALUES ('{"n": 3, "none": null}'::jsonb, NULL::jsonb)$$,
    'data is stored as sent, nulls included; null attributes are none'
);
SELECT ok(
    (SELECT bool_and(scheduled_at = created_at + interval '60 seconds')
     FROM published WHERE data ->> 'n' = '4')
    AND (SELECT bool_and(scheduled_at = created_at)
         FROM published WHERE data ->> 'n' <> '4'),
    'a message''s delay_seconds holds back its copies only'
);
SELECT is_empty(
    $$SELECT * FROM fastqueue.publish_batch('batch-lonely', '[{"data": {}}]')$$,
    'a batch to a topic without queues creates nothing, without error'
);
SELECT is(
    (SELECT count(*) FROM fastqueue.publish_batch('batch-big',
        (SELECT jsonb_agg(jsonb_build_object('data', jsonb_build_object('i', i)))
         FROM generate_series(1, 1000) AS i))),
    1000::bigint,
    'a batch of 1000 messages is published'
);

-- All or nothing: a bad message stops the whole batch, and the error says which.
SELECT throws_ok(
    $$SELECT fastqueue.publish_batch('batch-topic',
        '[{"data": {"n": 5}}, {"data": {"n": 6}}, {"data": [6]}]')$$,
    'FQ206', NULL,
    'a batch with a message whose data is not an object raises FQ206'
);
SELECT throws_like(
    $$SELECT fastqueue.publish_batch('batch-topic',
        '[{"data": {"n": 5}}, {"data": {"n": 6}}, {"data": [6]}]')$$,
    'message 3:%',
    'the error names the position of the bad message, from 1'
);
SELECT is(
    (SELECT count(*) FROM fastqueue.message WHERE data ->> 'n' IN ('5', '6')),
    0::bigint,
    'a refused batch publishes none of its messages'
);
SELECT throws_ok(
    $$SELECT fastqueue.publish_batch('batch-missing', '[{"data": {}}]')$$,
    'FQ001', NULL,
    'a batch to an unknown topic raises FQ001'
);
SELECT throws_ok(
    $$SELECT fastqueue.publish_batch('batch-topic', '{"data": {}}')$$,
    'FQ206', NULL,
    'messages that are not an array raise FQ206'
);
SELECT throws_ok(
    $$SELECT fastqueue.publish_batch('batch-topic', NULL)$$,
    'FQ206', NULL,
    'no messages at all raise FQ206'
);
SELECT throws_ok(
    $$SELECT fastqueue.publish_batch('batch-topic', '[{"data": {}}, 7]')$$,
    'FQ206', NULL,
    'a message that is not an object raises FQ206'
);
SELECT throws_ok(
    $$SELECT fastqueue.publish_batch('batch-topic', '[{"data": {}, "extra": 1}]')$$,
    'FQ206', NULL,
    'a message with an unknown field raises FQ206'
);
SELECT throws_ok(
    $$SELECT fastqueue.publish_batch('batch-topic', '[{"data": {}, "attributes": {"n": 1}}]')$$,
    'FQ206', NULL,
    'attributes that are not strings raise FQ206'
);
SELECT throws_ok(
    $$SELECT fastqueue.publish_batch('batch-topic', '[]')$$,
    'FQ202', NULL,
    'an empty batch raises FQ202'
);
SELECT throws_ok(
    $$SELECT fastqueue.publish_batch('batch-topic',
        (SELECT jsonb_agg('{"data": {}}'::jsonb) FROM generate_series(1, 1001)))$$,
    'FQ202', NULL,
    'a batch of 1001 messages raises FQ202'
);
SELECT throws_ok(
    $$SELECT fastqueue.publish_batch('batch-topic', '[{"data": {}, "delay_seconds": 901}]')$$,
    'FQ202', NULL,
    'a delay above 900 seconds raises FQ202'
);
SELECT throws_ok(
    $$SELECT fastqueue.publish_batch('batch-topic', '[{"data": {}, "delay_seconds": "soon"}]')$$,
    '22P02', NULL,
    'a delay that is not a whole number raises 22P02'
);

-- ---- ack_batch -----------------------------------------------------------------------
DO $$
BEGIN
    PERFORM fastqueue.publish_batch('batch-settle', '[
        {"data": {"name": "a"}}, {"data": {"name": "b"}}, {"data": {"name": "c"}},
        {"data": {"name": "d"}}, {"data": {"name": "e"}}, {"data": {"name": "f"}},
        {"data": {"name": "g"}}, {"data": {"name": "waiting"}}
    ]');
    -- Visible in the order of their names, one second apart.
    UPDATE fastqueue.message AS m
    SET scheduled_at = clock_timestamp() - interval '5 minutes'
        + make_interval(secs => ascii(m.data ->> 'name'))
    WHERE m.queue_id = 'batch-settle';
END;
$$;
INSERT INTO leased
SELECT l.data ->> 'name', l FROM fastqueue.lease('batch-settle', 7) AS l;

INSERT INTO before_call SELECT 'c', pg_temp.row_of('c');
CREATE TEMP TABLE acked ON COMMIT DROP AS
SELECT * FROM fastqueue.ack_batch(jsonb_build_array(
    pg_temp.item(pg_temp.id_of('a')),
    pg_temp.item(pg_temp.id_of('b'), pg_temp.receipt_of('b')),
    pg_temp.item(pg_temp.id_of('c'), pg_temp.receipt_of('d')),
    pg_temp.item('00000000-0000-4000-8000-000000000001')
));
SELECT is(
    (SELECT settled FROM acked),
    (SELECT array_agg(id ORDER BY id) FROM unnest(ARRAY[pg_temp.id_of('a'), pg_temp.id_of('b')])
        AS id),
    'ack_batch settles a message by id alone and one with its current receipt, by id order'
);
SELECT is(
    (SELECT stale FROM acked), ARRAY[pg_temp.id_of('c')],
    'ack_batch refuses a message whose receipt is stale'
);
SELECT is(
    (SELECT unknown FROM acked), ARRAY['00000000-0000-4000-8000-000000000001'::uuid],
    'ack_batch reports an unknown message'
);
SELECT is(
    (SELECT count(*) FROM fastqueue.message
     WHERE id IN (pg_temp.id_of('a'), pg_temp.id_of('b'))),
    0::bigint,
    'the settled messages are deleted'
);
SELECT is(
    pg_temp.row_of('c'), (SELECT msg FROM before_call WHERE name = 'c'),
    'the message with a stale receipt is left as it was'
);
SELECT is(
    fastqueue.ack_batch(jsonb_build_array(
        jsonb_build_object('id', pg_temp.id_of('c'), 'receipt', NULL))),
    ROW(ARRAY[pg_temp.id_of('c')], '{}', '{}')::fastqueue.settle_result,
    'a null receipt is no receipt'
);

-- ---- nack_batch ----------------------------------------------------------------------
DELETE FROM before_call;
INSERT INTO before_call SELECT 'e', pg_temp.row_of('e');
UPDATE fastqueue.message SET delivery_attempts = 2 WHERE id = pg_temp.id_of('g');
CREATE TEMP TABLE nacked ON COMMIT DROP AS
SELECT * FROM fastqueue.nack_batch(jsonb_build_array(
    pg_temp.item(pg_temp.id_of('d'), pg_temp.receipt_of('d')),
    pg_temp.item(pg_temp.id_of('e'), pg_temp.receipt_of('f')),
    pg_temp.item(pg_temp.id_of('f')),
    pg_temp.item(pg_temp.id_of('g')),
    pg_temp.item((SELECT id FROM fastqueue.message
                  WHERE queue_id = 'batch-settle' AND data ->> 'name' = 'waiting')),
    pg_temp.item('00000000-0000-4000-8000-000000000002')
));
SELECT is(
    (SELECT settled FROM nacked),
    (SELECT array_agg(m.id ORDER BY m.id)
     FROM (VALUES (pg_temp.id_of('d')), (pg_temp.id_of('f')), (pg_temp.id_of('g')),
                  ((SELECT id FROM fastqueue.message WHERE data ->> 'name' = 'waiting'
                       AND queue_id = 'batch-settle'))) AS m (id)),
    'nack_batch settles leased messages, and a waiting one that it leaves alone, by id order'
);
SELECT is(
    (SELECT stale FROM nacked), ARRAY[pg_temp.id_of('e')],
    'nack_batch refuses a message whose receipt is stale'
);
SELECT is(
    (SELECT unknown FROM nacked), ARRAY['00000000-0000-4000-8000-000000000002'::uuid],
    'nack_batch reports an unknown message'
);
SELECT ok(
    (SELECT bool_and(m.receipt IS NULL AND m.scheduled_at <= clock_timestamp())
     FROM fastqueue.message AS m WHERE m.id IN (pg_temp.id_of('d'), pg_temp.id_of('f'))),
    'the nacked messages are visible again, their receipts spent'
);
SELECT is(
    pg_temp.row_of('e'), (SELECT msg FROM before_call WHERE name = 'e'),
    'the message with a stale receipt is still leased, as it was'
);
SELECT results_eq(
    format($$SELECT queue_id, dead_lettered_from FROM fastqueue.message WHERE id = %L$$,
           pg_temp.id_of('g')),
    $$VALUES ('batch-settle-dead', 'batch-settle')$$,
    'a nacked message on its last delivery moves to the dead queue'
);

-- ---- errors of both settling batches ------------------------------------------------
SELECT throws_ok(
    $$SELECT fastqueue.ack_batch('{"id": "00000000-0000-4000-8000-000000000001"}')$$,
    'FQ206', NULL,
    'ack_batch of something that is not an array raises FQ206'
);
SELECT throws_ok(
    $$SELECT fastqueue.ack_batch('[{"id": "00000000-0000-4000-8000-000000000001"}, 1]')$$,
    'FQ206', NULL,
    'ack_batch of an item that is not an object raises FQ206'
);
SELECT throws_ok(
    $$SELECT fastqueue.ack_batch('[{"receipt": "00000000-0000-4000-8000-000000000001"}]')$$,
    'FQ206', NULL,
    'ack_batch of an item without an id raises FQ206'
);
SELECT throws_ok(
    $$SELECT fastqueue.ack_batch(
        '[{"id": "00000000-0000-4000-8000-000000000001", "queue": "x"}]')$$,
    'FQ206', NULL,
    'ack_batch of an item with an unknown field raises FQ206'
);
SELECT throws_ok(
    $$SELECT fastqueue.ack_batch('[{"id": "00000000-0000-4000-8000-000000000001",
                                   "receipt": 1}]')$$,
    'FQ206', NULL,
    'ack_batch of a receipt that is not a string raises FQ206'
);
SELECT throws_ok(
    $$SELECT fastqueue.ack_batch('[{"id": "00000000-0000-4000-8000-000000000001"},
                                   {"id": "00000000-0000-4000-8000-000000000001",
                                    "receipt": "00000000-0000-4000-8000-000000000009"}]')$$,
    'FQ206', NULL,
    'ack_batch naming one message twice raises FQ206'
);
SELECT throws_ok(
    $$SELECT fastqueue.ack_batch('[]')$$,
    'FQ202', NULL,
    'an empty ack_batch raises FQ202'
);
SELECT throws_ok(
    $$SELECT fastqueue.ack_batch((SELECT jsonb_agg(jsonb_build_object('id', gen_random_uuid()))
                                  FROM generate_series(1, 1001)))$$,
    'FQ202', NULL,
    'an ack_batch of 1001 messages raises FQ202'
);
SELECT throws_ok(
    $$SELECT fastqueue.ack_batch('[{"id": "not-a-uuid"}]')$$,
    '22P02', NULL,
    'ack_batch of an id that is not a UUID raises 22P02'
);
SELECT throws_ok(
    $$SELECT fastqueue.nack_batch('[7]')$$,
    'FQ206', NULL,
    'nack_batch of an item that is not an object raises FQ206'
);
SELECT throws_ok(
    $$SELECT fastqueue.nack_batch('[{"id": "00000000-0000-4000-8000-000000000001"},
                                    {"id": "00000000-0000-4000-8000-000000000001"}]')$$,
    'FQ206', NULL,
    'nack_batch naming one message twice raises FQ206'
);
SELECT throws_ok(
    $$SELECT fastqueue.nack_batch('[]')$$,
    'FQ202', NULL,
    'an empty nack_batch raises FQ202'
);
SELECT throws_ok(
    $$SELECT fastqueue.nack_batch('[{"id": "00000000-0000-4000-8000-000000000001",
                                    "receipt": "stale"}]')$$,
    '22P02', NULL,
    'nack_batch of a receipt that is not a UUID raises 22P02'
);

SELECT * FROM finish();
ROLLBACK;
