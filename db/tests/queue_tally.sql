-- pgTAP: the queue tallies hold, for every queue, exactly the number of its messages
-- after each kind of write: publish, batch publish, ack, batch ack, nack to the dead
-- queue, a lease that moves capped messages, cleanup's expiry and dead-lettering, purge,
-- redrive, a direct INSERT or DELETE, TRUNCATE and queue delete. Every id this file creates
-- starts with tally-.

BEGIN;

SELECT plan(38);

-- Queues whose tally differs from an exact count of their messages; empty when right.
CREATE TEMP VIEW drift AS
SELECT q.id, t.messages AS tally, coalesce(c.messages, 0) AS exact
FROM fastqueue.queue AS q
JOIN (
    SELECT queue_id, sum(messages) AS messages FROM fastqueue.queue_tally GROUP BY queue_id
) AS t ON t.queue_id = q.id
LEFT JOIN (
    SELECT queue_id, count(*) AS messages FROM fastqueue.message GROUP BY queue_id
) AS c ON c.queue_id = q.id
WHERE t.messages <> coalesce(c.messages, 0);

-- The sum of one queue's shards.
CREATE FUNCTION pg_temp.tally(p_queue_id text) RETURNS bigint
LANGUAGE sql AS $$
    SELECT sum(messages)::bigint FROM fastqueue.queue_tally WHERE queue_id = p_queue_id
$$;

-- Make a queue's messages look delivered p_attempts times, their leases lapsed.
CREATE FUNCTION pg_temp.lapse(p_queue_id text, p_attempts integer) RETURNS void
LANGUAGE sql AS $$
    UPDATE fastqueue.message
    SET delivery_attempts = p_attempts, receipt = gen_random_uuid(),
        scheduled_at = clock_timestamp() - interval '1 second'
    WHERE queue_id = p_queue_id
$$;

CREATE TEMP TABLE acked (id uuid) ON COMMIT DROP;

-- Shape: the table, one row per shard for each queue, 0 to start with.
SELECT has_table('fastqueue', 'queue_tally', 'fastqueue.queue_tally exists');
SELECT has_trigger('fastqueue', 'queue', 'queue_tally_rows_trigger',
    'a new queue gets its tally rows by trigger');
SELECT has_trigger('fastqueue', 'message', 'message_tally_insert_trigger',
    'inserted messages are tallied by trigger');
SELECT has_trigger('fastqueue', 'message', 'message_tally_delete_trigger',
    'deleted messages are tallied by trigger');
SELECT has_trigger('fastqueue', 'message', 'message_tally_truncate_trigger',
    'a truncation is tallied by trigger');
SELECT fastqueue.create_topic('tally-topic');
SELECT fastqueue.create_queue('tally-dead');
SELECT fastqueue.create_queue('tally-q', 'tally-topic', 'tally-dead',
    p_message_max_deliveries => 2);
SELECT fastqueue.create_queue('tally-filtered', 'tally-topic',
    p_message_filters => '{"kind": ["a"]}');
SELECT results_eq(
    $$SELECT count(*), sum(messages)::bigint FROM fastqueue.queue_tally
      WHERE queue_id = 'tally-q'$$,
    $$VALUES (16::bigint, 0::bigint)$$,
    'a new queue has 16 tally shards at 0'
);

-- ---- adding ---------------------------------------------------------------------
SELECT fastqueue.publish('tally-topic', '{"n": 1}', '{"kind": "a"}');
SELECT fastqueue.publish('tally-topic', '{"n": 2}', '{"kind": "b"}');
SELECT results_eq(
    $$SELECT pg_temp.tally('tally-q'), pg_temp.tally('tally-filtered')$$,
    $$VALUES (2::bigint, 1::bigint)$$,
    'publish adds one per copy, only to the queues that got one'
);

SELECT fastqueue.publish_batch('tally-topic',
    '[{"data": {"n": 3}, "attributes": {"kind": "a"}}, {"data": {"n": 4}},
      {"data": {"n": 5}, "delay_seconds": 60}]');
SELECT is(pg_temp.tally('tally-q'), 5::bigint, 'a batch publish adds every copy');
SELECT is_empty('SELECT * FROM drift', 'tallies are exact after publish and batch publish');

