SELECT count(*)
FROM fastqueue.publish('bench-fanout', '{"event_name": "created", "n": 1}', '{"kind": "bench"}');
