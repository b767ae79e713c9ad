-- Verify fastqueue:role_admin on pg

BEGIN;

SELECT 1 / count(*) FROM pg_catalog.pg_roles WHERE rolname = 'fastqueue_admin';
SELECT 1 / pg_catalog.has_schema_privilege('fastqueue_admin', 'fastqueue', 'USAGE')::integer;
-- Division by zero unless the role may run each of its routines.
SELECT 1 / min(pg_catalog.has_function_privilege(
    'fastqueue_admin', r.signature, 'EXECUTE')::integer)
FROM (VALUES
    ('fastqueue.create_topic(text)'),
    ('fastqueue.get_topic(text)'),
    ('fastqueue.list_topics(integer, integer)'),
    ('fastqueue.delete_topic(text)'),
    ('fastqueue.create_queue(text, text, text, integer, integer, jsonb, integer, integer)'),
    ('fastqueue.get_queue(text)'),
    ('fastqueue.list_queues(integer, integer)'),
    ('fastqueue.update_queue(text, text, text, integer, integer, jsonb, integer, integer)'),
    ('fastqueue.patch_queue(text, jsonb)'),
    ('fastqueue.delete_queue(text)'),
    ('fastqueue.purge_queue(text)'),
    ('fastqueue.redrive_queue(text, text, integer)'),
    ('fastqueue.cleanup(integer)'),
    ('fastqueue.record_cleanup_run(bigint, bigint)'),
    ('fastqueue.get_metrics()'),
    ('fastqueue.run_cleanup(integer, bigint, bigint)')
) AS r (signature);
SELECT 1 / pg_catalog.has_column_privilege(
    'fastqueue_admin', 'fastqueue.setting', 'max_value', 'UPDATE')::integer;

ROLLBACK;
