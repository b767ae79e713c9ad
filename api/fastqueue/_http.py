"""Small helpers the route modules share: JSON answers and their OpenAPI specs."""

from __future__ import annotations

from typing import Annotated, Any, Final

from litestar import MediaType, Response
from litestar.datastructures import State
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import Parameter

from fastqueue.db import Database
from fastqueue.schemas import ErrorBody
from fastqueue.waiting import WaitRegistry

__all__ = [
    "Limit",
    "Offset",
    "json_response",
    "provide_database",
    "provide_wait_registry",
    "spec",
    "with_errors",
]

# Query parameters of the lists; fastqueue.setting holds the bounds the SQL checks.
Offset = Annotated[int, Parameter(ge=0, le=2_147_483_647, description="Items to skip.")]
Limit = Annotated[int, Parameter(ge=1, le=1000, description="Items to return.")]

_ERROR_DESCRIPTIONS: Final[dict[int, str]] = {
    404: "No topic, queue or message with that id.",
    409: "A topic or queue with that id exists.",
    413: "The request body is larger than fastqueue_max_body_bytes.",
    415: "The request body is not declared as JSON (Content-Type).",
    422: "The request is invalid: malformed JSON, a wrong type, a value out of "
    "bounds or a definition the database refuses.",
    503: "The database is unavailable or busy; try again later.",
}


def json_response(
    body: bytes, status_code: int = 200, headers: dict[str, str] | None = None
) -> Response[bytes]:
    """Answer with JSON that PostgreSQL already built."""
    return Response(
        content=body,
        status_code=status_code,
        headers=headers,
        media_type=MediaType.JSON,
    )


def spec(data_container: Any, description: str) -> ResponseSpec:
    """Document a success answer whose body `data_container` describes."""
    return ResponseSpec(
        data_container=data_container, description=description, generate_examples=False
    )


def with_errors(
    success: dict[int, ResponseSpec], *status_codes: int
) -> dict[int, ResponseSpec]:
    """The responses of a route: its success answer plus errors (503 always)."""
    responses = dict(success)
    for code in (*status_codes, 503):
        responses[code] = ResponseSpec(
            data_container=ErrorBody,
            description=_ERROR_DESCRIPTIONS[code],
            generate_examples=False,
        )
    return responses


def provide_database(state: State) -> Database:
    """Dependency: the app's Database, set up by the lifespan."""
    database = state.database
    if not isinstance(database, Database):
        raise RuntimeError("the database pool is not open")
    return database


def provide_wait_registry(state: State) -> WaitRegistry:
    """Dependency: the process's registry of long polls, set up by the lifespan."""
    registry = state.wait_registry
    if not isinstance(registry, WaitRegistry):
        raise RuntimeError("the long-poll registry is not set up")
    return registry
