-- pgTAP: retry back-off and the delay of one nack. A queue may set a retry back-off: a
-- message nacked after its n-th delivery waits min(max, min * 2^(n - 1)) seconds (max 600
-- when not set) before it can be leased again. A nack may ask for its own delay (0..900),
-- which wins over the back-off. Until then the message has no receipt and counts as
-- delayed; its last allowed delivery still sends it to the dead queue at once. Delays are
-- read from scheduled_at - updated_at (both the instant of the nack), never by sleeping.
-- Every id this file creates starts with bo-.

BEGIN;

SELECT plan(58);

-- Messages by name, as publish returned them.
CREATE TEMP TABLE named (name text PRIMARY KEY, id uuid) ON COMMIT DROP;
-- Receipts by name, as the last lease returned them.
CREATE TEMP TABLE receipts (name text PRIMARY KEY, receipt uuid) ON COMMIT DROP;
-- What each nack of the back-off series left behind.
CREATE TEMP TABLE series (
    delivery_attempts integer, wait interval, receipt uuid, queue_id text
) ON COMMIT DROP;
-- Rows as they were before a call that should not change them.
CREATE TEMP TABLE before_call (name text PRIMARY KEY, msg fastqueue.message) ON COMMIT DROP;

DO $$
BEGIN
    PERFORM fastqueue.create_topic('bo-topic');
    PERFORM fastqueue.create_queue('bo-dead');
    -- A series 5, 10, 20, then capped at 30.
    PERFORM fastqueue.create_queue(
        'bo-q', 'bo-topic', p_retry_min_backoff_seconds => 5,
        p_retry_max_backoff_seconds => 30);
    PERFORM fastqueue.create_queue('bo-plain', 'bo-topic');
    PERFORM fastqueue.create_queue(
        'bo-capped', 'bo-topic', 'bo-dead', p_message_max_deliveries => 2,
        p_retry_min_backoff_seconds => 60);
END;
$$;

CREATE FUNCTION pg_temp.id_of(p_name text) RETURNS uuid
LANGUAGE sql AS $$ SELECT id FROM named WHERE name = p_name $$;
CREATE FUNCTION pg_temp.row_of(p_name text) RETURNS fastqueue.message
LANGUAGE sql AS $$ SELECT m FROM fastqueue.message AS m WHERE m.id = pg_temp.id_of(p_name) $$;
-- How long the message waits after the nack that last touched it.
CREATE FUNCTION pg_temp.wait_of(p_name text) RETURNS interval
LANGUAGE sql AS $$ SELECT r.scheduled_at - r.updated_at FROM pg_temp.row_of(p_name) AS r $$;
-- Publishes a message that only queue p_queue_id keeps, and leases it there.
CREATE PROCEDURE pg_temp.publish_and_lease(p_name text, p_queue_id text)
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO named
    SELECT p_name, p.id
    FROM fastqueue.publish('bo-topic', jsonb_build_object('name', p_name)) AS p
    WHERE p.queue_id = p_queue_id;
    DELETE FROM fastqueue.message
    WHERE data ->> 'name' = p_name AND queue_id <> p_queue_id;
    CALL pg_temp.lease_again(p_name);
END;
$$;
-- Makes the message visible now, as if its wait were over, and leases it.
CREATE PROCEDURE pg_temp.lease_again(p_name text)
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE fastqueue.message
    SET scheduled_at = clock_timestamp() - interval '1 second'
    WHERE id = pg_temp.id_of(p_name);
    DELETE FROM receipts WHERE name = p_name;
    INSERT INTO receipts
    SELECT p_name, l.receipt
    FROM fastqueue.lease((pg_temp.row_of(p_name)).queue_id, 100) AS l
    WHERE l.id = pg_temp.id_of(p_name);
