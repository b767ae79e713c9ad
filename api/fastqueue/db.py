"""The connection pool and the few ways the app runs a query through it."""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from typing import Any, LiteralString

import psycopg
from psycopg_pool import AsyncConnectionPool

from fastqueue import _queries as queries
from fastqueue.settings import Settings

__all__ = ["Database", "SchemaError", "create_pool", "missing_routines"]

logger = logging.getLogger(__name__)

Params = Mapping[str, Any]


class SchemaError(RuntimeError):
    """The database lacks routines this version of fastqueue calls."""

    def __init__(self, missing: Sequence[str]) -> None:
        super().__init__(
            "the database schema is not up to date (missing "
            f"{', '.join(missing)}): run `fastqueue db-migrate`"
        )
        self.missing = tuple(missing)


def connection_kwargs(settings: Settings) -> dict[str, Any]:
    """Arguments of every connection the app or the worker opens."""
    return {
        "autocommit": True,
        # to_json(timestamptz) follows the session time zone: pin it to UTC.
        "options": "-c TimeZone=UTC",
        "connect_timeout": max(1, math.ceil(settings.pool_timeout_seconds)),
        "application_name": "fastqueue",
    }


def create_pool(
    settings: Settings,
) -> AsyncConnectionPool[psycopg.AsyncConnection[Any]]:
    """Build the pool (closed: the app lifespan opens it)."""
    return AsyncConnectionPool(
        settings.database_url,
        min_size=settings.pool_size,
        max_size=settings.pool_size,
        kwargs=connection_kwargs(settings),
        timeout=settings.pool_timeout_seconds,
        open=False,
        name="fastqueue",
    )


async def missing_routines(conn: psycopg.AsyncConnection[Any]) -> list[str]:
    """Return the routines of REQUIRED_ROUTINES that the database lacks."""
    cur = await conn.execute(
        queries.MISSING_ROUTINES, {"signatures": list(queries.REQUIRED_ROUTINES)}
    )
    row = await cur.fetchone()
    return list(row[0]) if row else list(queries.REQUIRED_ROUTINES)


class Database:
    """Runs one statement per call on a pooled connection.

    Errors are psycopg's own; the HTTP layer maps them by SQLSTATE. It also
    carries the one setting that publishing passes on to SQL, so that routes need
    no dependency but this one: Litestar resolves two or more dependencies of a
    request in a task group, which cost publishing about 5% of its throughput.
    """

    def __init__(
        self,
        pool: AsyncConnectionPool[psycopg.AsyncConnection[Any]],
        *,
        idempotency_window_seconds: int = Settings.idempotency_window_seconds,
    ) -> None:
        self.pool = pool
        self.idempotency_window_seconds = idempotency_window_seconds

    async def fetch_json(self, query: LiteralString, params: Params) -> bytes:
        """Run `query`, whose one row holds one JSON text, and return it encoded."""
        value = await self.fetch_value(query, params)
        if not isinstance(value, str):
            raise TypeError(f"expected JSON text from the database, got {type(value)}")
        return value.encode()

    async def fetch_value(self, query: LiteralString, params: Params) -> Any:
        """Run `query` and return the first column of its one row (or None)."""
        async with self.pool.connection() as conn:
            cur = await conn.execute(query, params)
            row = await cur.fetchone()
        return None if row is None else row[0]

    async def fetch_all(
        self, query: LiteralString, params: Params, *, timeout_seconds: float
    ) -> list[tuple[Any, ...]]:
        """Run `query` under a statement timeout and return its rows."""
        milliseconds = str(max(1, round(timeout_seconds * 1000)))
        async with self.pool.connection() as conn, conn.transaction():
            await conn.execute(
                queries.SET_LOCAL_STATEMENT_TIMEOUT, {"milliseconds": milliseconds}
            )
            cur = await conn.execute(query, params)
            return await cur.fetchall()
