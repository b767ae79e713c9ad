-- pgTAP: every error the queue functions raise, checked by SQLSTATE: FQ002 queue not
-- found, FQ102 queue exists, FQ201 invalid id, FQ202 out of bounds, FQ203 dead queue
-- and max deliveries not together, FQ204 own or cyclic dead queue, FQ205 invalid
-- filters, FQ207 unknown topic, FQ208 unknown dead queue, FQ210 invalid patch, and
-- 22P02 for a patched value of the wrong type. Bounds are read from fastqueue.setting.

BEGIN;

SELECT plan(103);

DO $$
BEGIN
    PERFORM fastqueue.create_topic('qe-topic');
    PERFORM fastqueue.create_queue('qe-existing', p_ack_deadline_seconds => 42);
    PERFORM fastqueue.create_queue('qe-dead');
    PERFORM fastqueue.create_queue(
        'qe-target', p_topic_id => 'qe-topic', p_dead_queue_id => 'qe-dead',
        p_ack_deadline_seconds => 20, p_message_filters => '{"kind": ["a"]}',
        p_message_max_deliveries => 4, p_delivery_delay_seconds => 15);
END;
$$;

-- The queues of this file as they stand, to prove later that refused calls changed
-- nothing.
CREATE TEMP TABLE queue_before ON COMMIT DROP AS
SELECT * FROM fastqueue.queue WHERE id LIKE 'qe-%';

-- An id is 1 to 128 characters of A-Z a-z 0-9 - . _ and nothing else: create_queue
-- refuses any other with FQ201, and accepts both ends of the rule.
SELECT lives_ok(
    $$SELECT fastqueue.create_queue(repeat('q', 128))$$,
    'create_queue accepts an id of 128 characters'
);
SELECT lives_ok(
    $$SELECT fastqueue.create_queue('q')$$,
    'create_queue accepts an id of 1 character'
);
SELECT lives_ok(
    $$SELECT fastqueue.create_queue('AZaz09-._')$$,
    'create_queue accepts letters, digits, "-", "." and "_"'
);
SELECT throws_ok(
    $$SELECT fastqueue.create_queue(repeat('q', 129))$$,
    'FQ201', NULL,
    'create_queue refuses an id of 129 characters'
);
SELECT throws_ok(
    $$SELECT fastqueue.create_queue('')$$,
    'FQ201', NULL,
    'create_queue refuses an empty id'
);
SELECT throws_ok(
    $$SELECT fastqueue.create_queue(NULL)$$,
    'FQ201', NULL,
    'create_queue refuses a NULL id'
);
SELECT throws_ok(
    $$SELECT fastqueue.create_queue('qe space')$$,
    'FQ201', NULL,
    'create_queue refuses an id with a space'
);
SELECT throws_ok(
    $$SELECT fastqueue.create_queue(E'qe-newline\n')$$,
    'FQ201', NULL,
    'create_queue refuses an id with a trailing newline'
);
SELECT throws_ok(
    $$SELECT fastqueue.create_queue(E'qe\ttab')$$,
    'FQ201', NULL,
    'create_queue refuses an id with a tab'
);
SELECT throws_ok(
    $$SELECT fastqueue.create_queue('qe''; DROP TABLE fastqueue.queue; --')$$,
    'FQ201', NULL,
    'create_queue refuses an id with a quote, a semicolon and a comment'
);
SELECT throws_ok(
    $$SELECT fastqueue.create_queue('qe_%')$$,
    'FQ201', NULL,
    'create_queue refuses an id with a LIKE wildcard'
);
SELECT throws_ok(
    $$SELECT fastqueue.create_queue('qe/..')$$,
    'FQ201', NULL,
    'create_queue refuses an id with a slash'
);
SELECT throws_ok(
    $$SELECT fastqueue.create_queue('"qe"')$$,
    'FQ201', NULL,
    'create_queue refuses an id with double quotes'
);
SELECT throws_ok(
    $$SELECT fastqueue.create_queue(E'caf\u00e9')$$,
    'FQ201', NULL,
    'create_queue refuses an id with a letter outside A-Z and a-z'
);
SELECT has_table(
    'fastqueue', 'queue',
    'an id with SQL in it is never run: fastqueue.queue is still there'
);