END;
$$;
CREATE FUNCTION pg_temp.receipt_of(p_name text) RETURNS uuid
LANGUAGE sql AS $$ SELECT receipt FROM receipts WHERE name = p_name $$;
CREATE PROCEDURE pg_temp.keep(p_name text)
LANGUAGE sql AS $$
    DELETE FROM before_call WHERE name = p_name;
    INSERT INTO before_call VALUES (p_name, pg_temp.row_of(p_name));
$$;
CREATE FUNCTION pg_temp.unchanged(p_name text) RETURNS boolean
LANGUAGE sql AS $$
    SELECT pg_temp.row_of(p_name) = (SELECT msg FROM before_call WHERE name = p_name)
$$;

-- ---- shape ---------------------------------------------------------------------------
SELECT has_function(
    'fastqueue', '_retry_backoff_seconds', ARRAY['integer', 'integer', 'integer'],
    '_retry_backoff_seconds(min, max, delivery attempts) exists');
SELECT function_returns(
    'fastqueue', '_retry_backoff_seconds', ARRAY['integer', 'integer', 'integer'], 'integer',
    '_retry_backoff_seconds returns seconds');
SELECT volatility_is(
    'fastqueue', '_retry_backoff_seconds', ARRAY['integer', 'integer', 'integer'],
    'immutable', '_retry_backoff_seconds is immutable');
SELECT isnt_definer(
    'fastqueue', '_retry_backoff_seconds', ARRAY['integer', 'integer', 'integer'],
    '_retry_backoff_seconds is not SECURITY DEFINER');
SELECT results_eq(
    $$
    SELECT name, min_value, max_value FROM fastqueue.setting
    WHERE name IN ('retry_min_backoff_seconds', 'retry_max_backoff_seconds',
                   'nack_delay_seconds')
    ORDER BY name
    $$,
    $$
    VALUES ('nack_delay_seconds', 0, 900), ('retry_max_backoff_seconds', 0, 600),
           ('retry_min_backoff_seconds', 0, 600)
    $$,
    'the settings bound the back-off to 0..600 seconds and the delay of a nack to 0..900'
);

-- ---- the formula ---------------------------------------------------------------------
SELECT results_eq(
    $$
    SELECT fastqueue._retry_backoff_seconds(10, 600, n) FROM generate_series(1, 8) AS n
    $$,
    $$VALUES (10), (20), (40), (80), (160), (320), (600), (600)$$,
    'the back-off doubles with each delivery from the minimum and stops at the maximum'
);
SELECT results_eq(
    $$
    VALUES (fastqueue._retry_backoff_seconds(NULL, NULL, 3)),
           (fastqueue._retry_backoff_seconds(1, NULL, 20)),
           (fastqueue._retry_backoff_seconds(3, NULL, 1)),
           (fastqueue._retry_backoff_seconds(0, 0, 7)),
           (fastqueue._retry_backoff_seconds(0, 600, 7)),
           (fastqueue._retry_backoff_seconds(600, 600, 2147483647)),
           (fastqueue._retry_backoff_seconds(2147483647, 2147483647, 2147483647)),
           (fastqueue._retry_backoff_seconds(7, 100, 0))
    $$,
    $$VALUES (NULL::integer), (600), (3), (0), (0), (600), (2147483647), (7)$$,
    'no minimum means no back-off, no maximum caps at 600, a minimum of 0 never waits, and '
        || 'huge delivery counts neither overflow nor go past the cap'
);

