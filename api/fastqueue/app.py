"""The Litestar application: routes, the pool's lifespan, errors, docs, metrics."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from types import FrameType
from typing import Any

import msgspec
from litestar import Litestar, MediaType
from litestar.di import Provide
from litestar.enums import ScopeType
from litestar.openapi.spec import OpenAPIMediaType, OpenAPIResponse, Reference, Schema
from litestar.routes import HTTPRoute
from litestar.types import (
    ASGIApp,
    ControllerRouterHandler,
    HTTPResponseBodyEvent,
    HTTPResponseStartEvent,
    Middleware,
    Receive,
    Scope,
    Send,
)
from psycopg_pool import PoolTimeout

from fastqueue import __version__, docs, messages, queues, schemas, topics
from fastqueue._http import provide_database
from fastqueue.auth import OPEN_PATHS, api_key_middleware
from fastqueue.body import JsonRequest
from fastqueue.db import Database, SchemaError, create_pool, missing_routines
from fastqueue.errors import EXCEPTION_HANDLERS
from fastqueue.health import health
from fastqueue.logconfig import configure_logging
from fastqueue.metrics import create_metrics_route, metrics_middleware
from fastqueue.settings import Settings, load_settings
from fastqueue.waiting import Listener, WaitRegistry

__all__ = ["StartupError", "create_app", "create_app_from_environment"]

logger = logging.getLogger(__name__)


class StartupError(RuntimeError):
    """The app cannot serve: the database is away or its schema is out of date."""


def create_app(settings: Settings) -> Litestar:
    """Build the app; its lifespan opens the pool and checks the schema."""

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        pool = create_pool(settings)
        database = Database(
            pool, idempotency_window_seconds=settings.idempotency_window_seconds
        )
        registry = WaitRegistry(database, settings.long_poll_recheck_seconds)
        listener = Listener(settings, registry)
        restore_signals: Callable[[], None] = lambda: None  # noqa: E731
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
            app.state.database = registry.db
            app.state.wait_registry = registry
            listener.start()
            restore_signals = _answer_long_polls_on_signals(registry)
            logger.info(
                "fastqueue %s ready, pool of %s connections",
                __version__,
                settings.pool_size,
                extra={"action": "startup"},
            )
            yield
        finally:
            registry.close()
            restore_signals()
            await listener.stop()
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
    if settings.api_keys:
        # Inside the metrics middleware, so that refused requests are counted too.
        middleware.append(api_key_middleware(settings.api_keys))
    middleware.append(options_middleware)

    app = Litestar(
        route_handlers=route_handlers,
        lifespan=[lifespan],
        dependencies={"db": Provide(provide_database, sync_to_thread=False)},
        exception_handlers=EXCEPTION_HANDLERS,
        middleware=middleware,
        request_max_body_size=settings.max_body_bytes,
        request_class=JsonRequest,
        logging_config=None,
        openapi_config=docs.openapi_config(api_keys=bool(settings.api_keys)),
    )
    _document_validation_as_422(app)
    _document_closed_bodies(app)
    _document_zero_minimums(app)
    if settings.api_keys:
        _document_api_keys(app)
    return app


def create_app_from_environment() -> Litestar:
    """Uvicorn's factory: settings and logging from the environment and `.env`."""
    settings = load_settings()
    configure_logging(settings.log_level, as_json=settings.log_json)
    return create_app(settings)


def _answer_long_polls_on_signals(registry: WaitRegistry) -> Callable[[], None]:
    """Make SIGTERM and SIGINT answer the waiting long polls first.

    Uvicorn answers them by closing its sockets and waiting for the requests in
    flight, long polls included, before the lifespan ends: waking the long polls
    there would come up to 20 s late. So chain uvicorn's handlers (installed
    before the lifespan starts) with one that wakes them at once. Returns what
    puts the handlers back. Outside the main thread (a test client) it does
    nothing, and the lifespan's end wakes them.
    """
    loop = asyncio.get_running_loop()
    previous: dict[int, Callable[[int, FrameType | None], Any]] = {}

    def wake(signum: int, frame: FrameType | None) -> None:
        with contextlib.suppress(RuntimeError):  # the loop is closed already
            loop.call_soon_threadsafe(registry.close)
        handler = previous.get(signum)
        if handler is not None:
            handler(signum, frame)

    for sig in (signal.SIGTERM, signal.SIGINT):
        handler = signal.getsignal(sig)
        if not callable(handler):
            continue  # the default action or ignored: not uvicorn's
        try:
            signal.signal(sig, wake)
        except ValueError:
            continue  # not the main thread
        previous[sig] = handler

    def restore() -> None:
        for sig, handler in previous.items():
            with contextlib.suppress(ValueError):
                if signal.getsignal(sig) is wake:
                    signal.signal(sig, handler)

    return restore


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


