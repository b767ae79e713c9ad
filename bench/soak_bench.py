"""Soak: a steady publish + lease + ack load for minutes, watching what drifts.

One API server (one uvicorn worker). A publisher posts at a steady rate (open
loop, 300 messages a second by default); 4 consumers lease up to 10 and ack each
message, polling every 50 ms when the queue is empty. At every interval (a
minute in a full run) it prints that interval's lease latency p50/p99 (HTTP),
the sizes of fastqueue.message and of its indexes, its dead tuples, the messages
waiting, the API's resident memory (VmRSS) and the CPU of the API and of
PostgreSQL. At the end: lease latency of the last interval against the first,
table + index growth in % a minute over the last 10 minutes, API memory against
minute 5, duplicates and losses.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

import psycopg
import uvloop
from _common import (
    DATABASE_URL,
    ApiServer,
    Result,
    percentile,
    postmaster_pid,
    psql,
    tree_cpu_seconds,
)
from _load import Publisher, Requests, consumers, failures_text, session

CONSUMERS = 4
IDLE_SECONDS = 0.05
DRAIN_SECONDS = 10.0
QUEUE = "bench-soak"

SETUP = """
SET client_min_messages = warning;
SELECT fastqueue.delete_queue(id) FROM fastqueue.queue WHERE id = 'bench-soak';
SELECT fastqueue.delete_topic(id) FROM fastqueue.topic WHERE id = 'bench-soak';
SELECT FROM fastqueue.create_topic('bench-soak');
SELECT FROM fastqueue.create_queue('bench-soak', p_topic_id => 'bench-soak');
"""

# Sizes in bytes; n_dead_tup is the statistics collector's estimate.
SAMPLE = """
SELECT pg_relation_size('fastqueue.message'),
       pg_indexes_size('fastqueue.message'),
       coalesce((SELECT n_dead_tup FROM pg_stat_user_tables
                 WHERE relid = 'fastqueue.message'::regclass), 0),
       (SELECT count(*) FROM fastqueue.message WHERE queue_id = 'bench-soak')
"""


@dataclass
class Sample:
    """One interval of the soak."""

    at_seconds: float
    published: int
    acked: int
    lease_p50_ms: float | None
    lease_p99_ms: float | None
    errors: int
    table_bytes: int
    index_bytes: int
    dead_tuples: int
    waiting: int
    api_rss_mib: float
    api_cpu_percent: float
    postgres_cpu_percent: float

    def line(self, interval: float) -> str:
        minutes, seconds = divmod(round(self.at_seconds), 60)
        return (
            f"  {minutes:>2}:{seconds:02d} published {self.published / interval:,.0f}/s"
            f" acked {self.acked / interval:,.0f}/s"
            f" lease p50 {_ms(self.lease_p50_ms)} p99 {_ms(self.lease_p99_ms)} ms"
            f" | table {self.table_bytes / 2**20:.1f} MiB"
            f" indexes {self.index_bytes / 2**20:.1f} MiB"
            f" dead {self.dead_tuples:,} waiting {self.waiting:,}"
            f" | API RSS {self.api_rss_mib:.1f} MiB"
            f" CPU% API {self.api_cpu_percent:.0f} PG {self.postgres_cpu_percent:.0f}"
            f" errors {self.errors}"
        )


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


async def _watch(
    server: ApiServer,
    interval: float,
    until: float,
    counts: tuple[Requests, Requests, Requests],
    samples: list[Sample],
) -> None:
    """Every `interval` seconds, take the counts of the interval and sample sizes."""
    publishes, leases, acks = counts
    postmaster = postmaster_pid()
    started = time.monotonic()
    api_cpu, postgres_cpu = server.cpu_seconds(), tree_cpu_seconds(postmaster)
    async with await psycopg.AsyncConnection.connect(
        DATABASE_URL, autocommit=True
    ) as db:
        next_at = started + interval
        while next_at <= until + 0.5:
            await asyncio.sleep(max(0.0, next_at - time.monotonic()))
            published, leased, acked = publishes.take(), leases.take(), acks.take()
            api_now, postgres_now = server.cpu_seconds(), tree_cpu_seconds(postmaster)
            row = await (await db.execute(SAMPLE)).fetchone()
            if row is None:
                raise RuntimeError("the sample query returned no row")
            sample = Sample(
                at_seconds=time.monotonic() - started,
                published=published.ok,
                acked=acked.ok,
                lease_p50_ms=leased.p50(),
                lease_p99_ms=leased.p99(),
                errors=published.errors + leased.errors + acked.errors,
                table_bytes=int(row[0]),
                index_bytes=int(row[1]),
                dead_tuples=int(row[2]),
                waiting=int(row[3]),
                api_rss_mib=server.rss_mib(),
                api_cpu_percent=100 * (api_now - api_cpu) / interval,
                postgres_cpu_percent=100 * (postgres_now - postgres_cpu) / interval,
            )
            api_cpu, postgres_cpu = api_now, postgres_now
            samples.append(sample)
            print(sample.line(interval), flush=True)
            next_at += interval


def _summary(samples: list[Sample], interval: float) -> dict[str, float | None]:
    """Drift between the first and last intervals, as the brief's ratios."""
    first, last = samples[0], samples[-1]
    per_minute = 60 / interval
    # The last 10 minutes, or the whole run when it is shorter.
    window = min(len(samples) - 1, round(10 * per_minute))
    base = samples[-1 - window]
    size_base = base.table_bytes + base.index_bytes
    size_last = last.table_bytes + last.index_bytes
    minutes = window / per_minute
    growth = (
        None
        if not minutes or not size_base
        else 100 * (size_last - size_base) / size_base / minutes
    )
    # Memory against minute 5, or against the first interval in a short run.
    reference = samples[min(len(samples), round(5 * per_minute)) - 1]
    return {
        "lease p50 last/first": _ratio(last.lease_p50_ms, first.lease_p50_ms),
        "lease p99 last/first": _ratio(last.lease_p99_ms, first.lease_p99_ms),
        "table+index growth %/minute": growth,
        "growth window minutes": minutes,
        "API RSS last/reference": _ratio(last.api_rss_mib, reference.api_rss_mib),
        "API RSS reference at minute": reference.at_seconds / 60,
    }