-- ---- the queue definition ------------------------------------------------------------
SELECT results_eq(
    $$
    SELECT retry_min_backoff_seconds, retry_max_backoff_seconds
    FROM fastqueue.get_queue('bo-q')
    UNION ALL
    SELECT retry_min_backoff_seconds, retry_max_backoff_seconds
    FROM fastqueue.list_queues(0, 1000) WHERE id = 'bo-q'
    $$,
    $$VALUES (5, 30), (5, 30)$$,
    'get_queue and list_queues show the back-off create_queue was given'
);
SELECT results_eq(
    $$
    SELECT id, retry_min_backoff_seconds, retry_max_backoff_seconds
    FROM fastqueue.list_queues(0, 1000) WHERE id IN ('bo-plain', 'bo-capped') ORDER BY id
    $$,
    $$VALUES ('bo-capped', 60, NULL::integer), ('bo-plain', NULL::integer, NULL::integer)$$,
    'a queue without a back-off shows both fields null; a minimum alone leaves the maximum '
        || 'null'
);
SELECT is(
    (SELECT (q.retry_min_backoff_seconds, q.retry_max_backoff_seconds)::text
     FROM fastqueue.create_queue(
         'bo-positional', 'bo-topic', NULL, 30, 600, NULL, NULL, 10) AS q),
    '(,)',
    'create_queue called with the eight arguments of v1.0.0 by position has no back-off'
);
SELECT is(
    (SELECT (q.retry_min_backoff_seconds, q.retry_max_backoff_seconds)::text
     FROM fastqueue.create_queue('bo-zero', p_retry_min_backoff_seconds => 0,
                                 p_retry_max_backoff_seconds => 0) AS q),
    '(0,0)',
    'a back-off of 0 to 0 seconds is allowed'
);
SELECT throws_ok(
    $$SELECT fastqueue.create_queue('bo-bad', p_retry_min_backoff_seconds => -1)$$,
    'FQ202', 'retry_min_backoff_seconds must be between 0 and 600, got -1',
    'a negative minimum back-off raises FQ202'
);
SELECT throws_ok(
    $$SELECT fastqueue.create_queue('bo-bad', p_retry_min_backoff_seconds => 601)$$,
    'FQ202', NULL,
    'a minimum back-off over 600 raises FQ202'
);
SELECT throws_ok(
    $$
    SELECT fastqueue.create_queue(
        'bo-bad', p_retry_min_backoff_seconds => 1, p_retry_max_backoff_seconds => 601)
    $$,
    'FQ202', 'retry_max_backoff_seconds must be between 0 and 600, got 601',
    'a maximum back-off over 600 raises FQ202'
);
SELECT throws_ok(
    $$SELECT fastqueue.create_queue('bo-bad', p_retry_max_backoff_seconds => 60)$$,
    'FQ212', 'retry_max_backoff_seconds needs retry_min_backoff_seconds',
    'a maximum back-off without a minimum raises FQ212'
);
SELECT throws_ok(
    $$
    SELECT fastqueue.create_queue(
        'bo-bad', p_retry_min_backoff_seconds => 61, p_retry_max_backoff_seconds => 60)
    $$,
    'FQ212', 'retry_min_backoff_seconds (61) must not exceed retry_max_backoff_seconds (60)',
    'a minimum back-off above the maximum raises FQ212'
);
-- An administrator may allow a longer minimum, but without a maximum the cap stays 600.
UPDATE fastqueue.setting SET max_value = 900 WHERE name = 'retry_min_backoff_seconds';
SELECT throws_ok(
    $$SELECT fastqueue.create_queue('bo-bad', p_retry_min_backoff_seconds => 700)$$,
    'FQ212', NULL,
    'without a maximum, a minimum over the 600-second cap raises FQ212 even where the '
        || 'settings allow it'
);
UPDATE fastqueue.setting SET max_value = 600 WHERE name = 'retry_min_backoff_seconds';
SELECT is(
    (SELECT count(*) FROM fastqueue.queue WHERE id = 'bo-bad'),
    0::bigint,
    'no refused definition was stored'
);

-- The table keeps the rules too, for a writer that bypasses the functions.
SELECT throws_ok(
    $$UPDATE fastqueue.queue SET retry_max_backoff_seconds = 60 WHERE id = 'bo-plain'$$,
    '23514', NULL,
    'the table refuses a maximum back-off without a minimum'
);
SELECT throws_ok(
    $$UPDATE fastqueue.queue SET retry_min_backoff_seconds = 31 WHERE id = 'bo-q'$$,
    '23514', NULL,
    'the table refuses a minimum back-off above the maximum'
);

