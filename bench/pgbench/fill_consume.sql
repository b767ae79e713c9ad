-- Fills bench-consume with :messages messages, each with its own timestamp.
SELECT fastqueue.purge_queue('bench-consume');
INSERT INTO fastqueue.message
    (queue_id, data, attributes, scheduled_at, expired_at, created_at, updated_at)
SELECT 'bench-consume', jsonb_build_object('event_name', 'created', 'n', i), '{"kind": "bench"}',
       now() - (:messages - i) * interval '1 ms', now() + interval '14 days',
       now() - (:messages - i) * interval '1 ms', now() - (:messages - i) * interval '1 ms'
FROM generate_series(1, :messages) AS i;
VACUUM ANALYZE fastqueue.message;
