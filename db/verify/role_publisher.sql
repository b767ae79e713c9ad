-- Verify fastqueue:role_publisher on pg

BEGIN;

SELECT 1 / count(*) FROM pg_catalog.pg_roles WHERE rolname = 'fastqueue_publisher';
SELECT 1 / pg_catalog.has_schema_privilege('fastqueue_publisher', 'fastqueue', 'USAGE')::integer;
-- Division by zero unless the role may run each of its routines.
SELECT 1 / min(pg_catalog.has_function_privilege(
    'fastqueue_publisher', r.signature, 'EXECUTE')::integer)
FROM (VALUES
    ('fastqueue.publish(text, jsonb, jsonb, integer, text, integer)'),
    ('fastqueue.publish_batch(text, jsonb, text, integer)')
) AS r (signature);

ROLLBACK;
