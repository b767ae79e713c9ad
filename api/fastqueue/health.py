"""GET /health: 200 when the database answers, 503 when it does not."""

from __future__ import annotations

import logging
from typing import Final

import psycopg
from litestar import MediaType, Response, get

from fastqueue import _queries as queries
from fastqueue._http import spec
from fastqueue.db import Database
from fastqueue.schemas import Health

__all__ = ["health"]

logger = logging.getLogger(__name__)

_HEALTHY: Final = b'{"success":true}'
_UNHEALTHY: Final = b'{"success":false}'


@get(
    "/health",
    tags=["operations"],
    summary="Whether the API can reach its database",
    responses={
        200: spec(Health, "The database answers."),
        503: spec(Health, "The database is unavailable."),
    },
)
async def health(db: Database) -> Response[bytes]:
    try:
        await db.fetch_value(queries.HEALTH, {})
    except psycopg.Error as exc:
        logger.warning(
            "health check failed: %s", type(exc).__name__, extra={"action": "health"}
        )
        return Response(content=_UNHEALTHY, status_code=503, media_type=MediaType.JSON)
    return Response(content=_HEALTHY, media_type=MediaType.JSON)
