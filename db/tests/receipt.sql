-- pgTAP: receipts. Every lease gives a message a new receipt; ack, nack and set_deadline
-- with a receipt act only while it is the current one, and refuse a stale one with FQ103
-- without changing anything; without a receipt they act by id as before. set_deadline
-- moves the ack deadline of a leased message. Every id this file creates starts with rcpt-.

BEGIN;

SELECT plan(40);

-- Messages by name, as publish returned them.
CREATE TEMP TABLE named (name text PRIMARY KEY, id uuid) ON COMMIT DROP;
-- Receipts by name, as a lease returned them.
CREATE TEMP TABLE receipts (name text PRIMARY KEY, receipt uuid) ON COMMIT DROP;
-- Rows as they were before a call that should not change them.
CREATE TEMP TABLE before_call (name text PRIMARY KEY, msg fastqueue.message) ON COMMIT DROP;

DO $$
BEGIN
    PERFORM fastqueue.create_topic('rcpt-topic');
    PERFORM fastqueue.create_queue('rcpt-q', 'rcpt-topic', p_ack_deadline_seconds => 30);
    INSERT INTO named
    SELECT name, (fastqueue.publish('rcpt-topic', jsonb_build_object('name', name))).id
    FROM unnest(ARRAY['a', 'b', 'c', 'd', 'e', 'never']) AS name;
    -- Visible one second apart, in the order above.
    UPDATE fastqueue.message AS m
    SET scheduled_at = clock_timestamp() - interval '1 minute'
        + make_interval(secs => array_position(ARRAY['a', 'b', 'c', 'd', 'e'], n.name))
    FROM named AS n
    WHERE m.id = n.id AND n.name <> 'never';
    UPDATE fastqueue.message
    SET scheduled_at = clock_timestamp() + interval '1 hour'
    WHERE id = (SELECT id FROM named WHERE name = 'never');
END;
$$;

CREATE FUNCTION pg_temp.id_of(p_name text) RETURNS uuid
LANGUAGE sql AS $$ SELECT id FROM named WHERE name = p_name $$;
CREATE FUNCTION pg_temp.receipt_of(p_name text) RETURNS uuid
LANGUAGE sql AS $$ SELECT receipt FROM receipts WHERE name = p_name $$;
CREATE FUNCTION pg_temp.row_of(p_name text) RETURNS fastqueue.message
LANGUAGE sql AS $$ SELECT m FROM fastqueue.message AS m WHERE m.id = pg_temp.id_of(p_name) $$;
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
SELECT has_column('fastqueue', 'message', 'receipt', 'a message has a receipt column');
SELECT col_type_is('fastqueue', 'message_info', 'receipt', 'uuid',
    'message_info carries the receipt, a uuid');
SELECT has_function(
    'fastqueue', 'set_deadline', ARRAY['uuid', 'integer', 'uuid'],
    'fastqueue.set_deadline(message, seconds, receipt) exists');
SELECT function_returns(
    'fastqueue', 'set_deadline', ARRAY['uuid', 'integer', 'uuid'], 'message_info',
    'set_deadline returns the message');
SELECT volatility_is(
    'fastqueue', 'set_deadline', ARRAY['uuid', 'integer', 'uuid'], 'volatile',
    'set_deadline is volatile');
SELECT is_definer(
    'fastqueue', 'set_deadline', ARRAY['uuid', 'integer', 'uuid'],
    'set_deadline runs with the rights of its owner');

-- ---- a lease hands out receipts ------------------------------------------------------
INSERT INTO receipts
SELECT l.data ->> 'name', l.receipt FROM fastqueue.lease('rcpt-q', 5) AS l;

SELECT is(
    (SELECT count(DISTINCT receipt) FROM receipts WHERE receipt IS NOT NULL),
    5::bigint,
    'each leased message comes with its own receipt'
);
SELECT is(
    (SELECT count(*) FROM receipts AS r JOIN fastqueue.message AS m
        ON m.id = pg_temp.id_of(r.name) AND m.receipt = r.receipt),
    5::bigint,
    'the receipt a lease returns is the one the message keeps'
);
SELECT is(
    (pg_temp.row_of('never')).receipt, NULL,
    'a message that was never leased has no receipt'
);

-- ---- ack -----------------------------------------------------------------------------
CALL pg_temp.keep('a');
SELECT throws_ok(
    format('SELECT fastqueue.ack(%L, %L)', pg_temp.id_of('a'), pg_temp.receipt_of('b')),
    'FQ103', NULL,
    'acking with the receipt of another delivery raises FQ103'
);
SELECT ok(pg_temp.unchanged('a'), 'a refused ack leaves the message as it was');
SELECT lives_ok(
    format('SELECT fastqueue.ack(%L, %L)', pg_temp.id_of('a'), pg_temp.receipt_of('a')),
    'acking with the current receipt succeeds'
);
SELECT is(pg_temp.row_of('a'), NULL, 'an ack with the current receipt deletes the message');
SELECT throws_ok(
    format('SELECT fastqueue.ack(%L, %L)', pg_temp.id_of('a'), pg_temp.receipt_of('a')),
    'FQ003', NULL,
    'acking a deleted message with its old receipt raises FQ003'
);
CALL pg_temp.keep('never');
SELECT throws_ok(
    format('SELECT fastqueue.ack(%L, %L)', pg_temp.id_of('never'), gen_random_uuid()),
    'FQ103', NULL,
    'acking with a receipt a message that is not leased raises FQ103'
);
SELECT ok(pg_temp.unchanged('never'), 'and leaves it as it was');