-- Each numeric field is accepted from the min to the max of its setting and refused
-- with FQ202 one step outside, or when NULL.
SELECT throws_ok(
    $$
    SELECT fastqueue.create_queue('qe-ack-low', p_ack_deadline_seconds => min_value - 1)
    FROM fastqueue.setting WHERE name = 'ack_deadline_seconds'
    $$,
    'FQ202', NULL,
    'create_queue refuses an ack deadline below its minimum'
);
SELECT lives_ok(
    $$
    SELECT fastqueue.create_queue('qe-ack-min', p_ack_deadline_seconds => min_value)
    FROM fastqueue.setting WHERE name = 'ack_deadline_seconds'
    $$,
    'create_queue accepts the minimum ack deadline'
);
SELECT lives_ok(
    $$
    SELECT fastqueue.create_queue('qe-ack-max', p_ack_deadline_seconds => max_value)
    FROM fastqueue.setting WHERE name = 'ack_deadline_seconds'
    $$,
    'create_queue accepts the maximum ack deadline'
);
SELECT throws_ok(
    $$
    SELECT fastqueue.create_queue('qe-ack-high', p_ack_deadline_seconds => max_value + 1)
    FROM fastqueue.setting WHERE name = 'ack_deadline_seconds'
    $$,
    'FQ202', NULL,
    'create_queue refuses an ack deadline above its maximum'
);
SELECT throws_ok(
    $$SELECT fastqueue.create_queue('qe-ack-null', p_ack_deadline_seconds => NULL)$$,
    'FQ202', NULL,
    'create_queue refuses a NULL ack deadline'
);
SELECT throws_ok(
    $$
    SELECT fastqueue.create_queue(
        'qe-retention-low', p_message_retention_seconds => min_value - 1)
    FROM fastqueue.setting WHERE name = 'message_retention_seconds'
    $$,
    'FQ202', NULL,
    'create_queue refuses a retention below its minimum'
);
SELECT lives_ok(
    $$
    SELECT fastqueue.create_queue('qe-retention-min', p_message_retention_seconds => min_value)
    FROM fastqueue.setting WHERE name = 'message_retention_seconds'
    $$,
    'create_queue accepts the minimum retention'
);
SELECT lives_ok(
    $$
    SELECT fastqueue.create_queue('qe-retention-max', p_message_retention_seconds => max_value)
    FROM fastqueue.setting WHERE name = 'message_retention_seconds'
    $$,
    'create_queue accepts the maximum retention'
);
SELECT throws_ok(
    $$
    SELECT fastqueue.create_queue(
        'qe-retention-high', p_message_retention_seconds => max_value + 1)
    FROM fastqueue.setting WHERE name = 'message_retention_seconds'
    $$,
    'FQ202', NULL,
    'create_queue refuses a retention above its maximum'
);
SELECT throws_ok(
    $$
    SELECT fastqueue.create_queue('qe-retention-null', p_message_retention_seconds => NULL)
    $$,
    'FQ202', NULL,
    'create_queue refuses a NULL retention'
);
SELECT throws_ok(
    $$
    SELECT fastqueue.create_queue(
        'qe-max-low', p_dead_queue_id => 'qe-dead', p_message_max_deliveries => min_value - 1)
    FROM fastqueue.setting WHERE name = 'message_max_deliveries'
    $$,
    'FQ202', NULL,
    'create_queue refuses max deliveries below their minimum'
);
SELECT lives_ok(
    $$
    SELECT fastqueue.create_queue(
        'qe-max-min', p_dead_queue_id => 'qe-dead', p_message_max_deliveries => min_value)
    FROM fastqueue.setting WHERE name = 'message_max_deliveries'
    $$,
    'create_queue accepts the minimum max deliveries'
);
SELECT lives_ok(
    $$
    SELECT fastqueue.create_queue(
        'qe-max-max', p_dead_queue_id => 'qe-dead', p_message_max_deliveries => max_value)
    FROM fastqueue.setting WHERE name = 'message_max_deliveries'
    $$,
    'create_queue accepts the maximum max deliveries'
);
SELECT throws_ok(
    $$
    SELECT fastqueue.create_queue(
        'qe-max-high', p_dead_queue_id => 'qe-dead', p_message_max_deliveries => max_value + 1)
    FROM fastqueue.setting WHERE name = 'message_max_deliveries'
    $$,
    'FQ202', NULL,
    'create_queue refuses max deliveries above their maximum'
);
SELECT throws_ok(
    $$
    SELECT fastqueue.create_queue('qe-delay-low', p_delivery_delay_seconds => min_value - 1)
    FROM fastqueue.setting WHERE name = 'delivery_delay_seconds'
    $$,
    'FQ202', NULL,
    'create_queue refuses a delivery delay below its minimum'
);
SELECT lives_ok(
    $$
    SELECT fastqueue.create_queue('qe-delay-min', p_delivery_delay_seconds => min_value)
    FROM fastqueue.setting WHERE name = 'delivery_delay_seconds'
    $$,
    'create_queue accepts the minimum delivery delay'
);
SELECT lives_ok(
    $$
    SELECT fastqueue.create_queue('qe-delay-max', p_delivery_delay_seconds => max_value)
    FROM fastqueue.setting WHERE name = 'delivery_delay_seconds'
    $$,
    'create_queue accepts the maximum delivery delay'
);
SELECT throws_ok(
    $$
    SELECT fastqueue.create_queue('qe-delay-high', p_delivery_delay_seconds => max_value + 1)
    FROM fastqueue.setting WHERE name = 'delivery_delay_seconds'
    $$,
    'FQ202', NULL,
    'create_queue refuses a delivery delay above its maximum'
);