-- PUT replaces the whole definition; PATCH changes only what it names.
SELECT is(
    (SELECT (q.retry_min_backoff_seconds, q.retry_max_backoff_seconds)::text
     FROM fastqueue.update_queue('bo-positional', 'bo-topic', NULL, 30, 600, NULL, NULL, 10,
                                 2, 8) AS q),
    '(2,8)',
    'update_queue sets the back-off'
);
SELECT is(
    (SELECT (q.retry_min_backoff_seconds, q.retry_max_backoff_seconds, q.ack_deadline_seconds)
        ::text
     FROM fastqueue.patch_queue('bo-positional', '{"ack_deadline_seconds": 45}') AS q),
    '(2,8,45)',
    'patch_queue keeps the back-off when the changes do not name it'
);
SELECT is(
    (SELECT (q.retry_min_backoff_seconds, q.retry_max_backoff_seconds)::text
     FROM fastqueue.patch_queue('bo-positional', '{"retry_min_backoff_seconds": 4}') AS q),
    '(4,8)',
    'patch_queue changes the minimum alone'
);
SELECT throws_ok(
    $$SELECT fastqueue.patch_queue('bo-positional', '{"retry_min_backoff_seconds": null}')$$,
    'FQ212', NULL,
    'patch_queue refuses to clear the minimum while the maximum stays'
);
SELECT throws_ok(
    $$SELECT fastqueue.patch_queue('bo-positional', '{"retry_min_backoff_seconds": 9}')$$,
    'FQ212', NULL,
    'patch_queue refuses a minimum above the maximum kept'
);
SELECT throws_ok(
    $$SELECT fastqueue.patch_queue('bo-positional', '{"retry_max_backoff_seconds": "x"}')$$,
    '22P02', NULL,
    'patch_queue refuses a maximum that is not a number'
);
SELECT is(
    (SELECT (q.retry_min_backoff_seconds, q.retry_max_backoff_seconds)::text
     FROM fastqueue.patch_queue(
         'bo-positional',
         '{"retry_min_backoff_seconds": null, "retry_max_backoff_seconds": null}') AS q),
    '(,)',
    'patch_queue clears both fields together'
);
SELECT is(
    (SELECT (q.retry_min_backoff_seconds, q.retry_max_backoff_seconds)::text
     FROM fastqueue.patch_queue('bo-positional', '{"retry_min_backoff_seconds": 3}') AS q),
    '(3,)',
    'patch_queue turns the back-off on with a minimum alone'
);
SELECT is(
    (SELECT (q.retry_min_backoff_seconds, q.retry_max_backoff_seconds)::text
     FROM fastqueue.update_queue('bo-positional', 'bo-topic') AS q),
    '(,)',
    'update_queue without the back-off clears it'
);

-- ---- the back-off series -------------------------------------------------------------
-- Five deliveries, each nacked: 5, 10, 20, 30 (the cap), 30 seconds.
CALL pg_temp.publish_and_lease('a', 'bo-q');
DO $$
BEGIN
    FOR i IN 1..5 LOOP
        IF i > 1 THEN
            CALL pg_temp.lease_again('a');
        END IF;
        PERFORM fastqueue.nack(pg_temp.id_of('a'), pg_temp.receipt_of('a'));
        INSERT INTO series
        SELECT m.delivery_attempts, m.scheduled_at - m.updated_at, m.receipt, m.queue_id
        FROM fastqueue.message AS m WHERE m.id = pg_temp.id_of('a');
    END LOOP;
END;
$$;
SELECT results_eq(
    $$SELECT delivery_attempts, wait, receipt, queue_id FROM series$$,
    $$
    VALUES (1, interval '5 seconds', NULL::uuid, 'bo-q'), (2, '10 seconds', NULL, 'bo-q'),
           (3, '20 seconds', NULL, 'bo-q'), (4, '30 seconds', NULL, 'bo-q'),
           (5, '30 seconds', NULL, 'bo-q')
    $$,
    'each nack holds the message back min * 2^(deliveries - 1) seconds, capped at the max'
);
SELECT ok(
    (SELECT updated_at <= clock_timestamp() AND updated_at > now()
     FROM pg_temp.row_of('a')),
    'the wait runs from the instant of the nack'
);

