-- pgTAP: a message that used up its deliveries goes to its queue's dead queue, at its last
-- nack, at the next lease that finds it at the head of the queue, or at cleanup, whichever
-- comes first. It keeps its id and created_at; its delivery count, retention and delivery
-- delay start over with the dead queue's. Deleting a dead queue makes the capped messages
-- of the queues that used it deliverable again. Every id this file creates starts with dl-.

BEGIN;

SELECT plan(15);

-- Messages by name, as publish returned them.
CREATE TEMP TABLE named (name text PRIMARY KEY, msg fastqueue.message_info) ON COMMIT DROP;

DO $$
BEGIN
    PERFORM fastqueue.create_topic('dl-topic');
    PERFORM fastqueue.create_queue(
        'dl-dead', p_message_retention_seconds => 7200, p_delivery_delay_seconds => 20);
    PERFORM fastqueue.create_queue(
        'dl-q', 'dl-topic', 'dl-dead',
        p_ack_deadline_seconds => 30, p_message_retention_seconds => 600,
        p_message_max_deliveries => 2);
END;
$$;

-- At nack: the nack of the last allowed delivery moves the message; earlier ones do not.
INSERT INTO named
SELECT 'nacked', p FROM fastqueue.publish('dl-topic', '{"name": "nacked"}') AS p;
DO $$
BEGIN
    PERFORM fastqueue.nack(id) FROM fastqueue.lease('dl-q', 1);
END;
$$;

SELECT results_eq(
    $$
    SELECT queue_id, delivery_attempts
    FROM fastqueue.message WHERE id = (SELECT (msg).id FROM named WHERE name = 'nacked')
    $$,
    $$VALUES ('dl-q', 1)$$,
    'a nack before the last allowed delivery leaves the message in its queue'
);

DO $$
BEGIN
    PERFORM fastqueue.nack(id) FROM fastqueue.lease('dl-q', 1);
END;
$$;

SELECT results_eq(
    $$
    SELECT m.queue_id, m.data, m.delivery_attempts, m.created_at = (n.msg).created_at,
           m.updated_at > now(), m.scheduled_at - m.updated_at, m.expired_at - m.updated_at
    FROM fastqueue.message AS m JOIN named AS n ON (n.msg).id = m.id
    WHERE n.name = 'nacked'
    $$,
    $$
    VALUES ('dl-dead', '{"name": "nacked"}'::jsonb, 0, true, true,
            interval '20 seconds', interval '7200 seconds')
    $$,
    'the nack of the last allowed delivery moves the message to the dead queue with its id '
        || 'and created_at, a fresh delivery count, and the dead queue''s delay and retention'
);
SELECT is_empty(
    $$SELECT * FROM fastqueue.lease('dl-dead')$$,
    'a dead-lettered message waits out the dead queue''s delivery delay'
);

-- At lease: a capped message at the head of the queue moves, and is never returned.
INSERT INTO named
SELECT name, p
FROM unnest(ARRAY['head', 'next']) AS name,
     LATERAL fastqueue.publish('dl-topic', jsonb_build_object('name', name)) AS p;
DO $$
BEGIN
    -- Two leases of 'head' that lapse, each time back at the head of the queue.
    FOR i IN 1 .. 2 LOOP
        PERFORM fastqueue.lease('dl-q', 1);
        UPDATE fastqueue.message
        SET scheduled_at = clock_timestamp() - interval '1 hour'
        WHERE id = (SELECT (msg).id FROM named WHERE name = 'head');
        -- The hour passed for this session's lease hint too (see fastqueue.lease).
        PERFORM set_config('fastqueue.lease_hint', '', false);
    END LOOP;
END;
$$;

SELECT results_eq(
    $$SELECT data ->> 'name', delivery_attempts FROM fastqueue.lease('dl-q', 1)$$,
    $$VALUES ('next', 1)$$,
    'a lease skips a message that used up its deliveries and returns the next one'
);
SELECT results_eq(
    $$
    SELECT m.queue_id, m.delivery_attempts, m.created_at = (n.msg).created_at,
           m.scheduled_at - m.updated_at, m.expired_at - m.updated_at
    FROM fastqueue.message AS m JOIN named AS n ON (n.msg).id = m.id
    WHERE n.name = 'head'
    $$,
    $$VALUES ('dl-dead', 0, true, interval '20 seconds', interval '7200 seconds')$$,
    'the lease moves the capped message at the head of the queue to the dead queue'
);

-- At cleanup: a capped message that is not leased moves; a capped one still leased stays
-- with its consumer. Earlier work of other sessions is cleaned up first, so that the
-- counts are this file's own.
DO $$
BEGIN
    FOR i IN 1 .. 100 LOOP
        EXIT WHEN fastqueue.cleanup(100000) = ROW(0, 0)::fastqueue.cleanup_result;
    END LOOP;
END;
$$;

