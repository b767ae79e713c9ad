"""HTTP-level throughput and latency: the API server under a load generator.

Starts `fastqueue server` (one uvicorn worker, then two) on a free port of
127.0.0.1 against the bench cluster and runs, for a fixed time each, with 16
concurrent clients unless the scenario says otherwise:

- publish to a topic with one queue, from aiohttp and from wrk (Lua body);
- publish to a topic with 10 queues, 5 of which filter the message out;
- consume: 8 consumers, each leasing 10 and acking each message, from a
  pre-filled queue;
- publish-to-receive latency: one publisher at a steady rate, 8 consumers
  polling; the latency is the receive time minus the publish request's start;
- with wrk, `GET /health` on the API, then the wrk publish and `GET /health` on
  the bare ASGI app of bench/asgi_floor.py (same uvicorn, pool and SQL call): the
  floor any Python layer on this machine would stand on, and what Litestar and
  the API's checks add to it.

Beside each figure: the CPU used by the load generator, the API and PostgreSQL
(percent of one core), duplicates (a message delivered again before its ack
deadline) and losses (published but neither delivered nor still waiting).
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import uvloop
from _common import (
    REPO,
    ApiServer,
    Result,
    children_cpu_seconds,
    fill_queue,
    machine_busy_seconds,
    own_cpu_seconds,
    percentile,
    postmaster_pid,
    psql,
    tree_cpu_seconds,
)
from _load import (
    ClosedLoopPublisher,
    Publisher,
    Requests,
    consumers,
    failures_text,
    publish_body,
    session,
)

CLIENTS = 16
CONSUMERS = 8
LATENCY_RATE = 200.0  # messages a second: modest, well below saturation
DRAIN_SECONDS = 5.0
WRK_SCRIPT = REPO / "bench" / "wrk" / "publish.lua"
BODY = publish_body({"event_name": "created", "n": 1}, {"kind": "bench"})

SETUP = """
SET client_min_messages = warning;
SELECT fastqueue.delete_queue(id) FROM fastqueue.queue WHERE id LIKE 'bench-http-%';
SELECT fastqueue.delete_topic(id) FROM fastqueue.topic WHERE id LIKE 'bench-http-%';
SELECT FROM fastqueue.create_topic('bench-http-one');
SELECT FROM fastqueue.create_queue('bench-http-one', p_topic_id => 'bench-http-one');
SELECT FROM fastqueue.create_topic('bench-http-fanout');
SELECT count(*)
FROM generate_series(1, 10) AS i,
     LATERAL fastqueue.create_queue(format('bench-http-fanout-%s', i),
         p_topic_id => 'bench-http-fanout',
         p_message_filters => CASE WHEN i > 5 THEN '{"kind": ["other"]}'::jsonb END);
SELECT FROM fastqueue.create_queue('bench-http-consume');
SELECT FROM fastqueue.create_topic('bench-http-latency');
SELECT FROM fastqueue.create_queue('bench-http-latency',
    p_topic_id => 'bench-http-latency');
