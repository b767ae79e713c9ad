"""Where the API documents itself: Swagger UI at /docs, Redoc at /redoc, and the
OpenAPI schema at /openapi.json.

Litestar serves its documentation router under one path (here /docs) and answers
unknown paths below it with an HTML page; mounted at / that page would shadow
the JSON 404 of every unknown path, so /redoc and /openapi.json are served by
the two small handlers below instead.
"""

from __future__ import annotations

from typing import Any, Final

from litestar import MediaType, Request, get
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import (
    JsonRenderPlugin,
    RedocRenderPlugin,
    SwaggerRenderPlugin,
)
from litestar.openapi.spec import Components, SecurityRequirement, SecurityScheme

from fastqueue import __version__
from fastqueue.auth import BEARER_SCHEME

__all__ = ["ROUTES", "openapi_config"]

_DESCRIPTION: Final = (
    "A topic and queue message system that lives inside PostgreSQL. Publish to a "
    "topic, lease from its queues, ack or nack. Every error answers "
    '`{"detail": "..."}`.'
)
_REDOC: Final = RedocRenderPlugin()
_JSON: Final = JsonRenderPlugin()


def openapi_config(*, api_keys: bool = False) -> OpenAPIConfig:
    """Swagger UI at /docs, and the schema at /docs/openapi.json.

    With `api_keys`, the document declares the bearer scheme and requires it
    everywhere; the app opens /health again (see fastqueue.app).
    """
    components = Components()
    security: list[SecurityRequirement] | None = None
    if api_keys:
        components.security_schemes = {
            BEARER_SCHEME: SecurityScheme(
                type="http",
                scheme="bearer",
                description="One of the keys of fastqueue_api_keys, sent as "
                "`Authorization: Bearer <key>`.",
            )
        }
        security = [{BEARER_SCHEME: []}]
    return OpenAPIConfig(
        title="fastqueue",
        version=__version__,
        description=_DESCRIPTION,
        components=components,
        security=security,
        path="/docs",
        render_plugins=[
            SwaggerRenderPlugin(path="/"),
            RedocRenderPlugin(path="/redoc"),
            JsonRenderPlugin(path="/openapi.json"),
        ],
    )


@get("/redoc", include_in_schema=False, media_type=MediaType.HTML)
async def redoc(request: Request[Any, Any, Any]) -> bytes:
    return _REDOC.render(request, request.app.openapi_schema.to_schema())


@get("/openapi.json", include_in_schema=False, media_type=_JSON.media_type)
async def openapi_json(request: Request[Any, Any, Any]) -> bytes:
    return _JSON.render(request, request.app.openapi_schema.to_schema())


ROUTES: Final = [redoc, openapi_json]
