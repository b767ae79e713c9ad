-- Scratch objects for the SQL benchmarks, recreated on every run.
SET client_min_messages = warning;

-- The reference: a plain INSERT of a message-shaped row into a table with the
-- same columns and indexes as fastqueue.message, without any queue logic.
DROP TABLE IF EXISTS public.bench_insert_reference;
CREATE TABLE public.bench_insert_reference (LIKE fastqueue.message INCLUDING ALL);

SELECT fastqueue.delete_queue(id) FROM fastqueue.queue WHERE id LIKE 'bench-%';
SELECT fastqueue.delete_topic(id) FROM fastqueue.topic WHERE id LIKE 'bench-%';

SELECT FROM fastqueue.create_topic('bench-one');
SELECT FROM fastqueue.create_queue('bench-one', p_topic_id => 'bench-one');

-- Ten queues on one topic; five filter the benchmark's messages out.
SELECT FROM fastqueue.create_topic('bench-fanout');
SELECT count(*)
FROM generate_series(1, 10) AS i,
     LATERAL fastqueue.create_queue(format('bench-fanout-%s', i), p_topic_id => 'bench-fanout',
         p_message_filters => CASE WHEN i > 5 THEN '{"kind": ["other"]}'::jsonb END) AS q;

SELECT FROM fastqueue.create_queue('bench-consume');
