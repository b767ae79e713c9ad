-- pgTAP: the shape of the topic and queue API: tables, function signatures, volatility,
-- SECURITY DEFINER and who may execute what.

BEGIN;

-- pgTAP lives in public. Leaving fastqueue off the path makes regtype print
-- fastqueue.queue in full, whatever the connecting role is called.
SET LOCAL search_path = public, pg_catalog;

SELECT plan(80);

-- The schema and its tables exist, with the columns that the returned types expose.
SELECT has_schema('fastqueue', 'schema fastqueue exists');
SELECT has_table('fastqueue', 'setting', 'table fastqueue.setting exists');
SELECT has_table('fastqueue', 'topic', 'table fastqueue.topic exists');
SELECT has_table('fastqueue', 'queue', 'table fastqueue.queue exists');
SELECT columns_are(
    'fastqueue', 'setting',
    ARRAY['name', 'min_value', 'max_value', 'description'],
    'fastqueue.setting holds a name, its bounds and a description'
);
SELECT columns_are(
    'fastqueue', 'topic',
    ARRAY['id', 'created_at'],
    'fastqueue.topic holds an id and a creation time'
);
SELECT columns_are(
    'fastqueue', 'queue',
    ARRAY[
        'id', 'topic_id', 'dead_queue_id', 'ack_deadline_seconds',
        'message_retention_seconds', 'message_filters', 'message_max_deliveries',
        'delivery_delay_seconds', 'created_at', 'updated_at', 'retry_min_backoff_seconds',
        'retry_max_backoff_seconds'
    ],
    'fastqueue.queue holds the whole queue definition and its timestamps'
);

-- create_topic(text): a volatile SECURITY DEFINER function returning the topic.
SELECT has_function(
    'fastqueue', 'create_topic', ARRAY['text'], 'create_topic(text) exists'
);
SELECT function_returns(
    'fastqueue', 'create_topic', ARRAY['text'], 'fastqueue.topic',
    'create_topic returns a fastqueue.topic'
);
SELECT volatility_is(
    'fastqueue', 'create_topic', ARRAY['text'], 'volatile', 'create_topic is volatile'
);
SELECT is_definer(
    'fastqueue', 'create_topic', ARRAY['text'], 'create_topic is SECURITY DEFINER'
);

-- get_topic(text): a stable SECURITY DEFINER function returning the topic.
SELECT has_function('fastqueue', 'get_topic', ARRAY['text'], 'get_topic(text) exists');
SELECT function_returns(
    'fastqueue', 'get_topic', ARRAY['text'], 'fastqueue.topic',
    'get_topic returns a fastqueue.topic'
);
SELECT volatility_is(
    'fastqueue', 'get_topic', ARRAY['text'], 'stable', 'get_topic is stable'
);
SELECT is_definer(
    'fastqueue', 'get_topic', ARRAY['text'], 'get_topic is SECURITY DEFINER'
);

-- list_topics(integer, integer): a stable SECURITY DEFINER function returning a set.
SELECT has_function(
    'fastqueue', 'list_topics', ARRAY['integer', 'integer'],
    'list_topics(integer, integer) exists'
);
SELECT function_returns(
    'fastqueue', 'list_topics', ARRAY['integer', 'integer'], 'setof fastqueue.topic',
    'list_topics returns a set of fastqueue.topic'
);
SELECT volatility_is(
    'fastqueue', 'list_topics', ARRAY['integer', 'integer'], 'stable',
    'list_topics is stable'
);
SELECT is_definer(
    'fastqueue', 'list_topics', ARRAY['integer', 'integer'],
    'list_topics is SECURITY DEFINER'
);

-- delete_topic(text): a volatile SECURITY DEFINER function returning nothing.
SELECT has_function(
    'fastqueue', 'delete_topic', ARRAY['text'], 'delete_topic(text) exists'
);
SELECT function_returns(
    'fastqueue', 'delete_topic', ARRAY['text'], 'void', 'delete_topic returns void'
);
SELECT volatility_is(
    'fastqueue', 'delete_topic', ARRAY['text'], 'volatile', 'delete_topic is volatile'
);
SELECT is_definer(
    'fastqueue', 'delete_topic', ARRAY['text'], 'delete_topic is SECURITY DEFINER'
);

