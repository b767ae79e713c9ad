"""Every error the API answers, mapped in one place.

Database errors are mapped by SQLSTATE, never by message text: the SQL functions
raise `FQ0xx` for something unknown (404), `FQ1xx` for something that exists
(409) and `FQ2xx` for invalid input (422). Every error body is
`{"detail": "..."}`.
"""

from __future__ import annotations

import logging
from typing import Any, Final

import psycopg
from litestar import MediaType, Request, Response
from litestar.exceptions import (
    HTTPException,
    SerializationException,
    ValidationException,
)
from litestar.types import ExceptionHandlersMap
from psycopg_pool import PoolTimeout

from fastqueue.body import DuplicateKeyError

__all__ = ["EXCEPTION_HANDLERS", "status_for_sqlstate"]

logger = logging.getLogger(__name__)

# Built-in SQLSTATEs that mean the caller sent something unusable.
_INVALID_INPUT: Final = frozenset(
    {
        "22P02",  # invalid_text_representation: a value of the wrong type
        "22P05",  # untranslatable_character: \u0000 in JSON
        "22023",  # invalid_parameter_value
        "22003",  # numeric_value_out_of_range
        "54001",  # statement_too_complex: JSON nested too deep
        "23503",  # foreign_key_violation: a queue or topic went away meanwhile
    }
)
# SQLSTATE classes that say the database is away or busy: try again later.
_UNAVAILABLE_CLASSES: Final = frozenset({"08", "40", "53", "57"})
_RETRY_AFTER_SECONDS: Final = "1"
_MAX_DETAIL_CHARACTERS: Final = 500
# Details of our own for built-in SQLSTATEs whose message a client cannot act on.
_DETAILS: Final = {
    "22P05": "JSON text may not contain the NUL character (\\u0000)",
}


def status_for_sqlstate(sqlstate: str | None) -> int | None:
    """The HTTP status for a SQLSTATE raised on bad input, or None."""
    if sqlstate is None:
        return None
    if sqlstate.startswith("FQ0"):
        return 404
    if sqlstate.startswith("FQ1"):
        return 409
    if sqlstate.startswith("FQ2") or sqlstate in _INVALID_INPUT:
        return 422
    return None


def _error(
    status_code: int, detail: str, headers: dict[str, str] | None = None
) -> Response[Any]:
    if len(detail) > _MAX_DETAIL_CHARACTERS:
        # A detail may quote what the client sent (an id of 5,000 characters).
        detail = detail[: _MAX_DETAIL_CHARACTERS - 1] + "…"
    return Response(
        content={"detail": detail},
        status_code=status_code,
        headers=headers,
        media_type=MediaType.JSON,
    )


def _route(request: Request[Any, Any, Any]) -> str:
    # The route template (/queues/{queue_id}) carries no ids or payloads.
    template = request.scope.get("path_template")
    return template if isinstance(template, str) else "<unmatched>"


def _unavailable(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    logger.warning(
        "database unavailable on %s %s: %s",
        request.method,
        _route(request),
        type(exc).__name__,
        extra={"action": "database_unavailable"},
    )
    return _error(
        503,
        "the database is unavailable or busy; try again later",
        {"Retry-After": _RETRY_AFTER_SECONDS},
    )


def _database_error(
    request: Request[Any, Any, Any], exc: psycopg.Error
) -> Response[Any]:
    if isinstance(exc, psycopg.DataError) and exc.sqlstate is None:
        # Raised by psycopg itself, before the query is sent: a value that
        # PostgreSQL cannot take, such as a NUL character in a path id.
        return _error(422, f"invalid request: {exc}")
    status_code = status_for_sqlstate(exc.sqlstate)
    if status_code is not None and exc.sqlstate in _DETAILS:
        return _error(status_code, f"invalid request: {_DETAILS[exc.sqlstate]}")
    if status_code is not None:
        detail = exc.diag.message_primary or str(exc)
        if exc.diag.message_hint:
            detail = f"{detail.rstrip('.')}. {exc.diag.message_hint}"
        return _error(status_code, detail)
    if isinstance(exc, PoolTimeout) or (
        isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError)
        and (exc.sqlstate is None or exc.sqlstate[:2] in _UNAVAILABLE_CLASSES)
    ):
        return _unavailable(request, exc)
    return _internal_error(request, exc)


def _validation_error(
    request: Request[Any, Any, Any], exc: ValidationException
) -> Response[Any]:
    problems = [
        _describe_problem(item)
        for item in (exc.extra if isinstance(exc.extra, list) else [])
        if isinstance(item, dict) and item.get("message")
    ]
    return _error(422, f"invalid request: {'; '.join(problems) or exc.detail}")


def _describe_problem(item: dict[str, Any]) -> str:
    """One problem of a ValidationException, as "where: what"."""
    source = item.get("source")
    source = getattr(source, "value", source)  # a ParamType, or "body"
    key = item.get("key")
    message = str(item["message"])
    if source == "body" and key == "data":
        # The handler's parameter is called data: the problem is the whole body.
        key = None
        if message == "'data'":
            message = "a JSON object is required"
    where = " ".join(str(part) for part in (source, key) if part)
    return f"{where}: {message}" if where else message


def _http_error(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    if exc.status_code >= 500:
        return _internal_error(request, exc)
    if isinstance(exc.__cause__, DuplicateKeyError):
        return _error(422, f"invalid request: {exc.detail}")
    if isinstance(exc.__cause__, SerializationException):
        return _error(422, f"invalid request: malformed JSON body: {exc.detail}")
    return _error(exc.status_code, exc.detail, exc.headers)


def _too_deep(request: Request[Any, Any, Any], exc: RecursionError) -> Response[Any]:
    # msgspec raises RecursionError, not a decode error, for JSON nested past
    # what it can decode or encode; only a request body can be that deep here.
    return _error(422, "invalid request: the JSON body is nested too deeply")


def _internal_error(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    logger.error(
        "unexpected error on %s %s",
        request.method,
        _route(request),
        exc_info=exc,
        extra={"action": "internal_error"},
    )
    return _error(500, "internal server error")


EXCEPTION_HANDLERS: Final[ExceptionHandlersMap] = {
    psycopg.Error: _database_error,
    ValidationException: _validation_error,
    HTTPException: _http_error,
    RecursionError: _too_deep,
    Exception: _internal_error,
}
