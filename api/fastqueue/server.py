"""`fastqueue server`: check the database, then serve the app with uvicorn."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path

import psycopg
import uvicorn

from fastqueue import _queries as queries
from fastqueue.app import StartupError
from fastqueue.db import SchemaError, connection_kwargs
from fastqueue.metrics import MULTIPROC_ENV
from fastqueue.settings import Settings

__all__ = ["check_database", "prepare_metrics_dir", "serve"]

logger = logging.getLogger(__name__)

APP_FACTORY = "fastqueue.app:create_app_from_environment"
SHUTDOWN_GRACE_SECONDS = 5


def check_database(settings: Settings) -> None:
    """Refuse to start unless the database answers and has every routine we call."""
    try:
        with psycopg.connect(
            settings.database_url, **connection_kwargs(settings)
        ) as conn:
            row = conn.execute(
                queries.MISSING_ROUTINES,
                {"signatures": list(queries.REQUIRED_ROUTINES)},
            ).fetchone()
    except psycopg.OperationalError as exc:
        raise StartupError(
            f"cannot connect to the database at fastqueue_database_url: {exc}"
        ) from exc
    missing = [] if row is None else list(row[0])
    if missing:
        raise SchemaError(missing)


def prepare_metrics_dir(workers: int) -> Path | None:
    """Set up prometheus-client's multiprocess directory before workers start.

    Returns the directory if this call created it (the caller removes it).
    """
    existing = os.environ.get(MULTIPROC_ENV)
    if existing:
        path = Path(existing)
        path.mkdir(parents=True, exist_ok=True)
        # Files left by an earlier run would add its counts to this one's.
        for stale in path.glob("*.db"):
            stale.unlink()
        return None
    if workers == 1:
        return None
    created = Path(tempfile.mkdtemp(prefix="fastqueue-metrics-"))
    os.environ[MULTIPROC_ENV] = str(created)
    return created


def serve(settings: Settings) -> None:
    """Serve the API until interrupted."""
    check_database(settings)
    created_dir = (
        prepare_metrics_dir(settings.server_num_workers)
        if settings.enable_prometheus_metrics
        else None
    )
    logger.info(
        "serving on http://%s:%s with %s worker(s)",
        settings.server_host,
        settings.server_port,
        settings.server_num_workers,
        extra={"action": "serve"},
    )
    try:
        uvicorn.run(
            APP_FACTORY,
            factory=True,
            host=settings.server_host,
            port=settings.server_port,
            workers=settings.server_num_workers,
            loop="uvloop",
            http="httptools",
            log_config=None,
            log_level=settings.log_level,
            # Requests in flight at SIGTERM get this long to finish; one still
            # running then (a client sending its body slowly) is cut off.
            timeout_graceful_shutdown=SHUTDOWN_GRACE_SECONDS,
        )
    finally:
        if created_dir is not None:
            shutil.rmtree(created_dir, ignore_errors=True)
