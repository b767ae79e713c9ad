-- pgTAP: idempotent publish. A publish (single or batch) with an idempotency key creates
-- its messages once: a retry with the same topic and key within the window creates
-- nothing and returns the messages first created. Keys are per topic, are claimed again
-- once their window has passed, and cleanup forgets them. (Two sessions publishing with
-- one key at once are tested in tests/test_api_extensions.py.) Every id this file creates
-- starts with idem-.

BEGIN;

SELECT plan(33);

-- What each call returned, by name of the call.
CREATE TEMP TABLE returned (call text, position bigint, msg fastqueue.message_info)
    ON COMMIT DROP;

DO $$
BEGIN
    PERFORM fastqueue.create_topic('idem-topic');
    PERFORM fastqueue.create_queue('idem-a', 'idem-topic');
    PERFORM fastqueue.create_queue('idem-b', 'idem-topic');
    PERFORM fastqueue.create_topic('idem-other');
    PERFORM fastqueue.create_queue('idem-other', 'idem-other');
    PERFORM fastqueue.create_topic('idem-empty');
END;
$$;

-- Runs a publish and records what it returned under p_call.
CREATE PROCEDURE pg_temp.record(p_call text, p_query text)
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format(
        'INSERT INTO returned '
        'SELECT %L, row_number() OVER (), ROW(p.*)::fastqueue.message_info FROM (%s) AS p',
        p_call, p_query);
END;
$$;
CREATE FUNCTION pg_temp.ids(p_call text) RETURNS uuid[]
LANGUAGE sql AS $$
    SELECT array_agg((msg).id ORDER BY position) FROM returned WHERE call = p_call
$$;
-- The signature of fastqueue._claim_idempotency_key.
CREATE TEMP TABLE claim (args text[]) ON COMMIT DROP;
INSERT INTO claim VALUES (ARRAY['text', 'text', 'timestamp with time zone', 'integer']);

CREATE FUNCTION pg_temp.messages_of(p_topic_queues text[]) RETURNS bigint
LANGUAGE sql AS $$
    SELECT count(*) FROM fastqueue.message WHERE queue_id = ANY (p_topic_queues)
$$;

-- ---- shape ---------------------------------------------------------------------------
SELECT has_table('fastqueue', 'idempotency_key', 'keys are kept in fastqueue.idempotency_key');
SELECT col_is_pk('fastqueue', 'idempotency_key', ARRAY['topic_id', 'key'],
    'a key is unique within its topic');
SELECT has_index('fastqueue', 'idempotency_key', 'idempotency_key_expired_idx',
    'cleanup finds expired keys by index');
SELECT has_function(
    'fastqueue', '_claim_idempotency_key', (SELECT args FROM claim),
    'the private helper fastqueue._claim_idempotency_key exists');
SELECT volatility_is(
    'fastqueue', '_claim_idempotency_key', (SELECT args FROM claim),
    'volatile', '_claim_idempotency_key is volatile');
SELECT isnt_definer(
    'fastqueue', '_claim_idempotency_key', (SELECT args FROM claim),
    '_claim_idempotency_key runs with the rights of its caller');

-- ---- a retry within the window -------------------------------------------------------
CALL pg_temp.record('first', $$
    SELECT * FROM fastqueue.publish('idem-topic', '{"n": 1}', '{"k": "v"}',
        p_idempotency_key => 'order-1', p_idempotency_window_seconds => 60)$$);
CALL pg_temp.record('retry', $$
    SELECT * FROM fastqueue.publish('idem-topic', '{"n": 1}', '{"k": "v"}',
        p_idempotency_key => 'order-1', p_idempotency_window_seconds => 60)$$);

SELECT is(cardinality(pg_temp.ids('first')), 2, 'the first publish with a key fans out');
SELECT results_eq(
    $$SELECT position, msg FROM returned WHERE call = 'retry' ORDER BY position$$,
    $$SELECT position, msg FROM returned WHERE call = 'first' ORDER BY position$$,
    'a retry with the same key returns exactly what the first publish returned'
);
SELECT is(pg_temp.messages_of(ARRAY['idem-a', 'idem-b']), 2::bigint,
    'and creates nothing');
