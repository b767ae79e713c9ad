-- Verify fastqueue:role_consumer on pg

BEGIN;

SELECT 1 / count(*) FROM pg_catalog.pg_roles WHERE rolname = 'fastqueue_consumer';
SELECT 1 / pg_catalog.has_schema_privilege('fastqueue_consumer', 'fastqueue', 'USAGE')::integer;
-- Division by zero unless the role may run each of its routines.
SELECT 1 / min(pg_catalog.has_function_privilege(
    'fastqueue_consumer', r.signature, 'EXECUTE')::integer)
FROM (VALUES
    ('fastqueue.lease(text, integer)'),
    ('fastqueue.ack(uuid, uuid)'),
    ('fastqueue.nack(uuid, uuid)'),
    ('fastqueue.get_queue_stats(text)'),
    ('fastqueue.ack_batch(jsonb)'),
    ('fastqueue.nack_batch(jsonb)'),
    ('fastqueue.set_deadline(uuid, integer, uuid)'),
    ('fastqueue.peek(text, integer)'),
    ('fastqueue.get_message(uuid)')
) AS r (signature);

ROLLBACK;
