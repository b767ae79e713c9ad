-- pgTAP: long polling in SQL. fastqueue.lease_wait leases, or arms a wake-up for a
-- listening backend and says when the queue's next hidden message shows; publishing
-- notifies only armed waiters of queues that take the message, and disarms them, so
-- one wake-up covers a burst; waiters of listeners that are gone are forgotten. Every
-- id this file creates starts with poll-. (The two-session test of arming against a
-- publish in flight is in tests/test_sql_long_poll.py.)

BEGIN;

SELECT plan(57);

DO $$
BEGIN
    PERFORM fastqueue.create_topic('poll-topic');
    PERFORM fastqueue.create_topic('poll-other-topic');
    PERFORM fastqueue.create_queue('poll-q', 'poll-topic');
    PERFORM fastqueue.create_topic('poll-filter-topic');
    PERFORM fastqueue.create_queue('poll-filtered', 'poll-filter-topic',
        p_message_filters => '{"kind": ["wanted"]}');
    PERFORM fastqueue.create_queue('poll-other', 'poll-other-topic');
END;
$$;

-- Whether this backend's waiter of a queue is armed (NULL: no row).
CREATE FUNCTION pg_temp.armed(p_queue_id text) RETURNS boolean
LANGUAGE sql AS $$
    SELECT armed FROM fastqueue.queue_waiter
    WHERE queue_id = p_queue_id AND listener_pid = pg_backend_pid()
$$;

-- ---- shape ---------------------------------------------------------------------------
SELECT has_table('fastqueue', 'queue_waiter', 'the table of long-polling waiters exists');
SELECT has_function('fastqueue', 'lease_wait', ARRAY['text', 'integer', 'integer'],
    'lease_wait(text, integer, integer) exists');
SELECT function_returns('fastqueue', 'lease_wait', ARRAY['text', 'integer', 'integer'],
    'setof lease_wait_row', 'lease_wait returns setof lease_wait_row');
SELECT volatility_is('fastqueue', 'lease_wait', ARRAY['text', 'integer', 'integer'],
    'volatile', 'lease_wait is volatile');
SELECT is_definer('fastqueue', 'lease_wait', ARRAY['text', 'integer', 'integer'],
    'lease_wait is security definer');
SELECT has_function('fastqueue', '_wake_waiters', ARRAY['text', 'jsonb'],
    'the private helper _wake_waiters(text, jsonb) exists');
SELECT volatility_is('fastqueue', '_wake_waiters', ARRAY['text', 'jsonb'], 'volatile',
    '_wake_waiters is volatile');
SELECT has_function('fastqueue', 'forget_stale_waiters', ARRAY[]::text[],
    'forget_stale_waiters() exists');
SELECT volatility_is('fastqueue', 'forget_stale_waiters', ARRAY[]::text[], 'volatile',
    'forget_stale_waiters is volatile');

-- ---- leasing and arming ----------------------------------------------------------------
SELECT throws_ok($$SELECT * FROM fastqueue.lease_wait('poll-missing', 1, pg_backend_pid())$$,
    'FQ002', NULL, 'lease_wait of an unknown queue raises FQ002');
SELECT throws_ok($$SELECT * FROM fastqueue.lease_wait('poll-q', 0, pg_backend_pid())$$,
    'FQ202', NULL, 'lease_wait with a limit of 0 raises FQ202');

SELECT results_eq(
    $$SELECT message, armed, next_visible_at FROM fastqueue.lease_wait('poll-q', 5)$$,
    $$VALUES (NULL::fastqueue.message_info, false, NULL::timestamptz)$$,
    'without a listener, an empty queue answers one row: nothing armed, nothing to come');
SELECT is(pg_temp.armed('poll-q'), NULL, 'without a listener, no waiter is recorded');

SELECT results_eq(
    $$SELECT message, armed, next_visible_at
      FROM fastqueue.lease_wait('poll-q', 5, pg_backend_pid())$$,
    $$VALUES (NULL::fastqueue.message_info, true, NULL::timestamptz)$$,
    'with a listener and no publish in flight, an empty queue arms it');
SELECT is(pg_temp.armed('poll-q'), true, 'the waiter row of the listener is armed');

SELECT results_eq(
    $$SELECT fastqueue._wake_waiters('poll-topic', '[{"attributes": null}]')$$,
    ARRAY[1], 'a message to the topic notifies the armed queue');