-- update_queue and patch_queue check the same bounds; a JSON null cannot clear a
-- field that every queue must have.
SELECT throws_ok(
    $$
    SELECT fastqueue.update_queue('qe-existing', p_ack_deadline_seconds => max_value + 1)
    FROM fastqueue.setting WHERE name = 'ack_deadline_seconds'
    $$,
    'FQ202', NULL,
    'update_queue refuses an ack deadline above its maximum'
);
SELECT throws_ok(
    $$
    SELECT fastqueue.patch_queue(
        'qe-existing', jsonb_build_object('message_retention_seconds', min_value - 1))
    FROM fastqueue.setting WHERE name = 'message_retention_seconds'
    $$,
    'FQ202', NULL,
    'patch_queue refuses a retention below its minimum'
);
SELECT throws_ok(
    $$
    SELECT fastqueue.patch_queue(
        'qe-target', jsonb_build_object('delivery_delay_seconds', max_value + 1))
    FROM fastqueue.setting WHERE name = 'delivery_delay_seconds'
    $$,
    'FQ202', NULL,
    'patch_queue refuses a delivery delay above its maximum'
);
SELECT throws_ok(
    $$SELECT fastqueue.patch_queue('qe-existing', '{"ack_deadline_seconds": null}')$$,
    'FQ202', NULL,
    'patch_queue refuses to clear the ack deadline'
);

-- A dead queue and max deliveries go together: one without the other raises FQ203.
SELECT throws_ok(
    $$SELECT fastqueue.create_queue('qe-no-max', p_dead_queue_id => 'qe-dead')$$,
    'FQ203', NULL,
    'create_queue refuses a dead queue without max deliveries'
);
SELECT throws_ok(
    $$SELECT fastqueue.create_queue('qe-no-dead', p_message_max_deliveries => 5)$$,
    'FQ203', NULL,
    'create_queue refuses max deliveries without a dead queue'
);
SELECT throws_ok(
    $$SELECT fastqueue.update_queue('qe-existing', p_dead_queue_id => 'qe-dead')$$,
    'FQ203', NULL,
    'update_queue refuses a dead queue without max deliveries'
);
SELECT throws_ok(
    $$SELECT fastqueue.update_queue('qe-existing', p_message_max_deliveries => 5)$$,
    'FQ203', NULL,
    'update_queue refuses max deliveries without a dead queue'
);
SELECT throws_ok(
    $$SELECT fastqueue.patch_queue('qe-target', '{"dead_queue_id": null}')$$,
    'FQ203', NULL,
    'patch_queue refuses to clear the dead queue and keep max deliveries'
);
SELECT throws_ok(
    $$SELECT fastqueue.patch_queue('qe-existing', '{"message_max_deliveries": 5}')$$,
    'FQ203', NULL,
    'patch_queue refuses max deliveries on a queue without a dead queue'
);

