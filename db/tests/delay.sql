-- pgTAP: per-message delay. A delay given with a message (0 to 900 seconds, single or
-- batch publish) hides every copy for that long and overrides each queue's delivery
-- delay; without one, each queue's delay applies. A delayed message is neither leased
-- nor counted as available until its time comes. Every id this file creates starts
-- with delay-.

BEGIN;

SELECT plan(20);

-- Messages by name: the copy in each queue.
CREATE TEMP TABLE named (name text, msg fastqueue.message_info) ON COMMIT DROP;

DO $$
BEGIN
    PERFORM fastqueue.create_topic('delay-topic');
    PERFORM fastqueue.create_queue('delay-plain', 'delay-topic');
    PERFORM fastqueue.create_queue('delay-slow', 'delay-topic', p_delivery_delay_seconds => 60);
END;
$$;

-- Seconds between publication and visibility of each copy of a named message.
CREATE FUNCTION pg_temp.delays(p_name text) RETURNS TABLE (queue_id text, seconds numeric)
LANGUAGE sql AS $$
    SELECT (msg).queue_id, extract(epoch FROM (msg).scheduled_at - (msg).created_at)
    FROM named WHERE name = p_name ORDER BY (msg).queue_id
$$;

-- ---- shape ---------------------------------------------------------------------------
SELECT results_eq(
    $$SELECT min_value, max_value FROM fastqueue.setting WHERE name = 'message_delay_seconds'$$,
    $$VALUES (0, 900)$$,
    'a message''s delay is bounded by the setting message_delay_seconds, 0 to 900'
);
SELECT has_function(
    'fastqueue', '_check_message', ARRAY['jsonb', 'jsonb', 'integer', 'bigint'],
    'the private helper fastqueue._check_message checks the delay too');
SELECT volatility_is(
    'fastqueue', '_check_message', ARRAY['jsonb', 'jsonb', 'integer', 'bigint'], 'stable',
    '_check_message is stable');

-- ---- who decides the delay -----------------------------------------------------------
INSERT INTO named
SELECT 'none', p FROM fastqueue.publish('delay-topic', '{"n": 1}') AS p;
INSERT INTO named
SELECT 'thirty', p FROM fastqueue.publish('delay-topic', '{"n": 2}', NULL, 30) AS p;
INSERT INTO named
SELECT 'zero', p FROM fastqueue.publish('delay-topic', '{"n": 3}', NULL, 0) AS p;
INSERT INTO named
SELECT 'keyed', p FROM fastqueue.publish('delay-topic', '{"n": 4}', NULL, 900,
    p_idempotency_key => 'delay-key') AS p;
INSERT INTO named
SELECT CASE p.data ->> 'n' WHEN '5' THEN 'batch-ten' ELSE 'batch-none' END, p
FROM fastqueue.publish_batch('delay-topic',
    '[{"data": {"n": 5}, "delay_seconds": 10}, {"data": {"n": 6}}]') AS p;

SELECT results_eq(
    $$SELECT * FROM pg_temp.delays('none')$$,
    $$VALUES ('delay-plain', 0::numeric), ('delay-slow', 60::numeric)$$,
    'without a delay of its own, each copy takes its queue''s delivery delay'
);
SELECT results_eq(
    $$SELECT * FROM pg_temp.delays('thirty')$$,
    $$VALUES ('delay-plain', 30::numeric), ('delay-slow', 30::numeric)$$,
    'a message''s delay applies to every copy, shorter or longer than the queue''s'
);
SELECT results_eq(
    $$SELECT * FROM pg_temp.delays('zero')$$,
    $$VALUES ('delay-plain', 0::numeric), ('delay-slow', 0::numeric)$$,
    'a delay of 0 makes every copy visible at once, even in a delay queue'
);
SELECT results_eq(
    $$SELECT * FROM pg_temp.delays('keyed')$$,
    $$VALUES ('delay-plain', 900::numeric), ('delay-slow', 900::numeric)$$,
    'a keyed publish applies its delay too, up to 900 seconds'
);
SELECT results_eq(
    $$SELECT * FROM pg_temp.delays('batch-ten')$$,
    $$VALUES ('delay-plain', 10::numeric), ('delay-slow', 10::numeric)$$,
    'a batch message''s delay_seconds applies to its copies'
);
SELECT results_eq(
    $$SELECT * FROM pg_temp.delays('batch-none')$$,
    $$VALUES ('delay-plain', 0::numeric), ('delay-slow', 60::numeric)$$,
    'a batch message without one takes the queues'' delays'
);

-- ---- a delayed message waits ---------------------------------------------------------
SELECT results_eq(
    $$SELECT (data ->> 'n')::integer FROM fastqueue.lease('delay-plain', 100) ORDER BY 1$$,
    $$VALUES (1), (3), (6)$$,
    'a lease takes only the messages whose delay is over'
);
SELECT is(
    (fastqueue.get_queue_stats('delay-slow')).num_undelivered_messages, 1::bigint,
    'stats count only the messages whose delay is over'
);
SELECT ok(
    (SELECT (q ->> 'delayed')::integer = 5
     FROM jsonb_array_elements(fastqueue.get_metrics() -> 'queues') AS q
     WHERE q ->> 'queue_id' = 'delay-slow'),
    'the metrics count the others as delayed'
);
-- Thirty seconds later, as far as the messages can tell.
UPDATE fastqueue.message
SET scheduled_at = scheduled_at - interval '30 seconds',
    created_at = created_at - interval '30 seconds'
WHERE queue_id = 'delay-slow';
SELECT results_eq(
    $$SELECT (data ->> 'n')::integer FROM fastqueue.lease('delay-slow', 100) ORDER BY 1$$,
    $$VALUES (2), (3), (5)$$,
    'once its delay is over, a message is leased, whatever its queue''s delay'
);

-- ---- errors --------------------------------------------------------------------------
SELECT throws_ok(
    $$SELECT fastqueue.publish('delay-topic', '{}', NULL, -1)$$,
    'FQ202', NULL,
    'a negative delay raises FQ202'
);
SELECT throws_ok(
    $$SELECT fastqueue.publish('delay-topic', '{}', NULL, 901)$$,
    'FQ202', NULL,
    'a delay above 900 seconds raises FQ202'
);
SELECT throws_ok(
    $$SELECT fastqueue.publish('delay-topic', '{}', NULL, 901, p_idempotency_key => 'd')$$,
    'FQ202', NULL,
    'a keyed publish with a delay above 900 seconds raises FQ202'
);
SELECT throws_ok(
    $$SELECT fastqueue.publish_batch('delay-topic', '[{"data": {}, "delay_seconds": -1}]')$$,
    'FQ202', NULL,
    'a batch message with a negative delay raises FQ202'
);
SELECT throws_ok(
    $$SELECT fastqueue.publish_batch('delay-topic', '[{"data": {}, "delay_seconds": 1.5}]')$$,
    '22P02', NULL,
    'a batch message with a fractional delay raises 22P02'
);
SELECT throws_ok(
    $$SELECT fastqueue.publish_batch('delay-topic',
        '[{"data": {}, "delay_seconds": 99999999999}]')$$,
    '22003', NULL,
    'a batch message with a delay beyond an integer raises 22003'
);
SELECT is(
    (SELECT count(*) FROM fastqueue.message WHERE queue_id LIKE 'delay-%'),
    12::bigint,
    'refused publishes create nothing'
);

SELECT * FROM finish();
ROLLBACK;
