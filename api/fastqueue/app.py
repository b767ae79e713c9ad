"""The Litestar application: routes, the pool's lifespan, errors, docs, metrics."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from litestar import Litestar
from litestar.di import Provide
from litestar.types import ControllerRouterHandler, Middleware
from psycopg_pool import PoolTimeout

from fastqueue import __version__, docs, messages, queues, topics
from fastqueue._http import provide_database
from fastqueue.db import Database, SchemaError, create_pool, missing_routines
from fastqueue.errors import EXCEPTION_HANDLERS
from fastqueue.health import health
from fastqueue.logconfig import configure_logging
from fastqueue.metrics import create_metrics_route, metrics_middleware
from fastqueue.settings import Settings, load_settings

__all__ = ["StartupError", "create_app", "create_app_from_environment"]

logger = logging.getLogger(__name__)


class StartupError(RuntimeError):
    """The app cannot serve: the database is away or its schema is out of date."""


def create_app(settings: Settings) -> Litestar:
    """Build the app; its lifespan opens the pool and checks the schema."""

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        pool = create_pool(settings)
        try:
            try:
                await pool.open(wait=True, timeout=settings.pool_timeout_seconds)
            except PoolTimeout as exc:
                raise StartupError(
                    "cannot connect to the database at fastqueue_database_url"
                ) from exc
            async with pool.connection() as conn:
                missing = await missing_routines(conn)
            if missing:
                raise SchemaError(missing)
            app.state.database = Database(pool)
            logger.info(
                "fastqueue %s ready, pool of %s connections",
                __version__,
                settings.pool_size,
                extra={"action": "startup"},
            )
            yield
        finally:
            await pool.close()
            logger.info("database pool closed", extra={"action": "shutdown"})

    route_handlers: list[ControllerRouterHandler] = [
        *topics.ROUTES,
        *queues.ROUTES,
        *messages.ROUTES,
        health,
        *docs.ROUTES,
    ]
    middleware: list[Middleware] = []
    if settings.enable_prometheus_metrics:
        route_handlers.append(
            create_metrics_route(settings.metrics_query_timeout_seconds)
        )
        middleware.append(metrics_middleware)

    app = Litestar(
        route_handlers=route_handlers,
        lifespan=[lifespan],
        dependencies={"db": Provide(provide_database, sync_to_thread=False)},
        exception_handlers=EXCEPTION_HANDLERS,
        middleware=middleware,
        request_max_body_size=settings.max_body_bytes,
        logging_config=None,
        openapi_config=docs.openapi_config(),
    )
    _document_validation_as_422(app)
    return app


def create_app_from_environment() -> Litestar:
    """Uvicorn's factory: settings and logging from the environment and `.env`."""
    settings = load_settings()
    configure_logging(settings.log_level, as_json=settings.log_json)
    return create_app(settings)


def _document_validation_as_422(app: Litestar) -> None:
    # Litestar documents a 400 for every route that validates input; this app
    # answers 422 instead (see fastqueue.errors), which each route documents.
    for path_item in (app.openapi_schema.paths or {}).values():
        operations: list[Any] = [
            path_item.get,
            path_item.put,
            path_item.post,
            path_item.patch,
            path_item.delete,
        ]
        for operation in operations:
            if operation is not None and operation.responses:
                operation.responses.pop("400", None)