-- A queue cannot be its own dead queue (FQ204). The message tells this apart from a
-- cycle, which raises the same SQLSTATE.
SELECT throws_ok(
    $$
    SELECT fastqueue.create_queue(
        'qe-self', p_dead_queue_id => 'qe-self', p_message_max_deliveries => 3)
    $$,
    'FQ204', 'queue "qe-self" cannot be its own dead queue',
    'create_queue refuses a queue that is its own dead queue'
);
SELECT throws_ok(
    $$
    SELECT fastqueue.update_queue(
        'qe-existing', p_dead_queue_id => 'qe-existing', p_message_max_deliveries => 3)
    $$,
    'FQ204', NULL,
    'update_queue refuses to make a queue its own dead queue'
);
SELECT throws_ok(
    $$
    SELECT fastqueue.patch_queue(
        'qe-target', '{"dead_queue_id": "qe-target"}')
    $$,
    'FQ204', NULL,
    'patch_queue refuses to make a queue its own dead queue'
);

-- No change may close a cycle of dead queues, of two queues or of three (FQ204);
-- a chain that ends is fine.
DO $$
BEGIN
    PERFORM fastqueue.create_queue('qe-pair-b');
    PERFORM fastqueue.create_queue(
        'qe-pair-a', p_dead_queue_id => 'qe-pair-b', p_message_max_deliveries => 2);
    PERFORM fastqueue.create_queue('qe-trio-c');
    PERFORM fastqueue.create_queue(
        'qe-trio-b', p_dead_queue_id => 'qe-trio-c', p_message_max_deliveries => 2);
    PERFORM fastqueue.create_queue(
        'qe-trio-a', p_dead_queue_id => 'qe-trio-b', p_message_max_deliveries => 2);
END;
$$;
INSERT INTO queue_before SELECT * FROM fastqueue.queue WHERE id LIKE 'qe-pair-%';
INSERT INTO queue_before SELECT * FROM fastqueue.queue WHERE id LIKE 'qe-trio-%';

SELECT throws_ok(
    $$
    SELECT fastqueue.update_queue(
        'qe-pair-b', p_dead_queue_id => 'qe-pair-a', p_message_max_deliveries => 2)
    $$,
    'FQ204',
    'dead queue "qe-pair-a" would close a cycle of dead queues through "qe-pair-b"',
    'update_queue refuses a dead queue that closes a cycle of two queues'
);
SELECT throws_ok(
    $$
    SELECT fastqueue.patch_queue(
        'qe-pair-b', '{"dead_queue_id": "qe-pair-a", "message_max_deliveries": 2}')
    $$,
    'FQ204', NULL,
    'patch_queue refuses a dead queue that closes a cycle of two queues'
);
SELECT throws_ok(
    $$
    SELECT fastqueue.update_queue(
        'qe-trio-c', p_dead_queue_id => 'qe-trio-a', p_message_max_deliveries => 2)
    $$,
    'FQ204', NULL,
    'update_queue refuses a dead queue that closes a cycle of three queues'
);
SELECT throws_ok(
    $$
    SELECT fastqueue.patch_queue(
        'qe-trio-c', '{"dead_queue_id": "qe-trio-a", "message_max_deliveries": 2}')
    $$,
    'FQ204', NULL,
    'patch_queue refuses a dead queue that closes a cycle of three queues'
);
SELECT lives_ok(
    $$
    SELECT fastqueue.patch_queue(
        'qe-trio-c', '{"dead_queue_id": "qe-pair-a", "message_max_deliveries": 2}')
    $$,
    'patch_queue accepts a dead queue that lengthens a chain without closing a cycle'
);