-- create_queue(10 arguments): a volatile SECURITY DEFINER function returning the queue.
SELECT has_function(
    'fastqueue', 'create_queue',
    ARRAY['text', 'text', 'text', 'integer', 'integer', 'jsonb', 'integer', 'integer',
        'integer', 'integer'],
    'create_queue(10 arguments) exists'
);
SELECT function_returns(
    'fastqueue', 'create_queue',
    ARRAY['text', 'text', 'text', 'integer', 'integer', 'jsonb', 'integer', 'integer',
        'integer', 'integer'],
    'fastqueue.queue',
    'create_queue returns a fastqueue.queue'
);
SELECT volatility_is(
    'fastqueue', 'create_queue',
    ARRAY['text', 'text', 'text', 'integer', 'integer', 'jsonb', 'integer', 'integer',
        'integer', 'integer'],
    'volatile',
    'create_queue is volatile'
);
SELECT is_definer(
    'fastqueue', 'create_queue',
    ARRAY['text', 'text', 'text', 'integer', 'integer', 'jsonb', 'integer', 'integer',
        'integer', 'integer'],
    'create_queue is SECURITY DEFINER'
);

-- get_queue(text): a stable SECURITY DEFINER function returning the queue.
SELECT has_function('fastqueue', 'get_queue', ARRAY['text'], 'get_queue(text) exists');
SELECT function_returns(
    'fastqueue', 'get_queue', ARRAY['text'], 'fastqueue.queue',
    'get_queue returns a fastqueue.queue'
);
SELECT volatility_is(
    'fastqueue', 'get_queue', ARRAY['text'], 'stable', 'get_queue is stable'
);
SELECT is_definer(
    'fastqueue', 'get_queue', ARRAY['text'], 'get_queue is SECURITY DEFINER'
);

-- list_queues(integer, integer): a stable SECURITY DEFINER function returning a set.
SELECT has_function(
    'fastqueue', 'list_queues', ARRAY['integer', 'integer'],
    'list_queues(integer, integer) exists'
);
SELECT function_returns(
    'fastqueue', 'list_queues', ARRAY['integer', 'integer'], 'setof fastqueue.queue',
    'list_queues returns a set of fastqueue.queue'
);
SELECT volatility_is(
    'fastqueue', 'list_queues', ARRAY['integer', 'integer'], 'stable',
    'list_queues is stable'
);
SELECT is_definer(
    'fastqueue', 'list_queues', ARRAY['integer', 'integer'],
    'list_queues is SECURITY DEFINER'
);

-- update_queue(10 arguments): a volatile SECURITY DEFINER function returning the queue.
SELECT has_function(
    'fastqueue', 'update_queue',
    ARRAY['text', 'text', 'text', 'integer', 'integer', 'jsonb', 'integer', 'integer',
        'integer', 'integer'],
    'update_queue(10 arguments) exists'
);
SELECT function_returns(
    'fastqueue', 'update_queue',
    ARRAY['text', 'text', 'text', 'integer', 'integer', 'jsonb', 'integer', 'integer',
        'integer', 'integer'],
    'fastqueue.queue',
    'update_queue returns a fastqueue.queue'
);
SELECT volatility_is(
    'fastqueue', 'update_queue',
    ARRAY['text', 'text', 'text', 'integer', 'integer', 'jsonb', 'integer', 'integer',
        'integer', 'integer'],
    'volatile',
    'update_queue is volatile'
);
SELECT is_definer(
    'fastqueue', 'update_queue',
    ARRAY['text', 'text', 'text', 'integer', 'integer', 'jsonb', 'integer', 'integer',
        'integer', 'integer'],
    'update_queue is SECURITY DEFINER'
);

-- patch_queue(text, jsonb): a volatile SECURITY DEFINER function returning the queue.
SELECT has_function(
    'fastqueue', 'patch_queue', ARRAY['text', 'jsonb'], 'patch_queue(text, jsonb) exists'
);
SELECT function_returns(
    'fastqueue', 'patch_queue', ARRAY['text', 'jsonb'], 'fastqueue.queue',
    'patch_queue returns a fastqueue.queue'
);
SELECT volatility_is(
    'fastqueue', 'patch_queue', ARRAY['text', 'jsonb'], 'volatile',
    'patch_queue is volatile'
);
SELECT is_definer(
    'fastqueue', 'patch_queue', ARRAY['text', 'jsonb'], 'patch_queue is SECURITY DEFINER'
);