SELECT fastqueue.publish('tally-topic', '{"n": 6}', p_idempotency_key => 'tally-key');
SELECT fastqueue.publish('tally-topic', '{"n": 6}', p_idempotency_key => 'tally-key');
SELECT is(pg_temp.tally('tally-q'), 6::bigint,
    'a retried idempotent publish adds nothing');

INSERT INTO fastqueue.message (queue_id, data, scheduled_at, expired_at, created_at, updated_at)
SELECT 'tally-filtered', '{}', now(), now() + interval '1 day', now(), now()
FROM generate_series(1, 3);
SELECT is(pg_temp.tally('tally-filtered'), 5::bigint,
    'a direct INSERT is counted too');

-- ---- deleting -------------------------------------------------------------------
INSERT INTO acked SELECT id FROM fastqueue.lease('tally-q', 3);
SELECT is(pg_temp.tally('tally-q'), 6::bigint, 'a lease changes no tally');
SELECT fastqueue.ack((SELECT id FROM acked LIMIT 1));
SELECT is(pg_temp.tally('tally-q'), 5::bigint, 'an ack takes one off');
SELECT fastqueue.ack_batch((
    SELECT jsonb_agg(jsonb_build_object('id', a.id))
    FROM acked AS a JOIN fastqueue.message AS m ON m.id = a.id
) || jsonb_build_array(jsonb_build_object('id', gen_random_uuid())));
SELECT is(pg_temp.tally('tally-q'), 3::bigint,
    'a batch ack takes off what it acked, not the unknown ids');
SELECT is_empty('SELECT * FROM drift', 'tallies are exact after acks');

-- The acks count for themselves and their statements skip the tally triggers; a
-- later write of the same transaction is counted by the triggers again.
INSERT INTO fastqueue.message (queue_id, data, scheduled_at, expired_at, created_at, updated_at)
VALUES ('tally-q', '{"direct": true}', now(), now() + interval '1 day', now(), now());
SELECT is(pg_temp.tally('tally-q'), 4::bigint, 'a direct INSERT after acks is counted');
DELETE FROM fastqueue.message WHERE queue_id = 'tally-q' AND data ? 'direct';
SELECT is(pg_temp.tally('tally-q'), 3::bigint, 'a direct DELETE after acks is counted');

-- ---- moving to the dead queue -----------------------------------------------------
-- At nack: the message's last delivery failed.
SELECT pg_temp.lapse('tally-q', 1);
SELECT fastqueue.nack(id) FROM fastqueue.lease('tally-q', 1);
SELECT results_eq(
    $$SELECT pg_temp.tally('tally-q'), pg_temp.tally('tally-dead')$$,
    $$VALUES (2::bigint, 1::bigint)$$,
    'a nack after the last delivery moves one to the dead queue'
);

-- At lease: capped messages at the head of the queue move.
SELECT pg_temp.lapse('tally-q', 2);
SELECT is(
    (SELECT count(*) FROM fastqueue.lease('tally-q', 10)), 0::bigint,
    'a lease over capped messages returns none'
);
SELECT results_eq(
    $$SELECT pg_temp.tally('tally-q'), pg_temp.tally('tally-dead')$$,
    $$VALUES (0::bigint, 3::bigint)$$,
    'a lease moves the capped messages at the head to the dead queue'
);

-- At cleanup, with expiry in the same run.
SELECT fastqueue.publish('tally-topic', jsonb_build_object('n', n))
FROM generate_series(7, 9) AS n;
SELECT pg_temp.lapse('tally-q', 2);
UPDATE fastqueue.message SET expired_at = clock_timestamp() - interval '1 second'
WHERE queue_id = 'tally-filtered';
SELECT fastqueue.cleanup(100000);
SELECT results_eq(
    $$SELECT pg_temp.tally('tally-q'), pg_temp.tally('tally-dead'),
             pg_temp.tally('tally-filtered')$$,
    $$VALUES (0::bigint, 6::bigint, 0::bigint)$$,
    'cleanup deletes the expired and moves the capped'
);
SELECT is_empty('SELECT * FROM drift', 'tallies are exact after dead-lettering');

