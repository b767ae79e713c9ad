-- wrk script of bench/http_bench.py: every request publishes one small message.
-- usage: wrk -s bench/wrk/publish.lua http://127.0.0.1:PORT/topics/TOPIC/messages
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"data": {"event_name": "created", "n": 1}, '
    .. '"attributes": {"kind": "bench"}}'
