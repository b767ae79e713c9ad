"""Optional API keys: `Authorization: Bearer <key>` on every route but the open ones.

Off unless `fastqueue_api_keys` names at least one key. /health stays open for
load balancers and orchestrators, and so do the documentation pages (/docs,
/redoc, /openapi.json), which describe the API and hold no data: Swagger UI's
Authorize button is where a person enters a key. A key is compared with every
configured key in constant time, and never logged.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Callable, Sequence
from typing import Final

from litestar.enums import ScopeType
from litestar.types import (
    ASGIApp,
    HTTPResponseBodyEvent,
    HTTPResponseStartEvent,
    Receive,
    Scope,
    Send,
)

__all__ = ["BEARER_SCHEME", "OPEN_PATHS", "api_key_middleware", "key_matches"]

logger = logging.getLogger(__name__)

# The name of the security scheme in the OpenAPI document.
BEARER_SCHEME: Final = "bearer"
OPEN_PATHS: Final = frozenset({"/health", "/redoc", "/openapi.json", "/docs"})
_OPEN_PREFIXES: Final = ("/docs/",)

_MISSING_BODY: Final = (
    b'{"detail":"an API key is required: send the header Authorization: Bearer <key>"}'
)
_INVALID_BODY: Final = b'{"detail":"the API key is not valid"}'


def key_matches(candidate: bytes, keys: Sequence[bytes]) -> bool:
    """Whether `candidate` is one of `keys`, in time that does not depend on which."""
    found = False
    for key in keys:
        # No short cut: every key is compared, whatever the earlier ones gave.
        found |= hmac.compare_digest(candidate, key)
    return found


def _bearer_token(scope: Scope) -> bytes | None:
    """The token of an `Authorization: Bearer` header, or None."""
    for name, value in scope["headers"]:
        if name == b"authorization":
            scheme, _, token = value.strip().partition(b" ")
            if scheme.lower() == b"bearer" and token.strip():
                return token.strip()
            return None
    return None


def _is_open(path: str) -> bool:
    return path in OPEN_PATHS or path.startswith(_OPEN_PREFIXES)


def api_key_middleware(keys: Sequence[str]) -> Callable[[ASGIApp], ASGIApp]:
    """Middleware that answers 401 to a request without one of `keys`."""
    encoded = [key.encode() for key in keys]

    def middleware_factory(app: ASGIApp) -> ASGIApp:
        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != ScopeType.HTTP or _is_open(scope["path"]):
                await app(scope, receive, send)
                return
            token = _bearer_token(scope)
            if token is not None and key_matches(token, encoded):
                await app(scope, receive, send)
                return
            challenge = b"Bearer" if token is None else b'Bearer error="invalid_token"'
            body = _MISSING_BODY if token is None else _INVALID_BODY
            logger.info(
                "refused a request without a valid API key",
                extra={"action": "unauthorized", "key_given": token is not None},
            )
            start: HTTPResponseStartEvent = {
                "type": "http.response.start",
                "status": 401,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"www-authenticate", challenge),
                ],
            }
            await send(start)
            end: HTTPResponseBodyEvent = {
                "type": "http.response.body",
                "body": body,
                "more_body": False,
            }
            await send(end)

        return middleware

    return middleware_factory
