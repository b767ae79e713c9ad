"""The HTTP load generator: publishers and consumers on aiohttp, and what they saw.

Publishers and consumers are asyncio tasks of this process, each on its own
keep-alive connection to the API. Every request's latency is kept. A consumer
leases up to 10 messages with GET /queues/{id}/messages, then acks each with
PUT /messages/{id}/ack. `Deliveries` remembers every message handed out: one
delivered again before the deadline of its first lease is a duplicate.
"""

from __future__ import annotations

import asyncio
import datetime
import json
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from _common import percentile

TIMEOUT = aiohttp.ClientTimeout(total=10)
JSON = {"Content-Type": "application/json"}
LEASE_LIMIT = 10


def session(base_url: str) -> aiohttp.ClientSession:
    """A client session with as many connections as there are tasks using it."""
    return aiohttp.ClientSession(
        base_url=base_url,
        connector=aiohttp.TCPConnector(limit=0),
        timeout=TIMEOUT,
    )


def publish_body(data: dict[str, Any], attributes: dict[str, str]) -> bytes:
    return json.dumps({"data": data, "attributes": attributes}).encode()


@dataclass
class Requests:
    """Latencies of the requests of one kind that succeeded, and what failed."""

    latencies_ms: list[float] = field(default_factory=list)
    failures: Counter[str] = field(default_factory=Counter)

    @property
    def ok(self) -> int:
        return len(self.latencies_ms)

    @property
    def errors(self) -> int:
        return sum(self.failures.values())

    def p50(self) -> float | None:
        return percentile(self.latencies_ms, 0.50)

    def p99(self) -> float | None:
        return percentile(self.latencies_ms, 0.99)

    def take(self) -> Requests:
        """What was counted since the last take(); counting starts afresh."""
        taken = Requests(self.latencies_ms, self.failures)
        self.latencies_ms, self.failures = [], Counter()
        return taken


def _epoch(timestamp: str) -> float:
    return datetime.datetime.fromisoformat(timestamp).timestamp()


@dataclass
class Deliveries:
    """Every message consumers were handed, and the anomalies among them."""

    deadlines: dict[str, float] = field(default_factory=dict)
    duplicates: int = 0
    redeliveries: int = 0
    acked: int = 0
    # End-to-end latencies (receive time minus data["sent"]) when messages say so.
    latencies_ms: list[float] = field(default_factory=list)
    # data["seq"] of every message received, when messages carry one.
    sequence_numbers: set[int] = field(default_factory=set)

    def receive(self, message: dict[str, Any], now: float) -> None:
        """Count a delivery; `now` is the wall clock when its lease answered."""
        message_id: str = message["id"]
        deadline = _epoch(message["scheduled_at"])
        first_deadline = self.deadlines.get(message_id)
        if first_deadline is not None:
            # The lease that delivered it again happened after `now` on the same
            # clock: before the earlier lease's deadline it should not have.
            if now < first_deadline:
                self.duplicates += 1
            else:
                self.redeliveries += 1
        self.deadlines[message_id] = deadline
        data = message["data"]
        if "sent" in data:
            self.latencies_ms.append((now - float(data["sent"])) * 1000)
        if "seq" in data:
            self.sequence_numbers.add(int(data["seq"]))