-- Held back, the message is delayed, not leased: no lease returns it, a nack leaves it.
SELECT is_empty(
    $$SELECT id FROM fastqueue.lease('bo-q', 100)$$,
    'a lease does not return a message during its back-off'
);
SELECT results_eq(
    $$
    SELECT (q ->> 'available')::int, (q ->> 'leased')::int, (q ->> 'delayed')::int
    FROM jsonb_array_elements(fastqueue.get_metrics() -> 'queues') AS q
    WHERE q ->> 'queue_id' = 'bo-q'
    $$,
    $$VALUES (0, 0, 1)$$,
    'a message in its back-off counts as delayed'
);
CALL pg_temp.keep('a');
SELECT lives_ok(
    format('SELECT fastqueue.nack(%L, NULL, 0)', pg_temp.id_of('a')),
    'nacking a message during its back-off succeeds'
);
SELECT ok(pg_temp.unchanged('a'), 'nacking a message during its back-off changes nothing');

-- ---- the delay of one nack -----------------------------------------------------------
CALL pg_temp.lease_again('a');
SELECT lives_ok(
    format('SELECT fastqueue.nack(%L, %L, 7)', pg_temp.id_of('a'), pg_temp.receipt_of('a')),
    'a nack with a delay succeeds'
);
SELECT is(pg_temp.wait_of('a'), interval '7 seconds',
    'the delay of a nack wins over the back-off (which would be 30 seconds)');
SELECT is((pg_temp.row_of('a')).receipt, NULL::uuid, 'a delayed nack spends the receipt');
SELECT throws_ok(
    format('SELECT fastqueue.nack(%L, %L)', pg_temp.id_of('a'), pg_temp.receipt_of('a')),
    'FQ103', NULL,
    'a nack with the receipt of the delivery that was nacked with a delay raises FQ103'
);
SELECT throws_ok(
    format('SELECT fastqueue.ack(%L, %L)', pg_temp.id_of('a'), pg_temp.receipt_of('a')),
    'FQ103', NULL,
    'an ack with that receipt raises FQ103 too'
);
CALL pg_temp.lease_again('a');
SELECT lives_ok(
    format('SELECT fastqueue.nack(%L, NULL, 0)', pg_temp.id_of('a')),
    'a nack with a delay of 0 succeeds'
);
SELECT is(pg_temp.wait_of('a'), interval '0',
    'a nack with a delay of 0 makes the message visible at once despite the back-off');

CALL pg_temp.publish_and_lease('p', 'bo-plain');
SELECT lives_ok(
    format('SELECT fastqueue.nack(%L, NULL, 900)', pg_temp.id_of('p')),
    'a nack may ask for 900 seconds'
);
SELECT is(pg_temp.wait_of('p'), interval '900 seconds',
    'a queue without a back-off holds the message back for the delay asked');
CALL pg_temp.lease_again('p');
CALL pg_temp.keep('p');
SELECT throws_ok(
    format('SELECT fastqueue.nack(%L, NULL, 901)', pg_temp.id_of('p')),
    'FQ202', 'nack_delay_seconds must be between 0 and 900, got 901',
    'a nack delay over 900 raises FQ202'
);
SELECT throws_ok(
    format('SELECT fastqueue.nack(%L, NULL, -1)', pg_temp.id_of('p')),
    'FQ202', NULL,
    'a negative nack delay raises FQ202'
);
SELECT ok(pg_temp.unchanged('p'), 'a refused delay leaves the message leased');
SELECT throws_ok(
    $$SELECT fastqueue.nack('00000000-0000-4000-8000-000000000000', NULL, 5)$$,
    'FQ003', NULL,
    'a nack with a delay of an unknown message raises FQ003'
);