-- A topic or dead queue that does not exist is refused: FQ207 and FQ208.
SELECT throws_ok(
    $$SELECT fastqueue.create_queue('qe-lost-topic', p_topic_id => 'qe-missing')$$,
    'FQ207', NULL,
    'create_queue refuses an unknown topic'
);
SELECT throws_ok(
    $$SELECT fastqueue.update_queue('qe-existing', p_topic_id => 'qe-missing')$$,
    'FQ207', NULL,
    'update_queue refuses an unknown topic'
);
SELECT throws_ok(
    $$SELECT fastqueue.patch_queue('qe-existing', '{"topic_id": "qe-missing"}')$$,
    'FQ207', NULL,
    'patch_queue refuses an unknown topic'
);
SELECT throws_ok(
    $$
    SELECT fastqueue.create_queue(
        'qe-lost-dead', p_dead_queue_id => 'qe-missing', p_message_max_deliveries => 3)
    $$,
    'FQ208', NULL,
    'create_queue refuses an unknown dead queue'
);
SELECT throws_ok(
    $$
    SELECT fastqueue.update_queue(
        'qe-existing', p_dead_queue_id => 'qe-missing', p_message_max_deliveries => 3)
    $$,
    'FQ208', NULL,
    'update_queue refuses an unknown dead queue'
);
SELECT throws_ok(
    $$SELECT fastqueue.patch_queue('qe-target', '{"dead_queue_id": "qe-missing"}')$$,
    'FQ208', NULL,
    'patch_queue refuses an unknown dead queue'
);

-- A filter is a JSON object mapping each attribute to a non-empty array of strings:
-- anything else raises FQ205.
SELECT throws_ok(
    $$SELECT fastqueue.create_queue('qe-filter', p_message_filters => '["kind"]')$$,
    'FQ205', NULL,
    'create_queue refuses filters that are an array'
);
SELECT throws_ok(
    $$SELECT fastqueue.create_queue('qe-filter', p_message_filters => '"kind"')$$,
    'FQ205', NULL,
    'create_queue refuses filters that are a string'
);
SELECT throws_ok(
    $$SELECT fastqueue.create_queue('qe-filter', p_message_filters => '1')$$,
    'FQ205', NULL,
    'create_queue refuses filters that are a number'
);
SELECT throws_ok(
    $$SELECT fastqueue.create_queue('qe-filter', p_message_filters => 'null')$$,
    'FQ205', NULL,
    'create_queue refuses filters that are JSON null'
);
SELECT throws_ok(
    $$SELECT fastqueue.create_queue('qe-filter', p_message_filters => '{"kind": "a"}')$$,
    'FQ205', NULL,
    'create_queue refuses a filter value that is a string, not an array'
);
SELECT throws_ok(
    $$
    SELECT fastqueue.create_queue('qe-filter', p_message_filters => '{"kind": {"a": 1}}')
    $$,
    'FQ205', NULL,
    'create_queue refuses a filter value that is an object, not an array'
);
SELECT throws_ok(
    $$SELECT fastqueue.create_queue('qe-filter', p_message_filters => '{"kind": []}')$$,
    'FQ205', NULL,
    'create_queue refuses a filter with an empty list of values'
);
SELECT throws_ok(
    $$SELECT fastqueue.create_queue('qe-filter', p_message_filters => '{"kind": [1]}')$$,
    'FQ205', NULL,
    'create_queue refuses a filter value list holding a number'
);
SELECT throws_ok(
    $$
    SELECT fastqueue.create_queue('qe-filter', p_message_filters => '{"kind": ["a", null]}')
    $$,
    'FQ205', NULL,
    'create_queue refuses a filter value list holding a JSON null'
);
SELECT throws_ok(
    $$
    SELECT fastqueue.create_queue(
        'qe-filter', p_message_filters => '{"kind": ["a"], "region": [["eu"]]}')
    $$,
    'FQ205', NULL,
    'create_queue refuses filters when any one of their values is invalid'
);
SELECT throws_ok(
    $$SELECT fastqueue.update_queue('qe-existing', p_message_filters => '{"kind": []}')$$,
    'FQ205', NULL,
    'update_queue refuses invalid filters'
);
SELECT throws_ok(
    $$SELECT fastqueue.patch_queue('qe-target', '{"message_filters": {"kind": "a"}}')$$,
    'FQ205', NULL,
    'patch_queue refuses invalid filters'
);