def _failure(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return "timeout"
    return type(exc).__name__


@dataclass
class ClosedLoopPublisher:
    """Publishes the same body again and again, a request as soon as the last
    one answers. A 201 whose answer does not hold `copies` messages fails."""

    topic_id: str
    body: bytes
    requests: Requests
    copies: int = 1

    async def run(self, client: aiohttp.ClientSession, until: float) -> None:
        path = f"/topics/{self.topic_id}/messages"
        while time.monotonic() < until:
            started = time.perf_counter()
            try:
                async with client.post(path, data=self.body, headers=JSON) as answer:
                    text = await answer.read()
                    status = answer.status
            except (TimeoutError, aiohttp.ClientError) as exc:
                self.requests.failures[_failure(exc)] += 1
                continue
            elapsed = (time.perf_counter() - started) * 1000
            if status != 201:
                self.requests.failures[f"publish {status}"] += 1
            elif len(json.loads(text)["data"]) != self.copies:
                self.requests.failures["publish copies"] += 1
            else:
                self.requests.latencies_ms.append(elapsed)


@dataclass
class Publisher:
    """Publishes at a steady rate, whatever the answers' latency (open loop).

    Each message's data holds its sequence number and the wall-clock time its
    request started, so that a consumer can tell the end-to-end latency.
    """

    topic_id: str
    rate: float
    requests: Requests = field(default_factory=Requests)
    published: set[int] = field(default_factory=set)
    max_in_flight: int = 64

    async def run(self, client: aiohttp.ClientSession, until: float) -> None:
        slots = asyncio.Semaphore(self.max_in_flight)
        tasks: set[asyncio.Task[None]] = set()
        start = time.monotonic()
        seq = 0
        while (due := start + seq / self.rate) < until:
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            await slots.acquire()
            task = asyncio.create_task(self._one(client, seq, slots))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
            seq += 1
        if tasks:
            await asyncio.wait(tasks)

    async def _one(
        self, client: aiohttp.ClientSession, seq: int, slots: asyncio.Semaphore
    ) -> None:
        try:
            sent = time.time()
            started = time.perf_counter()
            body = publish_body({"seq": seq, "sent": sent}, {"kind": "bench"})
            path = f"/topics/{self.topic_id}/messages"
            async with client.post(path, data=body, headers=JSON) as answer:
                await answer.read()
                status = answer.status
            if status == 201:
                self.requests.latencies_ms.append(
                    (time.perf_counter() - started) * 1000
                )
                self.published.add(seq)
            else:
                self.requests.failures[f"publish {status}"] += 1
        except (TimeoutError, aiohttp.ClientError) as exc:
            self.requests.failures[_failure(exc)] += 1
        finally:
            slots.release()


@dataclass
class Consumer:
    """Leases up to 10 messages, acks each, and does it again until told to stop.

    On an empty lease it waits `idle_seconds` before polling again.
    """

    queue_id: str
    deliveries: Deliveries
    leases: Requests
    acks: Requests
    idle_seconds: float = 0.05
    empty_leases: int = 0

    async def run(
        self,
        client: aiohttp.ClientSession,
        until: float,
        stop: Callable[[], bool] = lambda: False,
    ) -> None:
        path = f"/queues/{self.queue_id}/messages?limit={LEASE_LIMIT}"
        while time.monotonic() < until and not stop():
            started = time.perf_counter()
            try:
                async with client.get(path) as answer:
                    text = await answer.read()
                    status = answer.status
            except (TimeoutError, aiohttp.ClientError) as exc:
                self.leases.failures[_failure(exc)] += 1
                continue
            now = time.time()
            if status != 200:
                self.leases.failures[f"lease {status}"] += 1
                continue
            self.leases.latencies_ms.append((time.perf_counter() - started) * 1000)
            messages: list[dict[str, Any]] = json.loads(text)["data"]
            if not messages:
                self.empty_leases += 1
                await asyncio.sleep(self.idle_seconds)
                continue
            for message in messages:
                self.deliveries.receive(message, now)
            for message in messages:
                await self._ack(client, message["id"])

    async def _ack(self, client: aiohttp.ClientSession, message_id: str) -> None:
        started = time.perf_counter()
        try:
            async with client.put(f"/messages/{message_id}/ack") as answer:
                await answer.read()
                status = answer.status
        except (TimeoutError, aiohttp.ClientError) as exc:
            self.acks.failures[_failure(exc)] += 1
            return
        if status == 204:
            self.acks.latencies_ms.append((time.perf_counter() - started) * 1000)
            self.deliveries.acked += 1
        else:
            self.acks.failures[f"ack {status}"] += 1


def consumers(
    queue_id: str, count: int, idle_seconds: float = 0.05
) -> tuple[list[Consumer], Deliveries, Requests, Requests]:
    """`count` consumers of one queue sharing their counts."""
    deliveries, leases, acks = Deliveries(), Requests(), Requests()
    return (
        [
            Consumer(queue_id, deliveries, leases, acks, idle_seconds)
            for _ in range(count)
        ],
        deliveries,
        leases,
        acks,
    )


def failures_text(*groups: Requests) -> str:
    """'lease 503: 2, timeout: 1', or '' when nothing failed."""
    total: Counter[str] = Counter()
    for group in groups:
        total.update(group.failures)
    return ", ".join(f"{kind}: {n}" for kind, n in sorted(total.items()))