SELECT is(pg_temp.armed('poll-q'), false, 'the wake-up disarms the waiter');
SELECT results_eq(
    $$SELECT fastqueue._wake_waiters('poll-topic', '[{"attributes": null}]')$$,
    ARRAY[0], 'a second message notifies nobody until a waiter arms again: coalesced');

-- A publish goes through the same helper.
SELECT lives_ok($$SELECT * FROM fastqueue.lease_wait('poll-q', 5, pg_backend_pid())$$,
    'an empty lease arms the waiter again');
SELECT lives_ok($$SELECT fastqueue.publish('poll-topic', '{"n": 1}')$$, 'publish');
SELECT is(pg_temp.armed('poll-q'), false, 'publish disarms the armed waiter of its queue');
SELECT results_eq(
    $$SELECT (message).data, (message).delivery_attempts, armed
      FROM fastqueue.lease_wait('poll-q', 5, pg_backend_pid())$$,
    $$VALUES ('{"n": 1}'::jsonb, 1, NULL::boolean)$$,
    'a waiting lease leases a waiting message, as lease does');
SELECT is(pg_temp.armed('poll-q'), false, 'a lease that finds messages arms nothing');

SELECT lives_ok($$SELECT * FROM fastqueue.lease_wait('poll-q', 5, pg_backend_pid())$$,
    'arm again');
SELECT lives_ok($$SELECT fastqueue.publish_batch('poll-topic', '[{"data": {"n": 2}}]')$$,
    'publish a batch');
SELECT is(pg_temp.armed('poll-q'), false, 'a batch publish disarms the waiter too');

-- Delayed messages and leases that end: the time to look again.
SELECT is((SELECT count(*) FROM fastqueue.lease('poll-q', 5)), 1::bigint,
    'lease the batch''s message: both messages of the queue are leased now');
SELECT is(
    (SELECT next_visible_at FROM fastqueue.lease_wait('poll-q', 5, pg_backend_pid())),
    (SELECT min(scheduled_at) FROM fastqueue.message WHERE queue_id = 'poll-q'),
    'when nothing is visible, next_visible_at is when the first lease ends');

-- ---- who is woken ----------------------------------------------------------------------
SELECT lives_ok(
    $$SELECT (SELECT count(*) FROM fastqueue.lease_wait('poll-filtered', 1, pg_backend_pid()))
             + (SELECT count(*) FROM fastqueue.lease_wait('poll-other', 1, pg_backend_pid()))$$,
    'arm a queue with a filter, alone on its topic, and a queue of another topic');
SELECT is(
    fastqueue._wake_waiters('poll-filter-topic', '[{"attributes": {"kind": "other"}}]'), 0,
    'a queue whose filter refuses the message is not notified');
SELECT results_eq(
    $$SELECT fastqueue._wake_waiters('poll-filter-topic',
                 '[{"attributes": {"kind": "other"}}, {"attributes": {"kind": "wanted"}}]'),
             pg_temp.armed('poll-other')$$,
    $$VALUES (1, true)$$,
    'a queue whose filter takes one message of a batch is notified; another topic''s not');

-- ---- waking by queue (nack, moves) --------------------------------------------------
SELECT has_function('fastqueue', '_wake_queues', ARRAY['text[]'],
    'the private helper _wake_queues(text[]) exists');
SELECT volatility_is('fastqueue', '_wake_queues', ARRAY['text[]'], 'volatile',
    '_wake_queues is volatile');
SELECT results_eq(
    $$SELECT fastqueue._wake_queues(ARRAY['poll-other', 'poll-other', 'poll-filtered']),
             pg_temp.armed('poll-other')$$,
    $$VALUES (1, false)$$,
    '_wake_queues notifies each armed queue once and disarms it, and skips unarmed ones');
SELECT is(fastqueue._wake_queues(ARRAY['poll-other']), 0,
    '_wake_queues coalesces too: a disarmed queue is not notified again');

-- ---- what else makes messages visible -------------------------------------------------
-- A nack, a redrive and a move to a dead queue wake the waiters of the queue that gets
-- the message, as a publish does: the waiter row is disarmed.
DO $$
BEGIN
    PERFORM fastqueue.create_queue('poll-dead');
    PERFORM fastqueue.create_queue('poll-nacked', 'poll-other-topic', 'poll-dead',
        p_message_max_deliveries => 2);
    PERFORM fastqueue.publish('poll-other-topic', '{"n": 1}');
