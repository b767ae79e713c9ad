"""Lease and stats latency against the size of the backlog.

One client, one call at a time, each timed on its own: `SELECT * FROM
fastqueue.lease(q, 10)` over psycopg and `GET /queues/q/messages?limit=10` over
HTTP (one uvicorn worker), on a queue of 1,000 waiting messages alone in the
table, on a queue of 1,000,000 (100,000 in a quick run), and on the queue of
1,000 again beside the big one; then `fastqueue.get_queue_stats` at both sizes,
and on the big queue again once a tenth of it is delayed (100,000 of 1,000,000):
stats subtract the messages that are not visible now, which they read one by one.

Backlogs are filled by one INSERT with a distinct timestamp per row, as a real
backlog has. Each timed lease is followed by an untimed nack of what it took, so
that the backlog keeps its size: the messages go to the tail of their queue and
leave dead index entries at its head, as acked ones would. The big backlog
stays in the table afterwards: run.py runs this part last.
"""

from __future__ import annotations

import http.client
import json
import time
from collections.abc import Callable

import psycopg
from _common import DATABASE_URL, ApiServer, Result, fill_queue, percentile, psql

SMALL = 1_000
LEASE_CALLS = 200
WARM_UP_CALLS = 5
SMALL_QUEUE = "bench-backlog-small"
BIG_QUEUE = "bench-backlog-big"

SETUP = """
SET client_min_messages = warning;
SELECT fastqueue.delete_queue(id) FROM fastqueue.queue WHERE id LIKE 'bench-backlog-%';
SELECT FROM fastqueue.create_queue('bench-backlog-small');
SELECT FROM fastqueue.create_queue('bench-backlog-big');
"""

LEASE = "SELECT id FROM fastqueue.lease(%s, 10)"
NACK = "SELECT count(fastqueue.nack(m)) FROM unnest(%s::uuid[]) AS m"
STATS = "SELECT * FROM fastqueue.get_queue_stats(%s)"
SHOW_STATS = "SELECT to_json(s) FROM fastqueue.get_queue_stats(:'queue_id') AS s"


def timed(
    scenario: str,
    call: Callable[[], list[str]],
    calls: int,
    expect: int,
    after: Callable[[list[str]], object] = lambda ids: None,
) -> Result:
    """Time `calls` calls of `call`, after a few untimed ones.

    `call` returns the ids it got; `after` runs untimed on them after each call.
    A call that returns fewer than `expect` counts as an error.
    """
    for _ in range(WARM_UP_CALLS):
        after(call())
    latencies_ms: list[float] = []
    short = 0
    for _ in range(calls):
        started = time.perf_counter()
        ids = call()
        latencies_ms.append((time.perf_counter() - started) * 1000)
        short += len(ids) < expect
        after(ids)
    result = Result(
        scenario=scenario,
        clients=1,
        seconds=round(sum(latencies_ms) / 1000, 2),
        per_second=1000 * calls / sum(latencies_ms),
        unit="calls",
        p50_ms=percentile(latencies_ms, 0.50),
        p99_ms=percentile(latencies_ms, 0.99),
        errors=short,
        extra={
            "calls": calls,
            "errors_are": f"calls that returned fewer than {expect} rows",
            "max_ms": max(latencies_ms),
        },
    )
    print(f"  {scenario}: p50 {result.p50_ms:.2f} ms, p99 {result.p99_ms:.2f} ms")
    return result


class Backlog:
    """The timed calls, over one database connection and one HTTP connection."""

    def __init__(self, server: ApiServer) -> None:
        self.db = psycopg.connect(DATABASE_URL, autocommit=True)
        self.http = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)

    def close(self) -> None:
        self.db.close()
        self.http.close()

    def _nack(self, ids: list[str]) -> None:
        self.db.execute(NACK, (ids,))

    def sql_lease(self, queue_id: str, label: str) -> Result:
        def call() -> list[str]:
            return [str(row[0]) for row in self.db.execute(LEASE, (queue_id,))]

        name = f"lease 10, SQL, {label}"
        return timed(name, call, LEASE_CALLS, 10, self._nack)

    def http_lease(self, queue_id: str, label: str) -> Result:
        def call() -> list[str]:
            self.http.request("GET", f"/queues/{queue_id}/messages?limit=10")
            answer = self.http.getresponse()
            body = answer.read()
            if answer.status != 200:
                return []
            return [m["id"] for m in json.loads(body)["data"]]

        # A connection idle for longer than uvicorn's keep-alive (5 s), as during
        # a fill, has been closed by the server: start each series on a new one.
        self.http.close()
        name = f"lease 10, HTTP, {label}"
        return timed(name, call, LEASE_CALLS, 10, self._nack)

    def stats(self, queue_id: str, label: str, calls: int) -> Result:
        def call() -> list[str]:
            row = self.db.execute(STATS, (queue_id,)).fetchone()
            return [] if row is None else [str(row[0])]

        return timed(f"stats, SQL, {label}", call, calls, 1)


def _delay(queue_id: str, messages: int) -> None:
    """Delay the `messages` newest messages of a queue by ten minutes."""
    psql(
        """
        UPDATE fastqueue.message
        SET scheduled_at = clock_timestamp() + interval '10 minutes'
        WHERE id IN (
            SELECT id FROM fastqueue.message WHERE queue_id = :'queue_id'
            ORDER BY scheduled_at DESC, seq DESC LIMIT :messages
        );
        VACUUM ANALYZE fastqueue.message;
        """,
        queue_id=queue_id,
        messages=messages,
    )


def _sizes() -> str:
    return psql(
        "SELECT pg_size_pretty(pg_relation_size('fastqueue.message')) || ' table, '"
        " || pg_size_pretty(pg_indexes_size('fastqueue.message')) || ' indexes'"
    )


def run(big: int) -> list[Result]:
    """Every measurement, with a big queue of `big` messages."""
    psql(SETUP)
    fill_queue(SMALL_QUEUE, SMALL)
    server = ApiServer(workers=1)
    backlog = Backlog(server)
    small_alone = f"{SMALL:,} waiting, alone"
    beside = f"{SMALL:,} waiting, beside {big:,}"
    results: list[Result] = []
    try:
        results += [
            backlog.sql_lease(SMALL_QUEUE, small_alone),
            backlog.http_lease(SMALL_QUEUE, small_alone),
            backlog.stats(SMALL_QUEUE, small_alone, 100),
        ]
        started = time.monotonic()
        fill_queue(BIG_QUEUE, big)
        print(
            f"  filled {big:,} messages in {time.monotonic() - started:.0f} s "
            f"(with VACUUM ANALYZE): {_sizes()}",
            flush=True,
        )
        results += [
            backlog.sql_lease(BIG_QUEUE, f"{big:,} waiting"),
            backlog.http_lease(BIG_QUEUE, f"{big:,} waiting"),
            backlog.sql_lease(SMALL_QUEUE, beside),
            backlog.http_lease(SMALL_QUEUE, beside),
            backlog.stats(BIG_QUEUE, f"{big:,} waiting", 20),
            backlog.stats(SMALL_QUEUE, beside, 100),
        ]
        delayed = big // 10
        _delay(BIG_QUEUE, delayed)
        results.append(
            backlog.stats(BIG_QUEUE, f"{big:,} of which {delayed:,} delayed", 20)
        )
        print(f"  stats of the big queue then: {psql(SHOW_STATS, queue_id=BIG_QUEUE)}")
    finally:
        backlog.close()
        server.stop()
    return results