-- patch_queue takes a JSON object of changeable fields only: anything else raises
-- FQ210, and the message names the fields it refused.
SELECT throws_ok(
    $$SELECT fastqueue.patch_queue('qe-existing', '{"name": "x"}')$$,
    'FQ210', NULL,
    'patch_queue refuses a field that queues do not have'
);
SELECT throws_ok(
    $$SELECT fastqueue.patch_queue('qe-existing', '{"id": "qe-renamed"}')$$,
    'FQ210', NULL,
    'patch_queue refuses to change the id'
);
SELECT throws_ok(
    $$SELECT fastqueue.patch_queue('qe-existing', '{"created_at": "2000-01-01T00:00:00Z"}')$$,
    'FQ210', NULL,
    'patch_queue refuses to change created_at'
);
SELECT throws_ok(
    $$SELECT fastqueue.patch_queue('qe-existing', '{"updated_at": "2000-01-01T00:00:00Z"}')$$,
    'FQ210', NULL,
    'patch_queue refuses to change updated_at'
);
SELECT throws_ok(
    $$
    SELECT fastqueue.patch_queue(
        'qe-existing', '{"ack_deadline_seconds": 60, "name": "x", "id": "y"}')
    $$,
    'FQ210', 'cannot change id, name',
    'patch_queue refuses a mix of known and unknown fields, naming the unknown ones'
);
SELECT throws_ok(
    $$SELECT fastqueue.patch_queue('qe-existing', '[]')$$,
    'FQ210', NULL,
    'patch_queue refuses changes that are a JSON array'
);
SELECT throws_ok(
    $$SELECT fastqueue.patch_queue('qe-existing', '"ack_deadline_seconds"')$$,
    'FQ210', NULL,
    'patch_queue refuses changes that are a JSON string'
);
SELECT throws_ok(
    $$SELECT fastqueue.patch_queue('qe-existing', 'null')$$,
    'FQ210', NULL,
    'patch_queue refuses changes that are JSON null'
);
SELECT throws_ok(
    $$SELECT fastqueue.patch_queue('qe-existing', NULL)$$,
    'FQ210', NULL,
    'patch_queue refuses NULL changes'
);

-- A patched value that does not fit the field's type raises 22P02.
SELECT throws_ok(
    $$SELECT fastqueue.patch_queue('qe-existing', '{"ack_deadline_seconds": "soon"}')$$,
    '22P02', NULL,
    'patch_queue refuses a word for the ack deadline'
);
SELECT throws_ok(
    $$SELECT fastqueue.patch_queue('qe-existing', '{"ack_deadline_seconds": 1.5}')$$,
    '22P02', NULL,
    'patch_queue refuses a fraction for the ack deadline'
);
SELECT throws_ok(
    $$SELECT fastqueue.patch_queue('qe-existing', '{"delivery_delay_seconds": true}')$$,
    '22P02', NULL,
    'patch_queue refuses a boolean for the delivery delay'
);
SELECT throws_ok(
    $$SELECT fastqueue.patch_queue('qe-target', '{"message_max_deliveries": [3]}')$$,
    '22P02', NULL,
    'patch_queue refuses an array for max deliveries'
);

-- Creating a queue that exists raises FQ102, whatever definition it is given.
SELECT throws_ok(
    $$SELECT fastqueue.create_queue('qe-existing')$$,
    'FQ102', NULL,
    'create_queue refuses an id that is already taken'
);
SELECT throws_ok(
    $$
    SELECT fastqueue.create_queue(
        'qe-existing', p_topic_id => 'qe-topic', p_ack_deadline_seconds => 99)
    $$,
    'FQ102', NULL,
    'create_queue refuses an id that is already taken, even with another definition'
);

