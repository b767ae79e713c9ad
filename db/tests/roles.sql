-- pgTAP: the roles of SQL callers. fastqueue_admin runs topics, queues, the settings,
-- purge, redrive and cleanup; fastqueue_publisher publishes; fastqueue_consumer leases,
-- acks, nacks and reads stats. Each may run exactly its functions, touches no table
-- (but the administrator's settings), and cannot make a fastqueue function run its own
-- objects through its search_path. Every id this file creates starts with roles-.

BEGIN;

-- pgTAP lives in public. Leaving fastqueue off the path makes regprocedure print
-- fastqueue.publish(...) in full, whatever the connecting role is called.
SET LOCAL search_path = public, pg_catalog;

SELECT plan(58);

-- pgTAP keeps its state in temporary tables of this session: the roles we switch to
-- must be able to write them.
GRANT ALL ON __tcache__, __tcache___id_seq, __tresults___numb_seq
    TO fastqueue_admin, fastqueue_publisher, fastqueue_consumer;

CREATE TEMP TABLE named (name text PRIMARY KEY, id uuid) ON COMMIT DROP;
GRANT SELECT ON named TO PUBLIC;

DO $$
BEGIN
    PERFORM fastqueue.create_topic('roles-topic');
    PERFORM fastqueue.create_queue('roles-dead');
    PERFORM fastqueue.create_queue(
        'roles-q', 'roles-topic', 'roles-dead', p_message_max_deliveries => 5,
        p_message_filters => '{"kind": ["a", "b"]}');
    PERFORM fastqueue.create_queue('roles-other');
    INSERT INTO named
    SELECT name, (fastqueue.publish('roles-topic', '{}', '{"kind": "a"}')).id
    FROM unnest(ARRAY['m1', 'm2', 'm3', 'm4']) AS name;
END;
$$;

-- The three roles exist and cannot log in: people and services log in with roles of
-- their own that are members of these (the API's is fastqueue_api).
SELECT ok(
    NOT rolcanlogin AND NOT rolsuper AND NOT rolcreaterole AND NOT rolcreatedb,
    rolname || ' is a group role with no attribute'
)
FROM pg_catalog.pg_roles
WHERE rolname IN ('fastqueue_admin', 'fastqueue_publisher', 'fastqueue_consumer')
ORDER BY rolname;

-- Each may run exactly its routines, and none of the private helpers.
CREATE TEMP VIEW runnable AS
SELECT r.rolname AS role, p.oid::regprocedure::text AS routine
FROM pg_catalog.pg_proc AS p
CROSS JOIN pg_catalog.pg_roles AS r
WHERE p.pronamespace = 'fastqueue'::regnamespace
  AND r.rolname LIKE 'fastqueue\_%'
  AND pg_catalog.has_function_privilege(r.oid, p.oid, 'EXECUTE');

SELECT set_eq(
    $$SELECT routine FROM runnable WHERE role = 'fastqueue_admin'$$,
    ARRAY[
        'fastqueue.create_topic(text)', 'fastqueue.get_topic(text)',
        'fastqueue.list_topics(integer,integer)', 'fastqueue.delete_topic(text)',
        'fastqueue.create_queue(text,text,text,integer,integer,jsonb,integer,integer,integer,'
            || 'integer)',
        'fastqueue.get_queue(text)', 'fastqueue.list_queues(integer,integer)',
        'fastqueue.update_queue(text,text,text,integer,integer,jsonb,integer,integer,integer,'
            || 'integer)',
        'fastqueue.patch_queue(text,jsonb)', 'fastqueue.delete_queue(text)',
        'fastqueue.purge_queue(text)', 'fastqueue.redrive_queue(text,text,integer)',
        'fastqueue.cleanup(integer)', 'fastqueue.record_cleanup_run(bigint,bigint)',
        'fastqueue.run_cleanup(integer,bigint,bigint)', 'fastqueue.get_metrics()'
    ],
    'fastqueue_admin may run the topic, queue, purge, redrive, cleanup and metrics '
        || 'functions, and nothing else'
);
SELECT set_eq(
    $$SELECT routine FROM runnable WHERE role = 'fastqueue_publisher'$$,
    ARRAY[
        'fastqueue.publish(text,jsonb,jsonb,integer,text,integer)',
        'fastqueue.publish_batch(text,jsonb,text,integer)'
    ],
    'fastqueue_publisher may run publish and publish_batch, and nothing else'
);
SELECT set_eq(
    $$SELECT routine FROM runnable WHERE role = 'fastqueue_consumer'$$,
    ARRAY[
        'fastqueue.lease(text,integer)', 'fastqueue.ack(uuid,uuid)',
        'fastqueue.nack(uuid,uuid,integer)', 'fastqueue.ack_batch(jsonb)',
        'fastqueue.nack_batch(jsonb)', 'fastqueue.set_deadline(uuid,integer,uuid)',
        'fastqueue.get_queue_stats(text)', 'fastqueue.peek(text,integer)',
        'fastqueue.get_message(uuid)', 'fastqueue.lease_wait(text,integer,integer)',
        'fastqueue.forget_stale_waiters()'
    ],
    'fastqueue_consumer may run lease, ack, nack (one or a batch), set_deadline, '
        || 'get_queue_stats, peek, get_message, lease_wait and forget_stale_waiters, '
        || 'and nothing else'
);

-- No table rights, but the administrator's on the settings' bounds: tables, sequences
-- and columns, whoever granted them.
SELECT set_eq(
    $$
    SELECT r.rolname::text, c.relname::text, a.privilege_type
    FROM pg_catalog.pg_class AS c
    CROSS JOIN LATERAL pg_catalog.aclexplode(c.relacl) AS a
    JOIN pg_catalog.pg_roles AS r ON r.oid = a.grantee
    WHERE c.relnamespace = 'fastqueue'::regnamespace
      AND r.rolname LIKE 'fastqueue\_%'
    $$,
    $$VALUES ('fastqueue_admin', 'setting', 'SELECT')$$,
    'of the tables, only fastqueue.setting is readable, and only by fastqueue_admin'
);
SELECT set_eq(
    $$
    SELECT r.rolname::text, c.relname || '.' || att.attname, a.privilege_type
    FROM pg_catalog.pg_attribute AS att
    JOIN pg_catalog.pg_class AS c ON c.oid = att.attrelid
    CROSS JOIN LATERAL pg_catalog.aclexplode(att.attacl) AS a
    JOIN pg_catalog.pg_roles AS r ON r.oid = a.grantee
    WHERE c.relnamespace = 'fastqueue'::regnamespace
      AND r.rolname LIKE 'fastqueue\_%'
    $$,
    $$VALUES ('fastqueue_admin', 'setting.min_value', 'UPDATE'),
             ('fastqueue_admin', 'setting.max_value', 'UPDATE')$$,
    'of the columns, only the bounds of fastqueue.setting can be changed, by fastqueue_admin'
);

-- The API's login role, where set-up made it, is a member of the three and of nothing
-- else, and holds nothing of its own.
SELECT CASE WHEN NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'fastqueue_api')
    THEN skip('no fastqueue_api role in this cluster', 2)
    ELSE collect_tap(
        set_eq(
            $$
            SELECT g.rolname::text
            FROM pg_catalog.pg_auth_members AS m
            JOIN pg_catalog.pg_roles AS g ON g.oid = m.roleid
            WHERE m.member = 'fastqueue_api'::regrole
            $$,
            ARRAY['fastqueue_admin', 'fastqueue_publisher', 'fastqueue_consumer'],
            'fastqueue_api is a member of the three fastqueue roles and no other'
        ),
        is_empty(
            $$
            SELECT p.oid
            FROM pg_catalog.pg_proc AS p
            CROSS JOIN LATERAL pg_catalog.aclexplode(p.proacl) AS a
            WHERE p.pronamespace = 'fastqueue'::regnamespace
              AND a.grantee = 'fastqueue_api'::regrole
            $$,
            'fastqueue_api holds no grant of its own'
        )
    )
END;

-- fastqueue_admin: its functions work, the others and the tables are refused.
SET LOCAL ROLE fastqueue_admin;
SELECT lives_ok($$SELECT fastqueue.create_topic('roles-admin-topic')$$,
    'fastqueue_admin can create a topic');
SELECT lives_ok(
    $$SELECT fastqueue.create_queue('roles-admin-q', 'roles-admin-topic')$$,
    'fastqueue_admin can create a queue');
SELECT lives_ok(
    $$SELECT fastqueue.patch_queue('roles-admin-q', '{"ack_deadline_seconds": 60}')$$,
    'fastqueue_admin can change a queue');
SELECT lives_ok($$SELECT fastqueue.list_queues()$$, 'fastqueue_admin can list queues');
SELECT lives_ok($$SELECT fastqueue.redrive_queue('roles-other', 'roles-admin-q')$$,
    'fastqueue_admin can redrive a queue');
SELECT lives_ok($$SELECT fastqueue.purge_queue('roles-admin-q')$$,
    'fastqueue_admin can purge a queue');
SELECT lives_ok($$SELECT fastqueue.cleanup(10)$$, 'fastqueue_admin can run a cleanup batch');
SELECT lives_ok($$SELECT fastqueue.get_metrics()$$, 'fastqueue_admin can read the metrics');
SELECT lives_ok(
    $$UPDATE fastqueue.setting SET max_value = 500 WHERE name = 'ack_deadline_seconds'$$,
    'fastqueue_admin can change the bounds of a setting');
SELECT is(
    (SELECT max_value FROM fastqueue.setting WHERE name = 'ack_deadline_seconds'), 500,
    'fastqueue_admin can read the settings');
SELECT throws_ok(
    $$UPDATE fastqueue.setting SET description = 'x' WHERE name = 'ack_deadline_seconds'$$,
    '42501', NULL, 'fastqueue_admin cannot change what a setting means');
SELECT throws_ok($$INSERT INTO fastqueue.setting VALUES ('roles-x', 1, 2, 'x')$$,
    '42501', NULL, 'fastqueue_admin cannot add a setting');
SELECT throws_ok($$DELETE FROM fastqueue.setting$$,
    '42501', NULL, 'fastqueue_admin cannot delete a setting');
SELECT throws_ok($$SELECT fastqueue.publish('roles-topic', '{}')$$,
    '42501', NULL, 'fastqueue_admin cannot publish');
SELECT throws_ok($$SELECT fastqueue.lease('roles-q')$$,
    '42501', NULL, 'fastqueue_admin cannot lease');
SELECT throws_ok($$SELECT fastqueue.get_queue_stats('roles-q')$$,
    '42501', NULL, 'fastqueue_admin cannot read queue stats');
SELECT throws_ok($$SELECT count(*) FROM fastqueue.message$$,
    '42501', NULL, 'fastqueue_admin cannot read the messages table');
SELECT throws_ok($$UPDATE fastqueue.queue SET ack_deadline_seconds = 1$$,
    '42501', NULL, 'fastqueue_admin cannot write the queues table');
SELECT throws_ok($$SELECT fastqueue._check_bound('lease_limit', 1)$$,
    '42501', NULL, 'fastqueue_admin cannot call a private helper');
RESET ROLE;

-- fastqueue_publisher.
SET LOCAL ROLE fastqueue_publisher;
SELECT lives_ok($$SELECT fastqueue.publish('roles-topic', '{"n": 5}', '{"kind": "b"}')$$,
    'fastqueue_publisher can publish');
SELECT throws_ok($$SELECT fastqueue.create_topic('roles-p')$$,
    '42501', NULL, 'fastqueue_publisher cannot create a topic');
SELECT throws_ok($$SELECT fastqueue.purge_queue('roles-q')$$,
    '42501', NULL, 'fastqueue_publisher cannot purge a queue');
SELECT throws_ok($$SELECT fastqueue.lease('roles-q')$$,
    '42501', NULL, 'fastqueue_publisher cannot lease');
SELECT throws_ok(
    format('SELECT fastqueue.ack(%L)', (SELECT id FROM named WHERE name = 'm1')),
    '42501', NULL, 'fastqueue_publisher cannot ack');
SELECT throws_ok($$SELECT fastqueue.get_queue_stats('roles-q')$$,
    '42501', NULL, 'fastqueue_publisher cannot read queue stats');
SELECT throws_ok($$SELECT count(*) FROM fastqueue.setting$$,
    '42501', NULL, 'fastqueue_publisher cannot read the settings');
SELECT throws_ok(
    $$INSERT INTO fastqueue.message (queue_id, data, scheduled_at, expired_at, created_at,
          updated_at)
      VALUES ('roles-q', '{}', now(), now(), now(), now())$$,
    '42501', NULL, 'fastqueue_publisher cannot write the messages table');
RESET ROLE;

-- fastqueue_consumer.
SET LOCAL ROLE fastqueue_consumer;
SELECT is((SELECT count(*) FROM fastqueue.lease('roles-q', 2)), 2::bigint,
    'fastqueue_consumer can lease');
SELECT lives_ok(format('SELECT fastqueue.ack(%L)', (SELECT id FROM named WHERE name = 'm1')),
    'fastqueue_consumer can ack');
SELECT lives_ok(format('SELECT fastqueue.nack(%L)', (SELECT id FROM named WHERE name = 'm2')),
    'fastqueue_consumer can nack');
SELECT is((SELECT num_undelivered_messages FROM fastqueue.get_queue_stats('roles-q')),
    4::bigint, 'fastqueue_consumer can read queue stats');
SELECT throws_ok($$SELECT fastqueue.publish('roles-topic', '{}')$$,
    '42501', NULL, 'fastqueue_consumer cannot publish');
SELECT throws_ok($$SELECT fastqueue.create_queue('roles-c')$$,
    '42501', NULL, 'fastqueue_consumer cannot create a queue');
SELECT throws_ok($$SELECT fastqueue.delete_queue('roles-q')$$,
    '42501', NULL, 'fastqueue_consumer cannot delete a queue');
SELECT throws_ok($$SELECT fastqueue.purge_queue('roles-q')$$,
    '42501', NULL, 'fastqueue_consumer cannot purge a queue');
SELECT throws_ok($$SELECT fastqueue.redrive_queue('roles-dead', 'roles-q')$$,
    '42501', NULL, 'fastqueue_consumer cannot redrive a queue');
SELECT throws_ok($$SELECT fastqueue.cleanup()$$,
    '42501', NULL, 'fastqueue_consumer cannot run a cleanup batch');
SELECT throws_ok($$CALL fastqueue.run_cleanup()$$,
    '42501', NULL, 'fastqueue_consumer cannot run the cleanup procedure');
SELECT throws_ok($$SELECT fastqueue.get_metrics()$$,
    '42501', NULL, 'fastqueue_consumer cannot read the metrics');
SELECT throws_ok($$SELECT count(*) FROM fastqueue.message$$,
    '42501', NULL, 'fastqueue_consumer cannot read the messages table');
SELECT throws_ok($$DELETE FROM fastqueue.message$$,
    '42501', NULL, 'fastqueue_consumer cannot delete from the messages table');
SELECT throws_ok($$UPDATE fastqueue.message SET scheduled_at = now()$$,
    '42501', NULL, 'fastqueue_consumer cannot move a lease deadline by hand');
RESET ROLE;

-- Hijacking. A caller puts a schema of look-alikes first on its search_path: = on text
-- and on uuid, ? on jsonb, and clock_timestamp(), each of which notes who ran it and
-- then does what the original does. Code that trusted the caller's search_path would
-- run them, inside a SECURITY DEFINER function with the rights of its owner. The
-- fastqueue functions pin their own search_path, so they must never run one. (The
-- schema is made by the test's own role: the fastqueue roles may not create schemas.)
CREATE SCHEMA roles_evil;
CREATE TABLE roles_evil.ran (who name NOT NULL, what text NOT NULL);
GRANT USAGE ON SCHEMA roles_evil TO PUBLIC;
GRANT SELECT, INSERT ON roles_evil.ran TO PUBLIC;
CREATE FUNCTION roles_evil.text_eq(text, text) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO roles_evil.ran VALUES (current_user, 'text =');
    RETURN $1 OPERATOR(pg_catalog.=) $2;
END;
$$;
CREATE OPERATOR roles_evil.= (LEFTARG = text, RIGHTARG = text, FUNCTION = roles_evil.text_eq);
CREATE FUNCTION roles_evil.uuid_eq(uuid, uuid) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO roles_evil.ran VALUES (current_user, 'uuid =');
    RETURN $1 OPERATOR(pg_catalog.=) $2;
END;
$$;
CREATE OPERATOR roles_evil.= (LEFTARG = uuid, RIGHTARG = uuid, FUNCTION = roles_evil.uuid_eq);
CREATE FUNCTION roles_evil.jsonb_exists(jsonb, text) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO roles_evil.ran VALUES (current_user, 'jsonb ?');
    RETURN $1 OPERATOR(pg_catalog.?) $2;
END;
$$;
CREATE OPERATOR roles_evil.? (
    LEFTARG = jsonb, RIGHTARG = text, FUNCTION = roles_evil.jsonb_exists);
CREATE FUNCTION roles_evil.clock_timestamp() RETURNS timestamptz
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO roles_evil.ran VALUES (current_user, 'clock_timestamp()');
    RETURN pg_catalog.clock_timestamp();
END;
$$;
-- The deploying role's functions are not executable by PUBLIC by default; a caller's own
-- would be runnable by whoever it likes.
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA roles_evil TO PUBLIC;

-- Each role works under that search_path, with tables of its own named like ours in its
-- temporary schema too; a query of its own shows that the look-alikes do take over code
-- that does not pin its path.
SET LOCAL ROLE fastqueue_publisher;
SET LOCAL search_path = roles_evil, pg_catalog, pg_temp, public;
CREATE TEMP TABLE message (LIKE named);
CREATE TEMP TABLE queue (id text);
DO $$
BEGIN
    PERFORM 'x'::text = 'x'::text;
    PERFORM fastqueue.publish('roles-topic', '{"n": 6}', '{"kind": "a"}');
END;
$$;
RESET ROLE;
SET LOCAL ROLE fastqueue_consumer;
SET LOCAL search_path = roles_evil, pg_catalog, pg_temp, public;
DO $$
BEGIN
    PERFORM 'x'::text = 'x'::text;
    PERFORM fastqueue.lease('roles-q', 2);
    PERFORM fastqueue.nack((SELECT id FROM named WHERE name = 'm3'));
    PERFORM fastqueue.ack((SELECT id FROM named WHERE name = 'm4'));
    PERFORM fastqueue.get_queue_stats('roles-q');
END;
$$;
RESET ROLE;
SET LOCAL ROLE fastqueue_admin;
SET LOCAL search_path = roles_evil, pg_catalog, pg_temp, public;
DO $$
BEGIN
    PERFORM 'x'::text = 'x'::text;
    PERFORM fastqueue.create_queue('roles-evil-q', 'roles-topic',
        p_message_filters => '{"kind": ["a"]}');
    PERFORM fastqueue.get_queue('roles-evil-q');
    PERFORM fastqueue.redrive_queue('roles-other', 'roles-evil-q');
    PERFORM fastqueue.cleanup(10);
    PERFORM fastqueue.get_metrics();
END;
$$;
RESET ROLE;
SET LOCAL search_path = public, pg_catalog;

SELECT set_eq(
    $$SELECT DISTINCT who::text FROM roles_evil.ran WHERE what = 'text ='$$,
    ARRAY['fastqueue_admin', 'fastqueue_publisher', 'fastqueue_consumer'],
    'the look-alike = runs for each role''s own query: the trap is armed'
);
SELECT is_empty(
    $$SELECT who, what FROM roles_evil.ran WHERE who NOT LIKE 'fastqueue\_%'$$,
    'no look-alike ran inside a fastqueue function, with its owner''s rights'
);
SELECT is_empty(
    $$SELECT who, what FROM roles_evil.ran WHERE what <> 'text ='$$,
    'the look-alikes of uuid =, jsonb ? and clock_timestamp() never ran'
);
SELECT is(
    (SELECT count(*) FROM fastqueue.message WHERE data = '{"n": 6}'),
    1::bigint,
    'publish under the hostile search_path still stored its message'
);
SELECT is(
    (SELECT count(*) FROM fastqueue.message WHERE id = (SELECT id FROM named WHERE name = 'm4')),
    0::bigint,
    'ack under the hostile search_path still deleted its message'
);
SELECT is(
    (SELECT queue_id FROM fastqueue.message WHERE data = '{"n": 6}'),
    'roles-q',
    'the message went to the queue whose filter matched, and to no other'
);

SELECT * FROM finish();
ROLLBACK;