"""


def _count(queue_pattern: str) -> int:
    return int(
        psql(
            "SELECT count(*) FROM fastqueue.message WHERE queue_id LIKE :'pattern'",
            pattern=queue_pattern,
        )
    )


def _purge(queue_pattern: str) -> None:
    psql(
        "SELECT count(fastqueue.purge_queue(id)) FROM fastqueue.queue "
        "WHERE id LIKE :'pattern'",
        pattern=queue_pattern,
    )


@dataclass
class Cpu:
    """CPU used during a scenario, in percent of one core."""

    generator: float = 0.0
    api: float = 0.0
    postgres: float = 0.0
    # Everything else on the machine (other people's tests, the kernel...).
    other: float = 0.0

    def text(self) -> str:
        return (
            f"CPU % of one core: generator {self.generator:.0f}, "
            f"API {self.api:.0f}, PostgreSQL {self.postgres:.0f}, "
            f"other {self.other:.0f}"
        )


@contextmanager
def measure(server: ApiServer, postmaster: int) -> Iterator[Cpu]:
    """Fill a Cpu with what the generator (this process and the children it
    waited for, such as wrk), the API and PostgreSQL used inside the block."""
    cpu = Cpu()
    started = time.monotonic()
    generator = own_cpu_seconds() + children_cpu_seconds()
    api, postgres = server.cpu_seconds(), tree_cpu_seconds(postmaster)
    machine = machine_busy_seconds()
    yield cpu
    elapsed = time.monotonic() - started
    cpu.generator = (
        100 * (own_cpu_seconds() + children_cpu_seconds() - generator) / elapsed
    )
    cpu.api = 100 * (server.cpu_seconds() - api) / elapsed
    cpu.postgres = 100 * (tree_cpu_seconds(postmaster) - postgres) / elapsed
    busy = 100 * (machine_busy_seconds() - machine) / elapsed
    cpu.other = max(0.0, busy - cpu.generator - cpu.api - cpu.postgres)


class Bench:
    """The scenarios, run against one API server."""

    def __init__(
        self,
        server: ApiServer,
        postmaster: int,
        seconds: float,
        runner: asyncio.Runner,
    ) -> None:
        self.server = server
        self.postmaster = postmaster
        self.seconds = seconds
        self.runner = runner
        self.label = "1 worker" if server.workers == 1 else f"{server.workers} workers"

    def _run(self, name: str, scenario: Callable[[], Result]) -> Result:
        with measure(self.server, self.postmaster) as cpu:
            result = scenario()
        result.scenario = f"{name}, {self.label}"
        result.extra["cpu_percent_of_one_core"] = vars(cpu)
        line = f"  {result.scenario}: {result.per_second:,.0f} {result.unit}/s; "
        print(line + cpu.text(), flush=True)
        if result.extra.get("failures"):
            print(f"    failures: {result.extra['failures']}", flush=True)
        return result

    def publish(self, topic_id: str, copies: int) -> Result:
        _purge(f"{topic_id}%")
        name = "publish, 1 queue" if copies == 1 else "publish, 10 queues (5 match)"

        async def scenario() -> Result:
            requests = Requests()
            async with session(self.server.url) as client:
                started = time.monotonic()
                until = started + self.seconds
                publisher = ClosedLoopPublisher(topic_id, BODY, requests, copies)
                await asyncio.gather(
                    *(publisher.run(client, until) for _ in range(CLIENTS))
                )
                elapsed = time.monotonic() - started
            stored = _count(f"{topic_id}%")
            return Result(
                scenario=name,
                clients=CLIENTS,
                seconds=round(elapsed, 2),
                per_second=requests.ok / elapsed,
                unit="publishes",
                p50_ms=requests.p50(),
                p99_ms=requests.p99(),
                errors=requests.errors,
                extra={
                    "published": requests.ok,
                    "stored": stored,
                    "failures": failures_text(requests),
                },
            )

        return self._run(name + " (aiohttp)", lambda: self.runner.run(scenario()))

    def consume(self) -> Result:
        queue_id = "bench-http-consume"
        _purge(queue_id)
        filled = max(20_000, int(3_000 * self.seconds))
        fill_queue(queue_id, filled)

        async def scenario() -> Result:
            group, deliveries, leases, acks = consumers(queue_id, CONSUMERS, 0.01)
            async with session(self.server.url) as client:
                started = time.monotonic()
                until = started + self.seconds
                await asyncio.gather(*(c.run(client, until) for c in group))
                elapsed = time.monotonic() - started
            waiting = _count(queue_id)
            return Result(
                scenario="consume",
                clients=CONSUMERS,
                seconds=round(elapsed, 2),
                per_second=deliveries.acked / elapsed,
                unit="acked msgs",
                p50_ms=leases.p50(),
                p99_ms=leases.p99(),
                errors=leases.errors + acks.errors,
                duplicates=deliveries.duplicates,
                losses=filled - deliveries.acked - waiting,
                extra={
                    "latency": "of the lease request",
                    "ack_p50_ms": acks.p50(),
                    "ack_p99_ms": acks.p99(),
                    "filled": filled,
                    "acked": deliveries.acked,
                    "still_waiting": waiting,
                    "empty_leases": sum(c.empty_leases for c in group),
                    "failures": failures_text(leases, acks),
                },
            )

        name = "consume: lease 10 + 10 acks"
        return self._run(name, lambda: self.runner.run(scenario()))

    def latency(self) -> Result:
        queue_id = "bench-http-latency"
        _purge(queue_id)

        async def scenario() -> Result:
            idle = 0.05
            group, deliveries, leases, acks = consumers(queue_id, CONSUMERS, idle)
            publisher = Publisher("bench-http-latency", LATENCY_RATE)
            publishing = True

            def drained() -> bool:
                return not publishing and publisher.published.issubset(
                    deliveries.sequence_numbers
                )

            async with session(self.server.url) as client:
                started = time.monotonic()
                until = started + self.seconds
                consuming = [
                    asyncio.ensure_future(c.run(client, until + DRAIN_SECONDS, drained))
                    for c in group
                ]
                await publisher.run(client, until)
                publishing = False
                await asyncio.gather(*consuming)
            lost = publisher.published - deliveries.sequence_numbers
            return Result(
                scenario="publish-to-receive",
                clients=CONSUMERS,
                seconds=self.seconds,
                per_second=len(deliveries.sequence_numbers) / self.seconds,
                unit="received",
                p50_ms=percentile(deliveries.latencies_ms, 0.50),
                p99_ms=percentile(deliveries.latencies_ms, 0.99),
                errors=publisher.requests.errors + leases.errors + acks.errors,
                duplicates=deliveries.duplicates,
                losses=len(lost),
                extra={
                    "latency": "receive time - publish request start",
                    "publish_rate": LATENCY_RATE,
                    "consumer_idle_poll_seconds": idle,
                    "published": len(publisher.published),
                    "publish_p50_ms": publisher.requests.p50(),
                    "publish_p99_ms": publisher.requests.p99(),
                    "latency_max_ms": max(deliveries.latencies_ms, default=None),
                    "lease_p50_ms": leases.p50(),
                    "lease_p99_ms": leases.p99(),
                    "empty_leases": sum(c.empty_leases for c in group),
                    "lost_sequence_numbers": sorted(lost)[:20],
                    "failures": failures_text(publisher.requests, leases, acks),
                },
            )

        name = f"publish-to-receive at {LATENCY_RATE:.0f}/s, 1 publisher"
        return self._run(name, lambda: self.runner.run(scenario()))

    def wrk_publish(self, wrk: str) -> Result:
        topic_id = "bench-http-one"
        _purge(topic_id)
        url = f"{self.server.url}/topics/{topic_id}/messages"
        arguments = ["-s", str(WRK_SCRIPT), url]
        return self._wrk(wrk, "publish, 1 queue (wrk)", "publishes", arguments)

    def wrk_health(self, wrk: str) -> Result:
        """`GET /health`: one trivial query, the cost of a request with no work."""
        arguments = [f"{self.server.url}/health"]
        return self._wrk(wrk, "GET /health (wrk)", "requests", arguments)

    def _wrk(self, wrk: str, name: str, unit: str, arguments: list[str]) -> Result:
        command = [
            wrk, "-t", "2", "-c", str(CLIENTS), "-d", f"{self.seconds:.0f}s",
            "--latency", "--timeout", "10s", *arguments,
        ]  # fmt: skip

        def scenario() -> Result:
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            result = _parse_wrk(done.stdout + done.stderr, done.returncode)
            result.unit = unit
            return result

        return self._run(name, scenario)


_WRK_RATE = re.compile(r"^Requests/sec:\s+([0-9.]+)", re.M)
_WRK_TOTAL = re.compile(r"^\s+(\d+) requests in ([0-9.]+)(us|ms|s|m)", re.M)
_WRK_PERCENTILE = re.compile(r"^\s+(50|99)(?:\.000)?%\s+([0-9.]+)(us|ms|s|m)\s*$", re.M)
_WRK_NON_2XX = re.compile(r"Non-2xx or 3xx responses: (\d+)")
_WRK_SOCKET = re.compile(
    r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)"
)
_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _parse_wrk(out: str, returncode: int) -> Result:
    rate, total = _WRK_RATE.search(out), _WRK_TOTAL.search(out)
    if returncode != 0 or rate is None or total is None:
        raise RuntimeError(f"wrk failed:\n{out[-2000:]}")
    percentiles = {
        m.group(1): float(m.group(2)) * _MS[m.group(3)]
        for m in _WRK_PERCENTILE.finditer(out)
    }
    non_2xx = _WRK_NON_2XX.search(out)
    socket = _WRK_SOCKET.search(out)
    errors = int(non_2xx.group(1)) if non_2xx else 0
    errors += sum(int(n) for n in socket.groups()) if socket else 0
    requests = int(total.group(1))
    return Result(
        scenario="publish (wrk)",
        clients=CLIENTS,
        seconds=float(total.group(2)) * _MS[total.group(3)] / 1000,
        # Requests/sec counts failed requests too: report the successful ones.
        per_second=float(rate.group(1)) * (requests - errors) / max(requests, 1),
        unit="publishes",
        p50_ms=percentiles.get("50"),
        p99_ms=percentiles.get("99"),
        errors=errors,
        extra={
            "requests": requests,
            "wrk_threads": 2,
            "failures": "" if not errors else f"{errors} non-2xx or socket errors",
        },
    )


def find_wrk() -> str | None:
    """wrk's path; installs Debian's package first when running as root."""
    found = shutil.which("wrk")
    if found or os.geteuid() != 0 or not shutil.which("apt-get"):
        if not found:
            print("  wrk is not installed (as root: apt-get install wrk): skipped")
        return found
    print("  installing wrk with apt-get", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "wrk"]
    if subprocess.run(install, env=env, capture_output=True, check=False).returncode:
        update = ["apt-get", "update", "-qq"]
        subprocess.run(update, env=env, capture_output=True, check=False)
        subprocess.run(install, env=env, capture_output=True, check=False)
    found = shutil.which("wrk")
    if not found:
        print("  wrk could not be installed (apt-get install wrk): skipped")
    return found


def run(seconds: float) -> list[Result]:
    psql(SETUP)
    wrk = find_wrk()
    postmaster = postmaster_pid()
    results: list[Result] = []
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        for workers in (1, 2):
            server = ApiServer(workers=workers)
            try:
                bench = Bench(server, postmaster, seconds, runner)
                results.append(bench.publish("bench-http-one", copies=1))
                if workers == 1:
                    if wrk:
                        results.append(bench.wrk_publish(wrk))
                    results.append(bench.publish("bench-http-fanout", copies=5))
                results.append(bench.consume())
                if workers == 1:
                    results.append(bench.latency())
                    if wrk:
                        results.append(bench.wrk_health(wrk))
            finally:
                server.stop()
        if wrk:
            # The same publish and health check on a bare ASGI app: the floor.
            server = ApiServer(floor=True)
            try:
                bench = Bench(server, postmaster, seconds, runner)
                bench.label = "bare ASGI app"
                results.append(bench.wrk_publish(wrk))
                results.append(bench.wrk_health(wrk))
            finally:
                server.stop()
    return results


# The HTTP scenarios compared with the SQL insert reference at 8 clients.
RATIOS = {
    "http publish": "publish, 1 queue (aiohttp), 1 worker",
    "http publish (wrk)": "publish, 1 queue (wrk), 1 worker",
    "http publish (wrk), bare ASGI app": "publish, 1 queue (wrk), bare ASGI app",
    "http consume+ack": "consume: lease 10 + 10 acks, 1 worker",
    "http publish, 2 workers": "publish, 1 queue (aiohttp), 2 workers",
    "http consume+ack, 2 workers": "consume: lease 10 + 10 acks, 2 workers",
}


def ratios(http: list[Result], sql: list[Result]) -> dict[str, float]:
    """HTTP figures against the SQL insert reference at 8 clients of the same run."""
    reference = [
        r.per_second for r in sql if r.scenario == "insert reference" and r.clients == 8
    ]
    if not reference:
        return {}
    rate = {r.scenario: r.per_second for r in http}
    return {
        f"{name} / insert reference at 8": rate[scenario] / reference[0]
        for name, scenario in RATIOS.items()
        if scenario in rate
    }