-- Reading, replacing, patching or deleting a queue that does not exist raises FQ002.
SELECT throws_ok(
    $$SELECT fastqueue.get_queue('qe-missing')$$,
    'FQ002', NULL,
    'get_queue of an unknown queue raises not found'
);
SELECT throws_ok(
    $$SELECT fastqueue.get_queue(NULL)$$,
    'FQ002', NULL,
    'get_queue of a NULL id raises not found'
);
SELECT throws_ok(
    $$SELECT fastqueue.update_queue('qe-missing')$$,
    'FQ002', NULL,
    'update_queue of an unknown queue raises not found'
);
SELECT throws_ok(
    $$SELECT fastqueue.patch_queue('qe-missing', '{"ack_deadline_seconds": 60}')$$,
    'FQ002', NULL,
    'patch_queue of an unknown queue raises not found'
);
SELECT throws_ok(
    $$SELECT fastqueue.patch_queue('qe-missing', '{}')$$,
    'FQ002', NULL,
    'patch_queue with no changes of an unknown queue raises not found'
);
SELECT throws_ok(
    $$SELECT fastqueue.delete_queue('qe-missing')$$,
    'FQ002', NULL,
    'delete_queue of an unknown queue raises not found'
);
SELECT throws_ok(
    $$SELECT fastqueue.delete_queue(NULL)$$,
    'FQ002', NULL,
    'delete_queue of a NULL id raises not found'
);

-- None of the refused calls above changed a queue that existed before it.
SELECT results_eq(
    $$
    SELECT q.*
    FROM fastqueue.queue AS q
    JOIN queue_before AS b USING (id)
    WHERE b.id <> 'qe-trio-c'
    ORDER BY q.id
    $$,
    $$SELECT * FROM queue_before WHERE id <> 'qe-trio-c' ORDER BY id$$,
    'a refused create, update or patch leaves every queue as it was'
);

-- Deleting a queue twice raises FQ002 the second time, and then it cannot be read.
DO $$
BEGIN
    PERFORM fastqueue.delete_queue('qe-existing');
END;
$$;
SELECT throws_ok(
    $$SELECT fastqueue.delete_queue('qe-existing')$$,
    'FQ002', NULL,
    'delete_queue of a queue deleted already raises not found'
);
SELECT throws_ok(
    $$SELECT fastqueue.get_queue('qe-existing')$$,
    'FQ002', NULL,
    'get_queue of a deleted queue raises not found'
);

-- list_queues takes an offset and a limit within the list_offset and list_limit
-- settings, and raises FQ202 outside them. list_offset ends at the largest integer,
-- so only its lower edge can be crossed.
SELECT throws_ok(
    $$
    SELECT fastqueue.list_queues(min_value - 1, 10)
    FROM fastqueue.setting WHERE name = 'list_offset'
    $$,
    'FQ202', NULL,
    'list_queues refuses an offset below list_offset'
);
SELECT lives_ok(
    $$
    SELECT fastqueue.list_queues(min_value, 10)
    FROM fastqueue.setting WHERE name = 'list_offset'
    $$,
    'list_queues accepts the smallest offset of list_offset'
);
SELECT lives_ok(
    $$
    SELECT fastqueue.list_queues(max_value, 10)
    FROM fastqueue.setting WHERE name = 'list_offset'
    $$,
    'list_queues accepts the largest offset of list_offset'
);
SELECT throws_ok(
    $$
    SELECT fastqueue.list_queues(0, min_value - 1)
    FROM fastqueue.setting WHERE name = 'list_limit'
    $$,
    'FQ202', NULL,
    'list_queues refuses a limit below list_limit'
);
SELECT lives_ok(
    $$
    SELECT fastqueue.list_queues(0, min_value)
    FROM fastqueue.setting WHERE name = 'list_limit'
    $$,
    'list_queues accepts the smallest limit of list_limit'
);
SELECT lives_ok(
    $$
    SELECT fastqueue.list_queues(0, max_value)
    FROM fastqueue.setting WHERE name = 'list_limit'
    $$,
    'list_queues accepts the largest limit of list_limit'
);
SELECT throws_ok(
    $$
    SELECT fastqueue.list_queues(0, max_value + 1)
    FROM fastqueue.setting WHERE name = 'list_limit'
    $$,
    'FQ202', NULL,
    'list_queues refuses a limit above list_limit'
);
SELECT throws_ok(
    $$SELECT fastqueue.list_queues(NULL, 10)$$,
    'FQ202', NULL,
    'list_queues refuses a NULL offset'
);
SELECT throws_ok(
    $$SELECT fastqueue.list_queues(0, NULL)$$,
    'FQ202', NULL,
    'list_queues refuses a NULL limit'
);

SELECT * FROM finish();
ROLLBACK;
