-- pgTAP: every error the topic functions raise, checked by SQLSTATE:
-- FQ001 topic not found, FQ101 topic exists, FQ201 invalid id, FQ202 out of bounds.

BEGIN;

SELECT plan(36);

DO $$
BEGIN
    PERFORM fastqueue.create_topic('te-existing');
END;
$$;

-- An id is 1 to 128 characters of A-Z a-z 0-9 - . _ and nothing else: create_topic
-- refuses any other with FQ201, and accepts both ends of the rule.
SELECT lives_ok(
    $$SELECT fastqueue.create_topic(repeat('t', 128))$$,
    'create_topic accepts an id of 128 characters'
);
SELECT lives_ok(
    $$SELECT fastqueue.create_topic('t')$$,
    'create_topic accepts an id of 1 character'
);
SELECT lives_ok(
    $$SELECT fastqueue.create_topic('AZaz09-._')$$,
    'create_topic accepts letters, digits, "-", "." and "_"'
);
SELECT throws_ok(
    $$SELECT fastqueue.create_topic(repeat('t', 129))$$,
    'FQ201', NULL,
    'create_topic refuses an id of 129 characters'
);
SELECT throws_ok(
    $$SELECT fastqueue.create_topic('')$$,
    'FQ201', NULL,
    'create_topic refuses an empty id'
);
-- "." and ".." would be path segments in a URL; "..." is an ordinary id.
SELECT throws_ok(
    $$SELECT fastqueue.create_topic('.')$$,
    'FQ201', NULL,
    'create_topic refuses the id "."'
);
SELECT throws_ok(
    $$SELECT fastqueue.create_queue('..')$$,
    'FQ201', NULL,
    'create_queue refuses the id ".."'
);
SELECT lives_ok(
    $$SELECT fastqueue.create_topic('...')$$,
    'create_topic accepts the id "..."'
);
SELECT throws_ok(
    $$SELECT fastqueue.create_topic(NULL)$$,
    'FQ201', NULL,
    'create_topic refuses a NULL id'
);
SELECT throws_ok(
    $$SELECT fastqueue.create_topic('te space')$$,
    'FQ201', NULL,
    'create_topic refuses an id with a space'
);
SELECT throws_ok(
    $$SELECT fastqueue.create_topic(' te-leading')$$,
    'FQ201', NULL,
    'create_topic refuses an id with a leading space'
);
SELECT throws_ok(
    $$SELECT fastqueue.create_topic(E'te-newline\n')$$,
    'FQ201', NULL,
    'create_topic refuses an id with a trailing newline'
);
SELECT throws_ok(
    $$SELECT fastqueue.create_topic(E'te\ttab')$$,
    'FQ201', NULL,
    'create_topic refuses an id with a tab'
);
SELECT throws_ok(
    $$SELECT fastqueue.create_topic('te''; DROP TABLE fastqueue.topic; --')$$,
    'FQ201', NULL,
    'create_topic refuses an id with a quote, a semicolon and a comment'
);
SELECT throws_ok(
    $$SELECT fastqueue.create_topic('te%')$$,
    'FQ201', NULL,
    'create_topic refuses an id with a LIKE wildcard'
);
SELECT throws_ok(
    $$SELECT fastqueue.create_topic('te/..')$$,
    'FQ201', NULL,
    'create_topic refuses an id with a slash'
);
SELECT throws_ok(
    $$SELECT fastqueue.create_topic('"te"')$$,
    'FQ201', NULL,
    'create_topic refuses an id with double quotes'
);
SELECT throws_ok(
    $$SELECT fastqueue.create_topic(E'caf\u00e9')$$,
    'FQ201', NULL,
    'create_topic refuses an id with a letter outside A-Z and a-z'
);
SELECT has_table(
    'fastqueue', 'topic',
    'an id with SQL in it is never run: fastqueue.topic is still there'
);