-- delete_queue(text): a volatile SECURITY DEFINER function returning nothing.
SELECT has_function(
    'fastqueue', 'delete_queue', ARRAY['text'], 'delete_queue(text) exists'
);
SELECT function_returns(
    'fastqueue', 'delete_queue', ARRAY['text'], 'void', 'delete_queue returns void'
);
SELECT volatility_is(
    'fastqueue', 'delete_queue', ARRAY['text'], 'volatile', 'delete_queue is volatile'
);
SELECT is_definer(
    'fastqueue', 'delete_queue', ARRAY['text'], 'delete_queue is SECURITY DEFINER'
);

-- Callers may name arguments and omit those with defaults: names and defaults are
-- part of the contract.
SELECT is(
    pg_get_function_arguments('fastqueue.create_topic(text)'::regprocedure),
    'p_topic_id text',
    'create_topic takes p_topic_id'
);
SELECT is(
    pg_get_function_arguments('fastqueue.get_topic(text)'::regprocedure),
    'p_topic_id text',
    'get_topic takes p_topic_id'
);
SELECT is(
    pg_get_function_arguments('fastqueue.list_topics(integer, integer)'::regprocedure),
    'p_offset integer DEFAULT 0, p_limit integer DEFAULT 10',
    'list_topics takes p_offset defaulting to 0 and p_limit defaulting to 10'
);
SELECT is(
    pg_get_function_arguments('fastqueue.delete_topic(text)'::regprocedure),
    'p_topic_id text',
    'delete_topic takes p_topic_id'
);
SELECT is(
    pg_get_function_arguments(
        ('fastqueue.create_queue(text, text, text, integer, integer, jsonb, integer, integer, '
        || 'integer, integer)')::regprocedure),
    'p_queue_id text, p_topic_id text DEFAULT NULL::text, '
        || 'p_dead_queue_id text DEFAULT NULL::text, '
        || 'p_ack_deadline_seconds integer DEFAULT 30, '
        || 'p_message_retention_seconds integer DEFAULT 1209600, '
        || 'p_message_filters jsonb DEFAULT NULL::jsonb, '
        || 'p_message_max_deliveries integer DEFAULT NULL::integer, '
        || 'p_delivery_delay_seconds integer DEFAULT NULL::integer, '
        || 'p_retry_min_backoff_seconds integer DEFAULT NULL::integer, '
        || 'p_retry_max_backoff_seconds integer DEFAULT NULL::integer',
    'create_queue takes the queue fields by name, every one but the id optional'
);
SELECT is(
    pg_get_function_arguments('fastqueue.get_queue(text)'::regprocedure),
    'p_queue_id text',
    'get_queue takes p_queue_id'
);
SELECT is(
    pg_get_function_arguments('fastqueue.list_queues(integer, integer)'::regprocedure),
    'p_offset integer DEFAULT 0, p_limit integer DEFAULT 10',
    'list_queues takes p_offset defaulting to 0 and p_limit defaulting to 10'
);
SELECT is(
    pg_get_function_arguments(
        ('fastqueue.update_queue(text, text, text, integer, integer, jsonb, integer, integer, '
        || 'integer, integer)')::regprocedure),
    pg_get_function_arguments(
        ('fastqueue.create_queue(text, text, text, integer, integer, jsonb, integer, integer, '
        || 'integer, integer)')::regprocedure),
    'update_queue takes the same arguments and defaults as create_queue'
);
SELECT is(
    pg_get_function_arguments('fastqueue.patch_queue(text, jsonb)'::regprocedure),
    'p_queue_id text, p_changes jsonb',
    'patch_queue takes p_queue_id and p_changes'
);
SELECT is(
    pg_get_function_arguments('fastqueue.delete_queue(text)'::regprocedure),
    'p_queue_id text',
    'delete_queue takes p_queue_id'
);

