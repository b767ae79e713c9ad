-- Verify fastqueue:role_admin on pg

BEGIN;

SELECT 1 / count(*) FROM pg_catalog.pg_roles WHERE rolname = 'fastqueue_admin';
SELECT 1 / pg_catalog.has_schema_privilege('fastqueue_admin', 'fastqueue', 'USAGE')::integer;
-- Division by zero unless each of its routines exists and the role may run it. By
-- name, not signature: later changes add arguments to some of them.
SELECT 1 / min(coalesce(
    pg_catalog.has_function_privilege('fastqueue_admin', p.oid, 'EXECUTE')::integer, 0))
FROM (VALUES
    ('create_topic'), ('get_topic'), ('list_topics'), ('delete_topic'),
    ('create_queue'), ('get_queue'), ('list_queues'), ('update_queue'),
    ('patch_queue'), ('delete_queue'), ('purge_queue'), ('redrive_queue'),
    ('cleanup'), ('record_cleanup_run'), ('get_metrics'), ('run_cleanup')
) AS r (name)
LEFT JOIN pg_catalog.pg_proc AS p
    ON p.proname = r.name AND p.pronamespace = 'fastqueue'::regnamespace;
SELECT 1 / pg_catalog.has_column_privilege(
    'fastqueue_admin', 'fastqueue.setting', 'max_value', 'UPDATE')::integer;

ROLLBACK;
