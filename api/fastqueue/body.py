"""How a JSON request body is read: declared as JSON, no duplicate keys, and,
where a route asks for it, numbers kept exactly as sent.

Litestar parses every body with one shared decoder; the app uses `JsonRequest`
instead, which adds three rules:

- a body sent with a Content-Type that is not JSON answers 415 (a body sent
  without one is read as JSON, as the original fastqueue did);
- an object that names a key twice answers 422: parsers disagree about which
  value wins, so a proxy and this API could each act on a different one;
- on routes whose `opt` sets EXACT_NUMBERS (publish), numbers with a fraction
  or an exponent become `Decimal`, so that a message's data reaches PostgreSQL
  digit for digit (jsonb keeps any numeric) instead of rounded to a double,
  and beyond the range of a double is no error.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, Final

import msgspec
from litestar import Request
from litestar.exceptions import HTTPException, SerializationException

__all__ = ["EXACT_NUMBERS", "DuplicateKeyError", "JsonRequest"]

EXACT_NUMBERS: Final = "exact_json_numbers"

_PLAIN: Final = msgspec.json.Decoder()
_EXACT: Final = msgspec.json.Decoder(float_hook=Decimal)


class _DuplicateKeyError(ValueError):
    pass


class DuplicateKeyError(SerializationException):
    """A JSON object of the body names one key twice."""


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> None:
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            raise _DuplicateKeyError(key)
        seen.add(key)


def _ignore(_: str) -> None:
    return None


def _check_duplicate_keys(body: bytes) -> None:
    """Raise DuplicateKeyError if an object of `body` repeats a key.

    `body` is already known to be valid JSON; this second pass builds nothing
    but a set of keys per object.
    """
    try:
        json.loads(
            body,
            object_pairs_hook=_no_duplicate_keys,
            parse_float=_ignore,
            parse_int=_ignore,
            parse_constant=_ignore,
        )
    except _DuplicateKeyError as exc:
        raise DuplicateKeyError(
            f"the key {json.dumps(exc.args[0])} appears twice in one object"
        ) from None


def _is_json(content_type: str) -> bool:
    media_type = content_type.partition(";")[0].strip().lower()
    return media_type == "application/json" or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )


class JsonRequest(Request[Any, Any, Any]):
    """A request whose JSON body is read by the rules of this module."""

    _fastqueue_json: Any = None
    _fastqueue_json_read = False

    async def json(self) -> Any:
        if self._fastqueue_json_read:
            return self._fastqueue_json
        content_type = self.headers.get("content-type")
        if content_type is not None and not _is_json(content_type):
            raise HTTPException(
                status_code=415,
                detail="the request body must be JSON: send it with "
                "Content-Type: application/json",
            )
        body = await self.body() or b"null"
        exact = bool(self.route_handler.opt.get(EXACT_NUMBERS))
        try:
            value = (_EXACT if exact else _PLAIN).decode(body)
        except msgspec.DecodeError as exc:
            raise SerializationException(str(exc)) from exc
        _check_duplicate_keys(body)
        self._fastqueue_json, self._fastqueue_json_read = value, True
        return value