SELECT ok(
    (SELECT k.expired_at = k.created_at + interval '60 seconds'
            AND jsonb_array_length(k.messages) = 2
     FROM fastqueue.idempotency_key AS k
     WHERE k.topic_id = 'idem-topic' AND k.key = 'order-1'),
    'the key is remembered for its window, with the messages it created'
);
CALL pg_temp.record('changed', $$
    SELECT * FROM fastqueue.publish('idem-topic', '{"n": 2}', NULL, 30,
        p_idempotency_key => 'order-1', p_idempotency_window_seconds => 60)$$);
SELECT is(pg_temp.ids('changed'), pg_temp.ids('first'),
    'a retry with other contents still answers with the first messages');
DO $$
BEGIN
    PERFORM fastqueue.ack(id) FROM unnest(pg_temp.ids('first')) AS id;
END;
$$;
SELECT is(pg_temp.messages_of(ARRAY['idem-a', 'idem-b']), 0::bigint,
    'the first messages are acked');
CALL pg_temp.record('after-ack', $$
    SELECT * FROM fastqueue.publish('idem-topic', '{"n": 1}', '{"k": "v"}',
        p_idempotency_key => 'order-1', p_idempotency_window_seconds => 60)$$);
SELECT is(pg_temp.ids('after-ack'), pg_temp.ids('first'),
    'a retry after the messages were acked answers with them and creates nothing');
SELECT is(pg_temp.messages_of(ARRAY['idem-a', 'idem-b']), 0::bigint,
    'no message was published again');

-- ---- keys are per topic, and a batch keeps its order -----------------------------------
CALL pg_temp.record('other-topic', $$
    SELECT * FROM fastqueue.publish('idem-other', '{"n": 1}',
        p_idempotency_key => 'order-1')$$);
SELECT is(cardinality(pg_temp.ids('other-topic')), 1,
    'the same key on another topic publishes anew');
CALL pg_temp.record('batch', $$
    SELECT * FROM fastqueue.publish_batch('idem-topic',
        '[{"data": {"n": 1}}, {"data": {"n": 2}}, {"data": {"n": 3}}]', 'batch-1')$$);
CALL pg_temp.record('batch-retry', $$
    SELECT * FROM fastqueue.publish_batch('idem-topic',
        '[{"data": {"n": 1}}, {"data": {"n": 2}}, {"data": {"n": 3}}]', 'batch-1')$$);
SELECT is(cardinality(pg_temp.ids('batch')), 6, 'a keyed batch publishes every copy');
SELECT results_eq(
    $$SELECT position, msg FROM returned WHERE call = 'batch-retry' ORDER BY position$$,
    $$SELECT position, msg FROM returned WHERE call = 'batch' ORDER BY position$$,
    'a retried batch returns the first copies, in the same order'
);
SELECT is(pg_temp.messages_of(ARRAY['idem-a', 'idem-b']), 6::bigint,
    'a retried batch creates nothing');
SELECT ok(
    (SELECT k.expired_at = k.created_at + interval '300 seconds'
     FROM fastqueue.idempotency_key AS k
     WHERE k.topic_id = 'idem-topic' AND k.key = 'batch-1'),
    'the window is 300 seconds unless given'
);

SELECT is(
    (SELECT data FROM fastqueue.publish('idem-other', '{"a": null, "b": {"c": null}}',
        p_idempotency_key => 'nulls')),
    '{"a": null, "b": {"c": null}}'::jsonb,
    'a keyed publish stores the data as sent, nulls inside it included'
);

-- A key that created nothing (no queue matched) still answers: with nothing.
CALL pg_temp.record('empty', $$
    SELECT * FROM fastqueue.publish('idem-empty', '{}', p_idempotency_key => 'e-1')$$);
DO $$ BEGIN PERFORM fastqueue.create_queue('idem-empty', 'idem-empty'); END $$;
CALL pg_temp.record('empty-retry', $$
    SELECT * FROM fastqueue.publish('idem-empty', '{}', p_idempotency_key => 'e-1')$$);
SELECT ok(
    pg_temp.ids('empty') IS NULL AND pg_temp.ids('empty-retry') IS NULL
        AND pg_temp.messages_of(ARRAY['idem-empty']) = 0,
    'a key whose publish reached no queue answers with nothing, even once a queue exists'
);

-- ---- the window ----------------------------------------------------------------------
UPDATE fastqueue.idempotency_key
SET created_at = created_at - interval '61 seconds',
    expired_at = expired_at - interval '61 seconds'