-- Private helpers exist with honest volatility and run with their caller's rights:
-- only the public functions are SECURITY DEFINER.
SELECT has_function(
    'fastqueue', '_check_id', ARRAY['text', 'text'], '_check_id(text, text) exists'
);
SELECT function_returns(
    'fastqueue', '_check_id', ARRAY['text', 'text'], 'void', '_check_id returns void'
);
SELECT volatility_is(
    'fastqueue', '_check_id', ARRAY['text', 'text'], 'immutable', '_check_id is immutable'
);
SELECT isnt_definer(
    'fastqueue', '_check_id', ARRAY['text', 'text'], '_check_id is not SECURITY DEFINER'
);
SELECT has_function(
    'fastqueue', '_check_bound', ARRAY['text', 'integer'],
    '_check_bound(text, integer) exists'
);
SELECT function_returns(
    'fastqueue', '_check_bound', ARRAY['text', 'integer'], 'void',
    '_check_bound returns void'
);
SELECT volatility_is(
    'fastqueue', '_check_bound', ARRAY['text', 'integer'], 'stable',
    '_check_bound is stable'
);
SELECT isnt_definer(
    'fastqueue', '_check_bound', ARRAY['text', 'integer'],
    '_check_bound is not SECURITY DEFINER'
);
SELECT has_function(
    'fastqueue', '_check_queue', ARRAY['fastqueue.queue'],
    '_check_queue(fastqueue.queue) exists'
);
SELECT function_returns(
    'fastqueue', '_check_queue', ARRAY['fastqueue.queue'], 'void',
    '_check_queue returns void'
);
SELECT volatility_is(
    'fastqueue', '_check_queue', ARRAY['fastqueue.queue'], 'volatile',
    '_check_queue is volatile (it row-locks the dead-queue chain)'
);
SELECT isnt_definer(
    'fastqueue', '_check_queue', ARRAY['fastqueue.queue'],
    '_check_queue is not SECURITY DEFINER'
);
SELECT has_function(
    'fastqueue', '_lock_queue_changes', ARRAY[]::name[], '_lock_queue_changes() exists'
);
SELECT function_returns(
    'fastqueue', '_lock_queue_changes', ARRAY[]::name[], 'void',
    '_lock_queue_changes returns void'
);
SELECT volatility_is(
    'fastqueue', '_lock_queue_changes', ARRAY[]::name[], 'volatile',
    '_lock_queue_changes is volatile'
);
SELECT isnt_definer(
    'fastqueue', '_lock_queue_changes', ARRAY[]::name[],
    '_lock_queue_changes is not SECURITY DEFINER'
);
SELECT has_function(
    'fastqueue', '_replace_queue', ARRAY['fastqueue.queue'],
    '_replace_queue(fastqueue.queue) exists'
);
SELECT function_returns(
    'fastqueue', '_replace_queue', ARRAY['fastqueue.queue'], 'fastqueue.queue',
    '_replace_queue returns a fastqueue.queue'
);
SELECT volatility_is(
    'fastqueue', '_replace_queue', ARRAY['fastqueue.queue'], 'volatile',
    '_replace_queue is volatile'
);
SELECT isnt_definer(
    'fastqueue', '_replace_queue', ARRAY['fastqueue.queue'],
    '_replace_queue is not SECURITY DEFINER'
);

-- PUBLIC may execute no fastqueue function: a NULL proacl means the built-in default,
-- which grants EXECUTE to PUBLIC, so it counts as a grant.
SELECT is_empty(
    $$
    SELECT p.oid::regprocedure::text
    FROM pg_catalog.pg_proc AS p
    CROSS JOIN LATERAL pg_catalog.aclexplode(
        coalesce(p.proacl, pg_catalog.acldefault('f', p.proowner))) AS a
    WHERE p.pronamespace = 'fastqueue'::regnamespace
      AND a.grantee = 0
      AND a.privilege_type = 'EXECUTE'
    $$,
    'PUBLIC cannot execute any fastqueue function'
);

-- PUBLIC has no privilege on the tables: callers go through the functions.
SELECT is_empty(
    $$
    SELECT c.oid::regclass::text, a.privilege_type
    FROM pg_catalog.pg_class AS c
    CROSS JOIN LATERAL pg_catalog.aclexplode(
        coalesce(c.relacl, pg_catalog.acldefault('r', c.relowner))) AS a
    WHERE c.relnamespace = 'fastqueue'::regnamespace
      AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
      AND a.grantee = 0
    $$,
    'PUBLIC has no privilege on any fastqueue table'
);

-- Every SECURITY DEFINER function pins its search_path, starting with pg_catalog, so a
-- caller cannot slip its own objects in front of the ones the function means.
SELECT is_empty(
    $$
    SELECT p.oid::regprocedure::text
    FROM pg_catalog.pg_proc AS p
    WHERE p.pronamespace = 'fastqueue'::regnamespace
      AND p.prosecdef
      AND NOT coalesce(
          p.proconfig @> ARRAY['search_path=pg_catalog, fastqueue, pg_temp'], false)
    $$,
    'every fastqueue SECURITY DEFINER function sets search_path = pg_catalog, fastqueue, '
        || 'pg_temp'
);

SELECT * FROM finish();
ROLLBACK;
