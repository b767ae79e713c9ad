"""Long polling: wake-up latency, and what idle long polls cost.

Starts `fastqueue server` (one uvicorn worker, pool of 4) on a free port of
127.0.0.1 against the bench cluster, and measures:

- wake: one consumer long-polls an empty queue (wait_seconds=20, limit=1); once
  it is armed, a message is published; the latency is the long poll's answer
  minus the publish request's start. Then messages published with a 1 s delay:
  how late after its visibility time each one reaches a waiting consumer;
- publish throughput, 16 closed-loop publishers to a topic with one queue, with
  no long polls and with 50 idle long polls on an empty queue of another topic,
  twice each, interleaved;
- 100 long polls waiting on an empty queue: PostgreSQL's CPU (every process of
  the cluster, from /proc) over a fixed window, against the same window with
  none, and the latency of GET /queues/{id}/stats meanwhile, every 50 ms.

usage: python bench/long_poll_bench.py [--seconds N]  (bench/run.py --only
longpoll starts the bench cluster first; on its own, this file expects it
running)
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import statistics
import sys
import time
from collections.abc import AsyncIterator
from datetime import datetime

import aiohttp
import uvloop
from _common import (
    ApiServer,
    Result,
    percentile,
    postmaster_pid,
    psql,
    report,
    tree_cpu_seconds,
)
from _load import JSON, ClosedLoopPublisher, Requests, publish_body

WAKE_SAMPLES = 200
DELAY_SAMPLES = 5
PUBLISHERS = 16
IDLE_POLLS = 50
WAITING_POLLS = 100
POLL_TIMEOUT = aiohttp.ClientTimeout(total=60)
BODY = publish_body({"event_name": "created", "n": 1}, {"kind": "bench"})

# psql variable :name names a topic and its one queue.
SETUP = """
SET client_min_messages = warning;
SELECT fastqueue.delete_queue(id) FROM fastqueue.queue WHERE id = :'name';
SELECT fastqueue.delete_topic(id) FROM fastqueue.topic WHERE id = :'name';
SELECT FROM fastqueue.create_topic(:'name');
SELECT FROM fastqueue.create_queue(:'name', p_topic_id => :'name');
"""


def _topic(name: str) -> str:
    psql(SETUP, name=name)
    return name


def _armed(queue_id: str) -> bool:
    return (
        psql(
            "SELECT count(*) FROM fastqueue.queue_waiter"
            " WHERE queue_id = :'queue_id' AND armed",
            queue_id=queue_id,
        )
        != "0"
    )


@contextlib.asynccontextmanager
async def _session(url: str) -> AsyncIterator[aiohttp.ClientSession]:
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(
        base_url=url, connector=connector, timeout=POLL_TIMEOUT
    ) as client:
        yield client


async def _long_poll(
    client: aiohttp.ClientSession, queue_id: str, wait_seconds: int = 20
) -> list[dict[str, object]]:
    path = f"/queues/{queue_id}/messages?limit=1&wait_seconds={wait_seconds}"
    async with client.get(path) as answer:
        if answer.status != 200:
            raise RuntimeError(f"long poll answered {answer.status}")
        messages: list[dict[str, object]] = (await answer.json())["data"]
        return messages


async def _idle_polls(
    client: aiohttp.ClientSession, queue_id: str, count: int, until: float
) -> None:
    """`count` consumers long-polling a queue that stays empty, until `until`."""

    async def one() -> None:
        while time.monotonic() < until:
            await _long_poll(client, queue_id, wait_seconds=20)

    tasks = [asyncio.create_task(one()) for _ in range(count)]
    await asyncio.sleep(0.5)
    while not _armed(queue_id):
        await asyncio.sleep(0.1)
    await asyncio.gather(*tasks)


# --- wake-up latency ----------------------------------------------------------


async def _wake(url: str) -> list[Result]:
    topic = _topic("bench-poll-wake")
    latencies: list[float] = []
    lateness: list[float] = []
    async with _session(url) as client:
        for _ in range(WAKE_SAMPLES):
            poll = asyncio.create_task(_long_poll(client, topic))
            while not _armed(topic):
                await asyncio.sleep(0.005)
            started = time.perf_counter()
            async with client.post(
                f"/topics/{topic}/messages", data=BODY, headers=JSON
            ) as answer:
                if answer.status != 201:
                    raise RuntimeError(f"publish answered {answer.status}")
            (message,) = await poll
            latencies.append((time.perf_counter() - started) * 1000)
            await client.put(f"/messages/{message['id']}/ack")
        for _ in range(DELAY_SAMPLES):
            body = json.dumps({"data": {"n": 1}, "delay_seconds": 1}).encode()
            poll = asyncio.create_task(_long_poll(client, topic))
            async with client.post(
                f"/topics/{topic}/messages", data=body, headers=JSON
            ) as answer:
                (published,) = (await answer.json())["data"]
            (message,) = await poll
            visible = datetime.fromisoformat(str(published["scheduled_at"]))
            lateness.append((datetime.now(visible.tzinfo) - visible).total_seconds())
            await client.put(f"/messages/{message['id']}/ack")
    return [
        Result(
            scenario="publish to wake of a waiting long poll",
            clients=1,
            seconds=0.0,
            per_second=0.0,
            p50_ms=percentile(latencies, 0.50),
            p99_ms=percentile(latencies, 0.99),
            extra={"samples": len(latencies)},
        ),
        Result(
            scenario="delayed 1 s: answer after visibility",
            clients=1,
            seconds=0.0,
            per_second=0.0,
            p50_ms=1000 * statistics.median(lateness),
            p99_ms=1000 * max(lateness),
            extra={"samples": len(lateness), "p99 is": "max"},
        ),
    ]


# --- publish throughput with idle long polls ------------------------------------


async def _publish_throughput(url: str, seconds: float, idle: int) -> Result:
    topic = _topic("bench-poll-publish")
    idle_queue = _topic("bench-poll-idle")
    requests = Requests()
    async with _session(url) as client:
        pollers = None
        if idle:
            until = time.monotonic() + seconds + 25
            pollers = asyncio.create_task(_idle_polls(client, idle_queue, idle, until))
            while not _armed(idle_queue):
                await asyncio.sleep(0.1)
        started = time.monotonic()
        until = started + seconds
        publishers = [
            ClosedLoopPublisher(topic, BODY, requests).run(client, until)
            for _ in range(PUBLISHERS)
        ]
        await asyncio.gather(*publishers)
        elapsed = time.monotonic() - started
        if pollers is not None:
            pollers.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await pollers
    return Result(
        scenario=f"publish with {idle} idle long polls",
        clients=PUBLISHERS,
        seconds=round(elapsed, 1),
        per_second=requests.ok / elapsed,
        p50_ms=requests.p50(),
        p99_ms=requests.p99(),
        errors=requests.errors,
    )


# --- idle cost of waiting long polls ---------------------------------------------


async def _stats_latency(url: str, queue_id: str, until: float) -> list[float]:
    latencies = []
    async with _session(url) as client:
        while time.monotonic() < until:
            started = time.perf_counter()
            async with client.get(f"/queues/{queue_id}/stats") as answer:
                await answer.read()
                if answer.status != 200:
                    raise RuntimeError(f"stats answered {answer.status}")
            latencies.append((time.perf_counter() - started) * 1000)
            await asyncio.sleep(0.05)
    return latencies


async def _waiting_cost(server: ApiServer, seconds: float, waiting: int) -> Result:
    queue_id = _topic("bench-poll-waiting")
    postmaster = postmaster_pid()
    async with _session(server.url) as client:
        pollers = None
        if waiting:
            until = time.monotonic() + seconds + 25
            pollers = asyncio.create_task(_idle_polls(client, queue_id, waiting, until))
            while not _armed(queue_id):
                await asyncio.sleep(0.1)
            await asyncio.sleep(1)
        pg_before, api_before = tree_cpu_seconds(postmaster), server.cpu_seconds()
        started = time.monotonic()
        latencies = await _stats_latency(server.url, queue_id, started + seconds)
        elapsed = time.monotonic() - started
        pg_cpu = (tree_cpu_seconds(postmaster) - pg_before) / elapsed
        api_cpu = (server.cpu_seconds() - api_before) / elapsed
        if pollers is not None:
            pollers.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await pollers
    return Result(
        scenario=f"{waiting} long polls waiting: stats",
        clients=waiting,
        seconds=round(elapsed, 1),
        per_second=len(latencies) / elapsed,
        unit="requests",
        p50_ms=percentile(latencies, 0.50),
        p99_ms=percentile(latencies, 0.99),
        extra={
            "postgres_cpu_percent": round(100 * pg_cpu, 2),
            "api_cpu_percent": round(100 * api_cpu, 2),
        },
    )


def run(seconds: float = 10.0) -> list[Result]:
    """Every scenario; `seconds` is the length of each timed one."""
    results: list[Result] = []
    server = ApiServer()
    try:
        results += uvloop.run(_wake(server.url))
        for _ in range(2):
            for idle in (0, IDLE_POLLS):
                results.append(
                    uvloop.run(_publish_throughput(server.url, seconds, idle))
                )
        for waiting in (0, WAITING_POLLS):
            results.append(uvloop.run(_waiting_cost(server, seconds, waiting)))
    finally:
        server.stop()
    return results


def summary(results: list[Result]) -> dict[str, float]:
    """Publish throughput with idle long polls against without, in the mean."""
    by_idle: dict[int, list[float]] = {0: [], IDLE_POLLS: []}
    for r in results:
        for idle, figures in by_idle.items():
            if r.scenario == f"publish with {idle} idle long polls":
                figures.append(r.per_second)
    if not all(by_idle.values()):
        return {}
    return {
        f"publish with {IDLE_POLLS} idle long polls / with none": statistics.mean(
            by_idle[IDLE_POLLS]
        )
        / statistics.mean(by_idle[0])
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    results = run(args.seconds)
    report("long polling", results)
    for name, value in summary(results).items():
        print(f"ratio {name}: {value:.2f}")
    for r in results:
        if "postgres_cpu_percent" in r.extra:
            print(
                f"{r.scenario}: PostgreSQL {r.extra['postgres_cpu_percent']}% "
                f"of a core, API {r.extra['api_cpu_percent']}%"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
