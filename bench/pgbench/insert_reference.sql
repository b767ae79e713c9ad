INSERT INTO public.bench_insert_reference
    (queue_id, data, attributes, scheduled_at, expired_at, created_at, updated_at)
VALUES ('bench-one', '{"event_name": "created", "n": 1}', '{"kind": "bench"}',
        now(), now() + interval '14 days', now(), now());