def _document_api_keys(app: Litestar) -> None:
    # Every operation needs the bearer key (the document's default) and may
    # answer 401, but /health, which stays open.
    for path, path_item in (app.openapi_schema.paths or {}).items():
        operations: list[Any] = [
            path_item.get,
            path_item.put,
            path_item.post,
            path_item.patch,
            path_item.delete,
        ]
        for operation in operations:
            if operation is None:
                continue
            if path in OPEN_PATHS:
                operation.security = []
            elif operation.responses is not None:
                operation.responses["401"] = OpenAPIResponse(
                    description="No API key, or one that is not valid.",
                    content={
                        MediaType.JSON: OpenAPIMediaType(
                            schema=Reference(ref="#/components/schemas/ErrorBody")
                        )
                    },
                )


def _document_closed_bodies(app: Litestar) -> None:
    # Request bodies refuse unknown fields (forbid_unknown_fields): say so in
    # the schema too, which Litestar leaves open.
    components = app.openapi_schema.components.schemas or {}
    for name, struct in vars(schemas).items():
        if (
            isinstance(struct, type)
            and issubclass(struct, msgspec.Struct)
            and struct.__struct_config__.forbid_unknown_fields
            and name in components
        ):
            components[name].additional_properties = False


def _document_zero_minimums(app: Litestar) -> None:
    # Litestar drops a minimum of 0 from the schema of an optional integer field
    # (it tests the bound for truth): put back each one the struct declares.
    components = app.openapi_schema.components.schemas or {}
    for name, struct in vars(schemas).items():
        if not (
            isinstance(struct, type)
            and issubclass(struct, msgspec.Struct)
            and name in components
        ):
            continue
        info = msgspec.inspect.type_info(struct)
        properties = components[name].properties or {}
        if not isinstance(info, msgspec.inspect.StructType):
            continue
        for field in info.fields:
            prop = properties.get(field.encode_name)
            if (
                isinstance(prop, Schema)
                and prop.minimum is None
                and _has_zero_minimum(field.type)
            ):
                prop.minimum = 0


def _has_zero_minimum(info: msgspec.inspect.Type) -> bool:
    if isinstance(info, msgspec.inspect.Metadata):
        return _has_zero_minimum(info.type)
    if isinstance(info, msgspec.inspect.UnionType):
        return any(_has_zero_minimum(member) for member in info.types)
    return isinstance(info, msgspec.inspect.IntType) and info.ge == 0


def options_middleware(app: ASGIApp) -> ASGIApp:
    """Answer OPTIONS with every method of the path in `Allow`.

    Litestar's own OPTIONS handler lists only the methods of the first handler
    registered on a path (GET /topics and POST /topics are two handlers), while
    its 405 answers list them all; this answers as the 405 does.
    """

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or scope["method"] != "OPTIONS":
            await app(scope, receive, send)
            return
        template = scope.get("path_template")
        methods = {
            method
            for route in scope["litestar_app"].routes
            if isinstance(route, HTTPRoute) and route.path_format == template
            for method in route.methods
        }
        if not methods:
            await app(scope, receive, send)
            return
        start: HTTPResponseStartEvent = {
            "type": "http.response.start",
            "status": 204,
            "headers": [(b"allow", ", ".join(sorted(methods)).encode())],
        }
        await send(start)
        end: HTTPResponseBodyEvent = {
            "type": "http.response.body",
            "body": b"",
            "more_body": False,
        }
        await send(end)

    return middleware