-- ---- a lapsed lease: the next lease's receipt replaces the old one ---------------------
UPDATE fastqueue.message
SET scheduled_at = clock_timestamp() - interval '1 second'
WHERE id = pg_temp.id_of('b');
SELECT is(
    (SELECT receipt FROM fastqueue.lease('rcpt-q', 1)) IS DISTINCT FROM pg_temp.receipt_of('b'),
    true,
    'a message whose lease lapsed is leased again with a new receipt'
);
SELECT is(
    (pg_temp.row_of('b')).delivery_attempts, 2,
    'and its delivery count goes up'
);
CALL pg_temp.keep('b');
SELECT throws_ok(
    format('SELECT fastqueue.ack(%L, %L)', pg_temp.id_of('b'), pg_temp.receipt_of('b')),
    'FQ103', NULL,
    'the first consumer''s ack with its old receipt raises FQ103'
);
SELECT ok(pg_temp.unchanged('b'), 'and the second consumer keeps the message');
SELECT throws_ok(
    format('SELECT fastqueue.nack(%L, %L)', pg_temp.id_of('b'), pg_temp.receipt_of('b')),
    'FQ103', NULL,
    'the first consumer''s nack with its old receipt raises FQ103'
);
SELECT ok(pg_temp.unchanged('b'), 'and does not give the message back');
SELECT lives_ok(
    format('SELECT fastqueue.ack(%L)', pg_temp.id_of('b')),
    'acking without a receipt still acks by id'
);
SELECT is(pg_temp.row_of('b'), NULL, 'the message acked by id is deleted');

-- ---- nack ----------------------------------------------------------------------------
SELECT lives_ok(
    format('SELECT fastqueue.nack(%L, %L)', pg_temp.id_of('c'), pg_temp.receipt_of('c')),
    'nacking with the current receipt succeeds'
);
SELECT ok(
    (SELECT m.receipt IS NULL AND m.scheduled_at <= clock_timestamp()
     FROM fastqueue.message AS m WHERE m.id = pg_temp.id_of('c')),
    'a nacked message is visible at once and its receipt is spent'
);
CALL pg_temp.keep('c');
SELECT throws_ok(
    format('SELECT fastqueue.nack(%L, %L)', pg_temp.id_of('c'), pg_temp.receipt_of('c')),
    'FQ103', NULL,
    'nacking again with the spent receipt raises FQ103'
);
SELECT ok(pg_temp.unchanged('c'), 'and changes nothing');
SELECT throws_ok(
    format('SELECT fastqueue.nack(%L, %L)', gen_random_uuid(), gen_random_uuid()),
    'FQ003', NULL,
    'nacking an unknown message with a receipt raises FQ003'
);

-- ---- set_deadline --------------------------------------------------------------------
SELECT ok(
    (SELECT d.scheduled_at BETWEEN now() + interval '100 seconds'
                               AND clock_timestamp() + interval '100 seconds'
            AND d.receipt = pg_temp.receipt_of('d')
            AND d.delivery_attempts = 1
     FROM fastqueue.set_deadline(pg_temp.id_of('d'), 100, pg_temp.receipt_of('d')) AS d),
    'set_deadline hides the message for that long from now, keeping receipt and count'
);
SELECT ok(
    (pg_temp.row_of('d')).scheduled_at >= now() + interval '100 seconds',
    'the new deadline is stored'
);
SELECT ok(
    (SELECT d.scheduled_at <= clock_timestamp()
     FROM fastqueue.set_deadline(pg_temp.id_of('d'), 0) AS d),
    'a deadline of 0 seconds, by id alone, makes the message visible at once'
);
SELECT throws_ok(
    format('SELECT fastqueue.set_deadline(%L, 10)', pg_temp.id_of('d')),
    'FQ104', NULL,
    'set_deadline on a message whose lease has run out raises FQ104'
);
SELECT throws_ok(
    format('SELECT fastqueue.set_deadline(%L, 10)', pg_temp.id_of('never')),
    'FQ104', NULL,
    'set_deadline on a message that was never leased raises FQ104'
);
CALL pg_temp.keep('e');
SELECT throws_ok(
    format('SELECT fastqueue.set_deadline(%L, 10, %L)', pg_temp.id_of('e'), gen_random_uuid()),
    'FQ103', NULL,
    'set_deadline with a stale receipt raises FQ103'
);
SELECT ok(pg_temp.unchanged('e'), 'and leaves the deadline where it was');
SELECT throws_ok(
    format('SELECT fastqueue.set_deadline(%L, 10)', gen_random_uuid()),
    'FQ003', NULL,
    'set_deadline on an unknown message raises FQ003'
);
SELECT throws_ok(
    format('SELECT fastqueue.set_deadline(%L, -1)', pg_temp.id_of('e')),
    'FQ202', NULL,
    'set_deadline below 0 seconds raises FQ202'
);
SELECT throws_ok(
    format('SELECT fastqueue.set_deadline(%L, 601)', pg_temp.id_of('e')),
    'FQ202', NULL,
    'set_deadline above 600 seconds raises FQ202'
);
SELECT throws_ok(
    format('SELECT fastqueue.set_deadline(%L, NULL)', pg_temp.id_of('e')),
    'FQ202', NULL,
    'set_deadline without seconds raises FQ202'
);

SELECT * FROM finish();
ROLLBACK;