-- Creating a topic that exists raises FQ101 and leaves the existing one as it was.
SELECT throws_ok(
    $$SELECT fastqueue.create_topic('te-existing')$$,
    'FQ101', NULL,
    'create_topic refuses an id that is already taken'
);
SELECT is(
    (SELECT count(*) FROM fastqueue.topic WHERE id = 'te-existing'),
    1::bigint,
    'a refused duplicate leaves a single topic of that id'
);

-- Reading or deleting a topic that does not exist raises FQ001.
SELECT throws_ok(
    $$SELECT fastqueue.get_topic('te-missing')$$,
    'FQ001', NULL,
    'get_topic of an unknown topic raises not found'
);
SELECT throws_ok(
    $$SELECT fastqueue.get_topic(NULL)$$,
    'FQ001', NULL,
    'get_topic of a NULL id raises not found'
);
SELECT throws_ok(
    $$SELECT fastqueue.delete_topic('te-missing')$$,
    'FQ001', NULL,
    'delete_topic of an unknown topic raises not found'
);
SELECT throws_ok(
    $$SELECT fastqueue.delete_topic(NULL)$$,
    'FQ001', NULL,
    'delete_topic of a NULL id raises not found'
);
DO $$
BEGIN
    PERFORM fastqueue.delete_topic('te-existing');
END;
$$;
SELECT throws_ok(
    $$SELECT fastqueue.delete_topic('te-existing')$$,
    'FQ001', NULL,
    'delete_topic of a topic deleted already raises not found'
);
SELECT throws_ok(
    $$SELECT fastqueue.get_topic('te-existing')$$,
    'FQ001', NULL,
    'get_topic of a deleted topic raises not found'
);

-- list_topics takes an offset and a limit within the list_offset and list_limit
-- settings, and raises FQ202 outside them. list_offset ends at the largest integer,
-- so only its lower edge can be crossed.
SELECT throws_ok(
    $$
    SELECT fastqueue.list_topics(min_value - 1, 10)
    FROM fastqueue.setting WHERE name = 'list_offset'
    $$,
    'FQ202', NULL,
    'list_topics refuses an offset below list_offset'
);
SELECT lives_ok(
    $$
    SELECT fastqueue.list_topics(min_value, 10)
    FROM fastqueue.setting WHERE name = 'list_offset'
    $$,
    'list_topics accepts the smallest offset of list_offset'
);
SELECT lives_ok(
    $$
    SELECT fastqueue.list_topics(max_value, 10)
    FROM fastqueue.setting WHERE name = 'list_offset'
    $$,
    'list_topics accepts the largest offset of list_offset'
);
SELECT throws_ok(
    $$
    SELECT fastqueue.list_topics(0, min_value - 1)
    FROM fastqueue.setting WHERE name = 'list_limit'
    $$,
    'FQ202', NULL,
    'list_topics refuses a limit below list_limit'
);
SELECT lives_ok(
    $$
    SELECT fastqueue.list_topics(0, min_value)
    FROM fastqueue.setting WHERE name = 'list_limit'
    $$,
    'list_topics accepts the smallest limit of list_limit'
);
SELECT lives_ok(
    $$
    SELECT fastqueue.list_topics(0, max_value)
    FROM fastqueue.setting WHERE name = 'list_limit'
    $$,
    'list_topics accepts the largest limit of list_limit'
);
SELECT throws_ok(
    $$
    SELECT fastqueue.list_topics(0, max_value + 1)
    FROM fastqueue.setting WHERE name = 'list_limit'
    $$,
    'FQ202', NULL,
    'list_topics refuses a limit above list_limit'
);
SELECT throws_ok(
    $$SELECT fastqueue.list_topics(NULL, 10)$$,
    'FQ202', NULL,
    'list_topics refuses a NULL offset'
);
SELECT throws_ok(
    $$SELECT fastqueue.list_topics(0, NULL)$$,
    'FQ202', NULL,
    'list_topics refuses a NULL limit'
);

SELECT * FROM finish();
ROLLBACK;
