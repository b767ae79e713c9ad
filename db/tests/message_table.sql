-- pgTAP: the message table: its columns, keys, indexes and checks, and that a queue's
-- messages go with the queue. Every id this file creates starts with msg-.

BEGIN;

SELECT plan(13);

-- Messages by name, as publish returned them.
CREATE TEMP TABLE named (name text, msg fastqueue.message_info) ON COMMIT DROP;

-- Shape: one row per message per queue, keyed by a UUID.
SELECT has_table('fastqueue', 'message', 'fastqueue.message exists');
SELECT results_eq(
    $$
    SELECT attname::text COLLATE "default", format_type(atttypid, atttypmod), attnotnull
    FROM pg_catalog.pg_attribute
    WHERE attrelid = 'fastqueue.message'::regclass AND attnum > 0 AND NOT attisdropped
    ORDER BY attnum
    $$,
    $$
    VALUES ('id', 'uuid', true), ('seq', 'bigint', true), ('queue_id', 'text', true),
           ('data', 'jsonb', true), ('attributes', 'jsonb', false),
           ('delivery_attempts', 'integer', true),
           ('scheduled_at', 'timestamp with time zone', true),
           ('expired_at', 'timestamp with time zone', true),
           ('created_at', 'timestamp with time zone', true),
           ('updated_at', 'timestamp with time zone', true),
           ('receipt', 'uuid', false),
           ('dead_lettered_from', 'text', false),
           ('dead_lettered_at', 'timestamp with time zone', false)
    $$,
    'fastqueue.message has these columns, of these types, NOT NULL but the optional ones'
);
SELECT col_is_pk('fastqueue', 'message', 'id', 'a message is identified by its id');
SELECT fk_ok(
    'fastqueue', 'message', 'queue_id', 'fastqueue', 'queue', 'id',
    'every message belongs to an existing queue'
);
SELECT is(
    (SELECT confdeltype::text FROM pg_catalog.pg_constraint
     WHERE conrelid = 'fastqueue.message'::regclass AND contype = 'f'),
    'c',
    'deleting a queue cascades to its messages'
);
SELECT has_index(
    'fastqueue', 'message', 'message_queue_scheduled_idx',
    ARRAY['queue_id', 'scheduled_at', 'seq'],
    'lease reads one queue''s messages by visibility time and sequence from an index'
);
SELECT has_index(
    'fastqueue', 'message', 'message_expired_idx', ARRAY['expired_at'],
    'cleanup finds expired messages from an index'
);
SELECT table_privs_are(
    'fastqueue', 'message', 'public', ARRAY[]::text[],
    'PUBLIC has no privilege on the message table'
);

-- A topic with two queues, and three messages published to both.
DO $$
BEGIN
    PERFORM fastqueue.create_topic('msg-topic');
    PERFORM fastqueue.create_queue('msg-q', 'msg-topic');
    PERFORM fastqueue.create_queue('msg-twin', 'msg-topic');
END;
$$;
INSERT INTO named
SELECT 'n' || i, p
FROM generate_series(1, 3) AS i,
     LATERAL fastqueue.publish('msg-topic', jsonb_build_object('i', i)) AS p;

-- Checks: the table itself refuses what the functions never store.
SELECT throws_ok(
    $$
    INSERT INTO fastqueue.message
        (queue_id, data, scheduled_at, expired_at, created_at, updated_at)
    VALUES ('msg-q', '[]', now(), now(), now(), now())
    $$,
    '23514', NULL,
    'a message whose data is not a JSON object violates a check constraint'
);
SELECT throws_ok(
    $$
    UPDATE fastqueue.message SET delivery_attempts = -1
    WHERE id = (SELECT (msg).id FROM named LIMIT 1)
    $$,
    '23514', NULL,
    'a negative delivery count violates a check constraint'
);

-- Deleting a queue deletes its messages, leased or not, and only its own.
DO $$
BEGIN
    PERFORM fastqueue.lease('msg-q', 1);
    PERFORM fastqueue.delete_queue('msg-q');
END;
$$;

SELECT is(
    (SELECT count(*) FROM fastqueue.message
     WHERE id IN (SELECT (msg).id FROM named WHERE (msg).queue_id = 'msg-q')),
    0::bigint,
    'deleting a queue deletes its messages, leased or not'
);
SELECT is(
    (SELECT count(*) FROM fastqueue.message WHERE queue_id = 'msg-twin'),
    3::bigint,
    'deleting a queue leaves the copies in the other queues of its topic'
);
SELECT throws_ok(
    format(
        'SELECT fastqueue.ack(%L)',
        (SELECT (msg).id FROM named WHERE (msg).queue_id = 'msg-q' LIMIT 1)),
    'FQ003', NULL,
    'acking a message of a deleted queue raises FQ003'
);

SELECT * FROM finish();
ROLLBACK;
