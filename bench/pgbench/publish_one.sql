SELECT count(*)
FROM fastqueue.publish('bench-one', '{"event_name": "created", "n": 1}', '{"kind": "bench"}');
