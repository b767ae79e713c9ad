"""Batch publish against single publishes, over HTTP, per message.

Starts `fastqueue server` (one uvicorn worker) on a free port of 127.0.0.1
against the bench cluster and, for a fixed number of rounds, publishes 1,000
messages to a topic with one queue twice: as 1,000 POST /topics/{id}/messages
requests one after the other on one keep-alive connection, and as one POST
/topics/{id}/messages/batch request. The figure is the time per message of
each; the ratio of the medians is the speed-up of a batch. Every message
published is counted in the database afterwards, so a figure never hides a
publish that did not happen.

usage: python bench/batch_bench.py [--rounds N]  (bench/run.py --only batch
starts the bench cluster first; on its own, this file expects it running)
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import sys
import time

from _common import ApiServer, Result, psql, report

MESSAGES = 1000
TOPIC = "bench-batch"
# The same message in both ways, as http_bench publishes it.
DATA = {"event_name": "created", "n": 1}
ATTRIBUTES = {"kind": "bench"}
HEADERS = {"Content-Type": "application/json"}

# psql variable :topic names the topic and its queue.
SETUP = """
SET client_min_messages = warning;
SELECT fastqueue.delete_queue(id) FROM fastqueue.queue WHERE id = :'topic';
SELECT fastqueue.delete_topic(id) FROM fastqueue.topic WHERE id = :'topic';
SELECT FROM fastqueue.create_topic(:'topic');
SELECT FROM fastqueue.create_queue(:'topic', p_topic_id => :'topic');
"""


def _post(connection: http.client.HTTPConnection, path: str, body: bytes) -> int:
    connection.request("POST", path, body=body, headers=HEADERS)
    response = connection.getresponse()
    response.read()
    return response.status


def _singles(connection: http.client.HTTPConnection) -> tuple[float, int]:
    """Seconds for MESSAGES single publishes, and how many failed."""
    path = f"/topics/{TOPIC}/messages"
    bodies = [
        json.dumps({"data": {**DATA, "i": i}, "attributes": ATTRIBUTES}).encode()
        for i in range(MESSAGES)
    ]
    started = time.perf_counter()
    failed = sum(_post(connection, path, body) != 201 for body in bodies)
    return time.perf_counter() - started, failed


def _batch(connection: http.client.HTTPConnection) -> tuple[float, int]:
    """Seconds for one batch publish of MESSAGES, and how many failed."""
    path = f"/topics/{TOPIC}/messages/batch"
    body = json.dumps(
        {
            "messages": [
                {"data": {**DATA, "i": i}, "attributes": ATTRIBUTES}
                for i in range(MESSAGES)
            ]
        }
    ).encode()
    started = time.perf_counter()
    failed = MESSAGES if _post(connection, path, body) != 201 else 0
    return time.perf_counter() - started, failed


def _stored() -> int:
    return int(
        psql(
            "SELECT count(*) FROM fastqueue.message WHERE queue_id = :'queue_id'",
            queue_id=TOPIC,
        )
    )


def _result(name: str, seconds: list[float], failed: int) -> Result:
    per_message_ms = [1000 * s / MESSAGES for s in seconds]
    median = statistics.median(per_message_ms)
    return Result(
        scenario=name,
        clients=1,
        seconds=round(sum(seconds), 3),
        per_second=1000 / median,
        unit="messages",
        # Per message, not per request: the figures compare directly.
        p50_ms=median,
        p99_ms=max(per_message_ms),
        errors=failed,
        extra={
            "rounds": len(seconds),
            "messages_per_round": MESSAGES,
            "per_message_ms_by_round": [round(ms, 4) for ms in per_message_ms],
            "latency": "per message: median and worst round",
        },
    )


def run(rounds: int) -> list[Result]:
    """Both ways, `rounds` times each after one warm-up round; two Results."""
    psql(SETUP, topic=TOPIC)
    server = ApiServer(workers=1)
    singles: list[float] = []
    batches: list[float] = []
    failed = {"single": 0, "batch": 0}
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        try:
            _singles(connection)  # warm-up: connections, plans, caches
            _batch(connection)
            psql("SELECT fastqueue.purge_queue(:'topic')", topic=TOPIC)
            for _ in range(rounds):
                seconds, errors = _singles(connection)
                singles.append(seconds)
                failed["single"] += errors
                seconds, errors = _batch(connection)
                batches.append(seconds)
                failed["batch"] += errors
        finally:
            connection.close()
    finally:
        server.stop()
    expected = 2 * rounds * MESSAGES - failed["single"] - failed["batch"]
    stored = _stored()
    if stored != expected:
        raise RuntimeError(f"expected {expected} messages stored, found {stored}")
    return [
        _result(f"{MESSAGES:,} single publishes, 1 queue", singles, failed["single"]),
        _result(f"1 batch publish of {MESSAGES:,}, 1 queue", batches, failed["batch"]),
    ]


def ratios(results: list[Result]) -> dict[str, float]:
    """How many times faster a batch publishes one message than single requests."""
    single, batch = (r.p50_ms for r in results)
    if single is None or batch is None:
        return {}
    return {"batch speed-up per message (median)": single / batch}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10, help="rounds of each")
    args = parser.parse_args()
    results = run(args.rounds)
    report("batch publish (HTTP, per message)", results)
    for name, value in ratios(results).items():
        print(f"ratio {name}: {value:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