WHERE topic_id = 'idem-topic' AND key = 'order-1';
CALL pg_temp.record('after-window', $$
    SELECT * FROM fastqueue.publish('idem-topic', '{"n": 1}', '{"k": "v"}',
        p_idempotency_key => 'order-1', p_idempotency_window_seconds => 60)$$);
SELECT ok(
    cardinality(pg_temp.ids('after-window')) = 2
        AND NOT pg_temp.ids('after-window') && pg_temp.ids('first'),
    'once the window has passed, the same key publishes anew'
);
CALL pg_temp.record('after-window-retry', $$
    SELECT * FROM fastqueue.publish('idem-topic', '{"n": 1}', '{"k": "v"}',
        p_idempotency_key => 'order-1', p_idempotency_window_seconds => 60)$$);
SELECT is(pg_temp.ids('after-window-retry'), pg_temp.ids('after-window'),
    'and the key is claimed again, with the new messages');

-- Cleanup forgets keys whose window has passed, and only those.
UPDATE fastqueue.idempotency_key
SET expired_at = clock_timestamp() - interval '1 second'
WHERE topic_id = 'idem-topic' AND key = 'batch-1';
DO $$ BEGIN PERFORM fastqueue.cleanup(1000); END $$;
SELECT results_eq(
    $$SELECT key FROM fastqueue.idempotency_key WHERE topic_id = 'idem-topic' ORDER BY key$$,
    $$VALUES ('order-1')$$,
    'cleanup forgets an expired key and keeps the others'
);

-- A publish that fails claims nothing: the key is free for the retry.
SELECT throws_ok(
    $$SELECT fastqueue.publish_batch('idem-topic', '[{"data": {"n": 4}}, {"data": 4}]',
        'failed-1')$$,
    'FQ206', NULL,
    'a keyed batch with a bad message raises FQ206'
);
SELECT is(
    (SELECT count(*) FROM fastqueue.idempotency_key WHERE key = 'failed-1'), 0::bigint,
    'and leaves its key unclaimed'
);

-- ---- errors --------------------------------------------------------------------------
SELECT throws_ok(
    $$SELECT fastqueue.publish('idem-topic', '{}', p_idempotency_key => '')$$,
    'FQ211', NULL,
    'an empty key raises FQ211'
);
SELECT throws_ok(
    format('SELECT fastqueue.publish(%L, %L, p_idempotency_key => %L)',
           'idem-topic', '{}', repeat('k', 256)),
    'FQ211', NULL,
    'a key of 256 characters raises FQ211'
);
SELECT lives_ok(
    format('SELECT fastqueue.publish(%L, %L, p_idempotency_key => %L)',
           'idem-topic', '{}', repeat('k', 255)),
    'a key of 255 characters is accepted'
);
SELECT throws_ok(
    $$SELECT fastqueue.publish('idem-topic', '{}', p_idempotency_key => 'w',
        p_idempotency_window_seconds => 0)$$,
    'FQ202', NULL,
    'a window of 0 seconds raises FQ202'
);
SELECT throws_ok(
    $$SELECT fastqueue.publish_batch('idem-topic', '[{"data": {}}]', 'w', 86401)$$,
    'FQ202', NULL,
    'a window above a day raises FQ202'
);
SELECT throws_ok(
    $$SELECT fastqueue.publish('idem-missing', '{}', p_idempotency_key => 'w')$$,
    'FQ001', NULL,
    'a keyed publish to an unknown topic raises FQ001'
);


-- Keys go with their topic: a topic created again under the same id publishes
-- anew under an old key.
SELECT fastqueue.create_topic('idem-again');
SELECT fastqueue.create_queue('idem-again-q', p_topic_id => 'idem-again');
SELECT fastqueue.publish('idem-again', '{"n": 1}', p_idempotency_key => 'again');
SELECT fastqueue.delete_queue('idem-again-q');
SELECT fastqueue.delete_topic('idem-again');
SELECT fastqueue.create_topic('idem-again');
SELECT fastqueue.create_queue('idem-again-q2', p_topic_id => 'idem-again');
SELECT results_eq(
    $$SELECT queue_id, data FROM fastqueue.publish('idem-again', '{"n": 2}',
          p_idempotency_key => 'again')$$,
    $$VALUES ('idem-again-q2', '{"n": 2}'::jsonb)$$,
    'deleting a topic forgets its idempotency keys'
);

SELECT * FROM finish();
ROLLBACK;