-- ---- dead-lettering ------------------------------------------------------------------
-- Max deliveries 2, back-off 60: the first nack waits, the second goes to the dead queue
-- at once, whatever delay it asked for.
CALL pg_temp.publish_and_lease('c', 'bo-capped');
SELECT lives_ok(
    format('SELECT fastqueue.nack(%L)', pg_temp.id_of('c')),
    'the nack of the first delivery succeeds'
);
SELECT results_eq(
    format($$SELECT queue_id, scheduled_at - updated_at FROM fastqueue.message WHERE id = %L$$,
        pg_temp.id_of('c')),
    $$VALUES ('bo-capped', interval '60 seconds')$$,
    'a nack before the last allowed delivery waits out the back-off in its queue'
);
CALL pg_temp.lease_again('c');
SELECT lives_ok(
    format('SELECT fastqueue.nack(%L, NULL, 300)', pg_temp.id_of('c')),
    'the nack of the last allowed delivery succeeds'
);
SELECT results_eq(
    format($$
        SELECT queue_id, delivery_attempts, scheduled_at - updated_at, receipt,
               dead_lettered_from
        FROM fastqueue.message WHERE id = %L
        $$, pg_temp.id_of('c')),
    $$VALUES ('bo-dead', 0, interval '0', NULL::uuid, 'bo-capped')$$,
    'the nack of the last allowed delivery moves the message to the dead queue at once'
);

-- ---- nack_batch ----------------------------------------------------------------------
CALL pg_temp.publish_and_lease('b1', 'bo-q');
CALL pg_temp.publish_and_lease('b2', 'bo-q');
SELECT ok(
    (SELECT r.settled = ARRAY(SELECT id FROM named WHERE name IN ('b1', 'b2') ORDER BY id)
            AND r.unknown = '{}' AND r.stale = '{}'
     FROM fastqueue.nack_batch(jsonb_build_array(
         jsonb_build_object('id', pg_temp.id_of('b1'), 'delay_seconds', 9),
         jsonb_build_object('id', pg_temp.id_of('b2'), 'receipt', pg_temp.receipt_of('b2'),
                            'delay_seconds', NULL))) AS r),
    'nack_batch settles items with and without a delay'
);
SELECT results_eq(
    $$VALUES (pg_temp.wait_of('b1')), (pg_temp.wait_of('b2'))$$,
    $$VALUES (interval '9 seconds'), (interval '5 seconds')$$,
    'in a batch, an item''s delay wins over the back-off, and without one the back-off holds'
);
CALL pg_temp.lease_again('b1');
SELECT throws_ok(
    format('SELECT fastqueue.nack_batch(%L)', jsonb_build_array(
        jsonb_build_object('id', pg_temp.id_of('b1'), 'delay_seconds', 901))),
    'FQ202', NULL,
    'nack_batch refuses an item delay over 900 with FQ202'
);
SELECT throws_ok(
    format('SELECT fastqueue.nack_batch(%L)', jsonb_build_array(
        jsonb_build_object('id', pg_temp.id_of('b1'), 'delay_seconds', '5'))),
    'FQ206', 'message 1: must be an object of id, receipt and delay_seconds',
    'nack_batch refuses an item delay that is not a JSON number with FQ206'
);
SELECT throws_ok(
    format('SELECT fastqueue.nack_batch(%L)', jsonb_build_array(
        jsonb_build_object('id', pg_temp.id_of('b1'), 'delay_seconds', 1.5))),
    '22P02', NULL,
    'nack_batch refuses an item delay that is not a whole number with 22P02'
);
SELECT throws_ok(
    format('SELECT fastqueue.ack_batch(%L)', jsonb_build_array(
        jsonb_build_object('id', pg_temp.id_of('b1'), 'delay_seconds', 5))),
    'FQ206', 'message 1: must be an object of id and receipt',
    'ack_batch still refuses a delay_seconds key with FQ206, in the words of v1.0.0'
);

SELECT * FROM finish();

ROLLBACK;