INSERT INTO named
SELECT name, p
FROM unnest(ARRAY['abandoned', 'held']) AS name,
     LATERAL fastqueue.publish('dl-topic', jsonb_build_object('name', name)) AS p;
DO $$
BEGIN
    PERFORM fastqueue.lease('dl-q', 2);
    UPDATE fastqueue.message
    SET scheduled_at = clock_timestamp() - interval '1 hour'
    WHERE id IN (SELECT (msg).id FROM named WHERE name IN ('abandoned', 'held'));
    PERFORM fastqueue.lease('dl-q', 2);
    -- 'abandoned' is given up without a nack; 'held' is still being worked on.
    UPDATE fastqueue.message
    SET scheduled_at = clock_timestamp() - interval '1 second'
    WHERE id = (SELECT (msg).id FROM named WHERE name = 'abandoned');
END;
$$;

SELECT is(
    fastqueue.cleanup(),
    ROW(0, 1)::fastqueue.cleanup_result,
    'cleanup moves one capped message and counts it as dead-lettered'
);
SELECT results_eq(
    $$
    SELECT n.name, m.queue_id, m.delivery_attempts
    FROM fastqueue.message AS m JOIN named AS n ON (n.msg).id = m.id
    WHERE n.name IN ('abandoned', 'held')
    ORDER BY n.name
    $$,
    $$VALUES ('abandoned', 'dl-dead', 0), ('held', 'dl-q', 2)$$,
    'cleanup moves the capped message whose lease lapsed and leaves the leased one'
);

-- Deleting a dead queue: its messages go, and the queues that used it stop capping, so
-- their capped messages are delivered again rather than dropped.
DO $$
BEGIN
    PERFORM fastqueue.create_topic('dl-topic-2');
    PERFORM fastqueue.create_queue('dl-dead-2');
    PERFORM fastqueue.create_queue(
        'dl-q-2', 'dl-topic-2', 'dl-dead-2', p_message_max_deliveries => 1);
END;
$$;
INSERT INTO named
SELECT name, p
FROM unnest(ARRAY['sent', 'orphan']) AS name,
     LATERAL fastqueue.publish('dl-topic-2', jsonb_build_object('name', name)) AS p;
DO $$
BEGIN
    PERFORM fastqueue.nack(id) FROM fastqueue.lease('dl-q-2', 1);
END;
$$;
DO $$
BEGIN
    PERFORM fastqueue.lease('dl-q-2', 1);
    UPDATE fastqueue.message
    SET scheduled_at = clock_timestamp() - interval '1 second'
    WHERE id = (SELECT (msg).id FROM named WHERE name = 'orphan');
END;
$$;

SELECT results_eq(
    $$
    SELECT n.name, m.queue_id, m.delivery_attempts
    FROM fastqueue.message AS m JOIN named AS n ON (n.msg).id = m.id
    WHERE n.name IN ('sent', 'orphan')
    ORDER BY n.name
    $$,
    $$VALUES ('orphan', 'dl-q-2', 1), ('sent', 'dl-dead-2', 0)$$,
    'one message reached the dead queue and one waits for it'
);
SELECT is(
    (SELECT ROW(s.num_undelivered_messages, s.oldest_unacked_message_age_seconds,
                s.num_dead_letter_pending_messages)::text
     FROM fastqueue.get_queue_stats('dl-q-2') AS s),
    '(0,0,1)',
    'a message waiting for its dead queue is not available: it waits for the dead queue'
);

SELECT lives_ok(
    $$SELECT fastqueue.delete_queue('dl-dead-2')$$,
    'a queue in use as a dead queue can be deleted'
);
SELECT results_eq(
    $$SELECT dead_queue_id, message_max_deliveries FROM fastqueue.get_queue('dl-q-2')$$,
    $$VALUES (NULL::text, NULL::integer)$$,
    'deleting a dead queue clears the dead queue and max deliveries of queues that used it'
);
SELECT is(
    (SELECT count(*) FROM fastqueue.message
     WHERE id = (SELECT (msg).id FROM named WHERE name = 'sent')),
    0::bigint,
    'deleting a dead queue deletes the messages in it'
);
SELECT is(
    (SELECT ROW(s.num_undelivered_messages, s.oldest_unacked_message_age_seconds,
                s.num_dead_letter_pending_messages)::text
     FROM fastqueue.get_queue_stats('dl-q-2') AS s),
    '(1,0,0)',
    'a message that waited for a deleted dead queue is available again'
);
SELECT results_eq(
    $$SELECT data ->> 'name', delivery_attempts FROM fastqueue.lease('dl-q-2')$$,
    $$VALUES ('orphan', 2)$$,
    'a message that waited for a deleted dead queue is leased again, not dropped'
);
SELECT is(
    (SELECT count(*) FROM fastqueue.message WHERE queue_id LIKE 'dl-%'),
    (SELECT count(*) FROM named WHERE name <> 'sent'),
    'no message was lost or duplicated on the way'
);

SELECT * FROM finish();
ROLLBACK;