END;
$$;
CREATE TEMP TABLE leased ON COMMIT DROP AS
SELECT id, receipt FROM fastqueue.lease('poll-nacked', 1);
SELECT is((SELECT armed FROM fastqueue.lease_wait('poll-nacked', 1, pg_backend_pid())),
    true, 'a waiter arms on a queue whose only message is leased');
SELECT lives_ok($$SELECT fastqueue.nack(id, receipt) FROM leased$$, 'nack the leased message');
SELECT is(pg_temp.armed('poll-nacked'), false, 'a nack disarms the waiter of its queue');

-- Second delivery, then a nack at the max: the message moves to the dead queue.
SELECT is((SELECT armed FROM fastqueue.lease_wait('poll-dead', 1, pg_backend_pid())),
    true, 'a waiter arms on the empty dead queue');
DO $$
BEGIN
    PERFORM fastqueue.nack(id, receipt) FROM fastqueue.lease('poll-nacked', 1);
END;
$$;
SELECT is(pg_temp.armed('poll-dead'), false,
    'a message moving to the dead queue disarms the waiter of the dead queue');

SELECT is((SELECT armed FROM fastqueue.lease_wait('poll-nacked', 1, pg_backend_pid())),
    true, 'a waiter arms on the emptied queue');
SELECT is(fastqueue.redrive_queue('poll-dead'), 1::bigint,
    'redrive the message back to where it came from');
SELECT is(pg_temp.armed('poll-nacked'), false, 'a redrive disarms the waiter of its destination');

-- A deadline moved earlier wakes the waiters, who may sleep until the old one; a later
-- one does not.
DO $$
BEGIN
    PERFORM fastqueue.publish('poll-other-topic', '{"n": 2}');
END;
$$;
CREATE TEMP TABLE held ON COMMIT DROP AS
SELECT id, receipt FROM fastqueue.lease('poll-nacked', 10);
SELECT is((SELECT armed FROM fastqueue.lease_wait('poll-nacked', 1, pg_backend_pid())),
    true, 'a waiter arms while every message is leased');
SELECT lives_ok($$SELECT fastqueue.set_deadline(id, 300, receipt) FROM held$$,
    'move the deadlines later');
SELECT is(pg_temp.armed('poll-nacked'), true, 'a later deadline leaves the waiter armed');
SELECT lives_ok($$SELECT fastqueue.set_deadline(id, 0, receipt) FROM held$$,
    'give the messages back with a deadline of now');
SELECT is(pg_temp.armed('poll-nacked'), false, 'an earlier deadline disarms the waiter');

-- Deleting a dead queue frees the capped messages of the queues that used it: their
-- waiters are woken.
DO $$
BEGIN
    PERFORM fastqueue.lease('poll-nacked', 100);
END;
$$;
SELECT is((SELECT armed FROM fastqueue.lease_wait('poll-nacked', 1, pg_backend_pid())),
    true, 'a waiter arms on a queue with a dead queue');
SELECT lives_ok($$SELECT fastqueue.delete_queue('poll-dead')$$, 'delete its dead queue');
SELECT is(pg_temp.armed('poll-nacked'), false,
    'deleting a dead queue disarms the waiters of the queues that used it');

-- ---- stale waiters ---------------------------------------------------------------------
-- No backend has pid -1: a listener that is gone.
INSERT INTO fastqueue.queue_waiter (queue_id, listener_pid, armed, armed_at)
VALUES ('poll-q', -1, true, now());
SELECT cmp_ok(fastqueue.forget_stale_waiters(), '>=', 1,
    'forget_stale_waiters counts what it deleted');
SELECT results_eq(
    $$SELECT listener_pid = pg_backend_pid() FROM fastqueue.queue_waiter
      WHERE queue_id = 'poll-q'$$,
    ARRAY[true],
    'forget_stale_waiters deletes the waiters of a listener that is gone, and only those');
INSERT INTO fastqueue.queue_waiter (queue_id, listener_pid, armed, armed_at)
VALUES ('poll-q', -1, true, now());
SELECT lives_ok($$SELECT fastqueue.cleanup()$$, 'cleanup runs');
SELECT is((SELECT count(*) FROM fastqueue.queue_waiter WHERE listener_pid = -1), 0::bigint,
    'cleanup forgets the waiters of a listener that is gone');
SELECT lives_ok($$SELECT fastqueue.delete_queue('poll-q')$$, 'delete a queue');
SELECT is((SELECT count(*) FROM fastqueue.queue_waiter WHERE queue_id = 'poll-q'), 0::bigint,
    'deleting a queue deletes its waiters');

SELECT * FROM finish();
ROLLBACK;
