"""`fastqueue worker`: run the database's cleanup on a timer, or once.

For a PostgreSQL without pg_cron. Both call `fastqueue.run_cleanup`, so expiry and
dead-lettering behave the same either way.
"""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType
from typing import Any

import psycopg

from fastqueue import _queries as queries
from fastqueue.db import connection_kwargs
from fastqueue.settings import Settings

__all__ = ["run_cleanup", "run_worker"]

logger = logging.getLogger(__name__)


def run_cleanup(conn: psycopg.Connection[Any]) -> tuple[int, int]:
    """Run one cleanup; return the messages expired and dead-lettered."""
    row = conn.execute(queries.RUN_CLEANUP).fetchone()
    expired, dead_lettered = (0, 0) if row is None else (int(row[0]), int(row[1]))
    logger.info(
        "cleanup removed %s expired messages and dead-lettered %s",
        expired,
        dead_lettered,
        extra={"action": "cleanup", "expired": expired, "dead_lettered": dead_lettered},
    )
    return expired, dead_lettered


def run_worker(settings: Settings, *, once: bool = False) -> bool:
    """Clean up once, or every interval until SIGINT or SIGTERM.

    Returns whether the last run succeeded. A failed run is logged and retried
    at the next tick with a fresh connection.
    """
    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        logger.info("worker stopping on signal %s", signum, extra={"action": "worker"})
        stop.set()

    if not once:
        signal.signal(signal.SIGINT, request_stop)
        signal.signal(signal.SIGTERM, request_stop)
        logger.info(
            "worker started, cleanup every %s s",
            settings.queue_cleanup_interval_seconds,
            extra={"action": "worker"},
        )

    conn: psycopg.Connection[Any] | None = None
    succeeded = False
    try:
        while not stop.is_set():
            try:
                if conn is None or conn.closed:
                    conn = psycopg.connect(
                        settings.database_url, **connection_kwargs(settings)
                    )
                run_cleanup(conn)
                succeeded = True
            except psycopg.Error as exc:
                succeeded = False
                logger.warning(
                    "cleanup failed: %s: %s",
                    type(exc).__name__,
                    exc.diag.message_primary or str(exc).strip(),
                    extra={"action": "cleanup"},
                )
                if conn is not None:
                    conn.close()
                    conn = None
            if once:
                break
            stop.wait(settings.queue_cleanup_interval_seconds)
    finally:
        if conn is not None:
            conn.close()
    return succeeded
