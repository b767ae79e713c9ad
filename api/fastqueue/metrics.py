"""Prometheus metrics: HTTP requests by route template, and queue gauges.

Request metrics live in prometheus-client's default registry, or in its
multiprocess files when PROMETHEUS_MULTIPROC_DIR is set (`fastqueue server` sets
it for more than one worker). Queue gauges are read from the database at each
scrape, by one query under a statement timeout, and rendered by a collector
made for that scrape: this also works in multiprocess mode, where a collector
registered in the default registry would never be read.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Iterable
from datetime import datetime
from typing import Any, Final

import psycopg
from litestar import Response, get
from litestar.enums import ScopeType
from litestar.handlers import HTTPRouteHandler
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from prometheus_client import REGISTRY, Counter, Histogram, generate_latest
from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector

from fastqueue import _queries as queries
from fastqueue.db import Database

__all__ = [
    "MULTIPROC_ENV",
    "QueueCollector",
    "create_metrics_route",
    "metrics_middleware",
]

logger = logging.getLogger(__name__)

MULTIPROC_ENV: Final = "PROMETHEUS_MULTIPROC_DIR"
# Prometheus' text format; Litestar appends the charset of a text media type.
_CONTENT_TYPE: Final = "text/plain; version=0.0.4"
_UNMATCHED: Final = "<unmatched>"

REQUESTS: Final = Counter(
    "fastqueue_http_requests_total",
    "HTTP requests answered, by method, route template and status code.",
    ["method", "route", "status"],
)
REQUEST_SECONDS: Final = Histogram(
    "fastqueue_http_request_duration_seconds",
    "Time to answer an HTTP request, by method and route template.",
    ["method", "route"],
)

# Per-queue gauges of fastqueue.get_metrics(): JSON key, metric name, help text.
_QUEUE_GAUGES: Final = (
    ("available", "fastqueue_queue_available_messages", "Messages available now."),
    ("leased", "fastqueue_queue_leased_messages", "Messages leased to a consumer."),
    ("delayed", "fastqueue_queue_delayed_messages", "Messages not yet delivered."),
    (
        "dead_letter_pending",
        "fastqueue_queue_dead_letter_pending_messages",
        "Messages past their max deliveries, waiting to move to the dead queue.",
    ),
    (
        "oldest_available_age_seconds",
        "fastqueue_queue_oldest_available_message_age_seconds",
        "Age of the oldest available message (0 if none).",
    ),
    (
        "oldest_age_seconds",
        "fastqueue_queue_oldest_message_age_seconds",
        "Age of the oldest message of any kind (0 if none).",
    ),
)
# Gauges of the last cleanup run: JSON key, metric name, help text.
_CLEANUP_GAUGES: Final = (
    (
        "expired",
        "fastqueue_cleanup_last_run_expired_messages",
        "Messages deleted by the last cleanup run because their retention ended.",
    ),
    (
        "dead_lettered",
        "fastqueue_cleanup_last_run_dead_lettered_messages",
        "Messages moved to a dead queue by the last cleanup run.",
    ),
)


def metrics_middleware(app: ASGIApp) -> ASGIApp:
    """Count and time each HTTP request under its route template."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_and_watch(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await app(scope, receive, send_and_watch)
        finally:
            route = scope.get("path_template") or _UNMATCHED
            method = scope["method"]
            REQUESTS.labels(method, route, str(status)).inc()
            REQUEST_SECONDS.labels(method, route).observe(time.perf_counter() - started)

    return middleware


class QueueCollector:
    """Gauges from fastqueue.get_metrics() read at scrape time (None: database away)."""

    def __init__(self, document: dict[str, Any] | None) -> None:
        self.document = document

    def collect(self) -> Iterable[Metric]:
        yield GaugeMetricFamily(
            "fastqueue_database_up",
            "1 if the last scrape could read the queue gauges from the database.",
            value=0 if self.document is None else 1,
        )
        if self.document is None:
            return
        queues: list[dict[str, Any]] = self.document["queues"]
        for key, name, documentation in _QUEUE_GAUGES:
            family = GaugeMetricFamily(name, documentation, labels=["queue_id"])
            for queue in queues:
                family.add_metric([queue["queue_id"]], queue[key])
            yield family
        cleanup: dict[str, Any] | None = self.document["cleanup"]
        if cleanup is None:
            return
        finished = datetime.fromisoformat(cleanup["finished_at"])
        yield GaugeMetricFamily(
            "fastqueue_cleanup_last_run_timestamp_seconds",
            "When the last cleanup run finished, in seconds since the epoch.",
            value=finished.timestamp(),
        )
        for key, name, documentation in _CLEANUP_GAUGES:
            yield GaugeMetricFamily(name, documentation, value=cleanup[key])


def render(document: dict[str, Any] | None) -> bytes:
    """The Prometheus text of this process (or all workers) and the queues."""
    if os.environ.get(MULTIPROC_ENV):
        collector = MultiProcessCollector(None)  # type: ignore[no-untyped-call]
        process_metrics = generate_latest(collector)
    else:
        process_metrics = generate_latest(REGISTRY)
    return process_metrics + generate_latest(QueueCollector(document))


def create_metrics_route(query_timeout_seconds: float) -> HTTPRouteHandler:
    """The GET /metrics route; its gauge query runs under the given timeout."""

    @get(
        "/metrics",
        tags=["operations"],
        summary="Prometheus metrics",
        media_type=_CONTENT_TYPE,
    )
    async def metrics(db: Database) -> Response[bytes]:
        document: dict[str, Any] | None
        try:
            found = await db.fetch_all(
                queries.GET_METRICS, {}, timeout_seconds=query_timeout_seconds
            )
            document = json.loads(found[0][0])
        except psycopg.Error as exc:
            logger.warning(
                "cannot read queue gauges: %s",
                type(exc).__name__,
                extra={"action": "metrics_scrape"},
            )
            document = None
        return Response(content=render(document), media_type=_CONTENT_TYPE)

    return metrics