def _ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or not b else a / b


async def _soak(
    server: ApiServer, seconds: float, interval: float, rate: float
) -> tuple[list[Sample], Result]:
    group, deliveries, leases, acks = consumers(QUEUE, CONSUMERS, IDLE_SECONDS)
    publisher = Publisher(QUEUE, rate)
    publishing = True

    def drained() -> bool:
        return not publishing and publisher.published.issubset(
            deliveries.sequence_numbers
        )

    samples: list[Sample] = []
    async with session(server.url) as client:
        started = time.monotonic()
        until = started + seconds
        background = [
            asyncio.ensure_future(c.run(client, until + DRAIN_SECONDS, drained))
            for c in group
        ]
        counts = (publisher.requests, leases, acks)
        watching = asyncio.ensure_future(
            _watch(server, interval, until, counts, samples)
        )
        await publisher.run(client, until)
        await watching
        publishing = False
        await asyncio.gather(*background)
    lost = publisher.published - deliveries.sequence_numbers
    total = Result(
        scenario="soak, whole run: publish-to-receive",
        clients=CONSUMERS,
        seconds=seconds,
        per_second=len(deliveries.sequence_numbers) / seconds,
        unit="received",
        p50_ms=percentile(deliveries.latencies_ms, 0.50),
        p99_ms=percentile(deliveries.latencies_ms, 0.99),
        errors=sum(s.errors for s in samples)
        + publisher.requests.errors
        + leases.errors
        + acks.errors,
        duplicates=deliveries.duplicates,
        losses=len(lost),
        extra={
            "publish_rate": rate,
            "published": len(publisher.published),
            "redeliveries_after_deadline": deliveries.redeliveries,
            "latency_max_ms": max(deliveries.latencies_ms, default=None),
            "lost_sequence_numbers": sorted(lost)[:20],
            "failures_after_last_interval": failures_text(
                publisher.requests, leases, acks
            ),
        },
    )
    return samples, total


def run(seconds: float, interval: float, rate: float = 300.0) -> list[Result]:
    """Soak for `seconds`, sampling every `interval` seconds."""
    psql(SETUP)
    print(
        f"  {seconds:.0f} s at {rate:g} messages/s, "
        f"{CONSUMERS} consumers, a line every {interval:g} s",
        flush=True,
    )
    server = ApiServer(workers=1)
    try:
        with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
            samples, total = runner.run(_soak(server, seconds, interval, rate))
    finally:
        server.stop()
    results = [
        Result(
            scenario=f"soak interval ending {s.at_seconds / 60:.1f} min",
            clients=CONSUMERS,
            seconds=interval,
            per_second=s.acked / interval,
            unit="acked msgs",
            p50_ms=s.lease_p50_ms,
            p99_ms=s.lease_p99_ms,
            errors=s.errors,
            extra={
                "latency": "of the lease request",
                **{k: v for k, v in vars(s).items() if k != "at_seconds"},
            },
        )
        for s in samples
    ]
    if samples:
        summary = _summary(samples, interval)
        total.extra["drift"] = summary
        print("  drift: " + ", ".join(f"{k} {_fmt(v)}" for k, v in summary.items()))
    return [*results, total]


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"