-- ---- redrive and purge ----------------------------------------------------------
SELECT fastqueue.redrive_queue('tally-dead', 'tally-filtered', 2);
SELECT results_eq(
    $$SELECT pg_temp.tally('tally-dead'), pg_temp.tally('tally-filtered')$$,
    $$VALUES (4::bigint, 2::bigint)$$,
    'a redrive to a destination moves what it moved'
);
SELECT fastqueue.redrive_queue('tally-dead');
SELECT results_eq(
    $$SELECT pg_temp.tally('tally-dead'), pg_temp.tally('tally-q')$$,
    $$VALUES (0::bigint, 4::bigint)$$,
    'a redrive back to where each came from moves them all'
);
SELECT fastqueue.purge_queue('tally-q');
SELECT is(pg_temp.tally('tally-q'), 0::bigint, 'a purge leaves 0');
SELECT is_empty('SELECT * FROM drift', 'tallies are exact after redrive and purge');

-- ---- deleting queues, truncating ------------------------------------------------
SELECT fastqueue.publish('tally-topic', '{"n": 10}', '{"kind": "a"}');
SELECT fastqueue.delete_queue('tally-filtered');
SELECT is(
    (SELECT count(*) FROM fastqueue.queue_tally WHERE queue_id = 'tally-filtered'),
    0::bigint,
    'a deleted queue takes its tally with it'
);
SELECT is_empty('SELECT * FROM drift', 'the other tallies stay exact after a queue delete');
SELECT fastqueue.create_queue('tally-filtered', 'tally-topic',
    p_message_filters => '{"kind": ["a"]}');
SELECT results_eq(
    $$SELECT count(*), sum(messages)::bigint FROM fastqueue.queue_tally
      WHERE queue_id = 'tally-filtered'$$,
    $$VALUES (16::bigint, 0::bigint)$$,
    'a queue created again with a deleted id starts at 0'
);

-- Without a foreign key to the queues, triggers clear the rows of a queue deleted
-- by hand.
SELECT has_trigger('fastqueue', 'queue', 'queue_tally_rows_delete_trigger',
    'a deleted queue loses its tally rows by trigger');
SELECT fastqueue.publish('tally-topic', '{"n": 12}', '{"kind": "a"}');
DELETE FROM fastqueue.queue WHERE id = 'tally-filtered';
SELECT is(
    (SELECT count(*) FROM fastqueue.queue_tally WHERE queue_id = 'tally-filtered'),
    0::bigint,
    'a queue deleted without delete_queue takes its tally with it'
);
SELECT is_empty('SELECT * FROM drift', 'the other tallies stay exact after that delete');

-- A queue renamed by hand (only an empty one can be: its messages refer to it) takes
-- its rows along.
SELECT fastqueue.create_queue('tally-old-name');
UPDATE fastqueue.queue SET id = 'tally-new-name' WHERE id = 'tally-old-name';
INSERT INTO fastqueue.message (queue_id, data, scheduled_at, expired_at, created_at, updated_at)
VALUES ('tally-new-name', '{}', now(), now() + interval '1 day', now(), now());
SELECT results_eq(
    $$SELECT queue_id, count(*), sum(messages)::bigint FROM fastqueue.queue_tally
      WHERE queue_id IN ('tally-old-name', 'tally-new-name') GROUP BY queue_id$$,
    $$VALUES ('tally-new-name'::text, 16::bigint, 1::bigint)$$,
    'a renamed queue keeps its 16 rows under its new id, and counts there'
);
SELECT is_empty('SELECT * FROM drift', 'tallies stay exact after a rename');

TRUNCATE fastqueue.message;
SELECT is(
    (SELECT count(*) FROM fastqueue.queue_tally WHERE messages <> 0), 0::bigint,
    'truncating the messages sets every tally to 0'
);

-- A session adds to one shard only: its own.
SELECT is(
    (SELECT array_agg(shard) FROM fastqueue.queue_tally
     WHERE queue_id = 'tally-dead' AND messages <> 0),
    NULL::smallint[],
    'no shard is left over after truncation'
);
SELECT fastqueue.publish('tally-topic', '{"n": 11}');
SELECT is(
    (SELECT array_agg(shard) FROM fastqueue.queue_tally
     WHERE queue_id = 'tally-q' AND messages <> 0),
    ARRAY[(pg_backend_pid() % 16)::smallint],
    'a publish adds to the shard of its session'
);

SET LOCAL client_min_messages = warning;
TRUNCATE fastqueue.queue CASCADE;
SELECT is_empty('SELECT * FROM fastqueue.queue_tally',
    'truncating the queues leaves no tally row');

SELECT * FROM finish();
ROLLBACK;
