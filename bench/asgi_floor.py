"""The floor under the HTTP figures: a bare ASGI app that publishes as the API does.

Served by the same uvicorn (uvloop, httptools, one worker) with the same psycopg
pool, it makes the same call to `fastqueue.publish` with the same parameters, and
answers `GET /health` with the same trivial query. It skips everything else the
API does: routing beyond two paths, validation, the duplicate-key check, error
answers, middleware. What it reaches is what any Python layer on uvicorn and
psycopg could reach on the machine; the API's figure beside it shows what
Litestar and the API's own checks cost.

It is a benchmark fixture, not a server to use: a malformed body fails the
request with a 500. Run by bench/http_bench.py:

    uvicorn --app-dir bench asgi_floor:app

with the API's settings (`fastqueue_database_url`, `fastqueue_pool_size`...) in
the environment.
"""

from __future__ import annotations

from typing import Any

import msgspec
from fastqueue import _queries as queries
from fastqueue.db import Database, create_pool
from fastqueue.settings import load_settings

_DECODER = msgspec.json.Decoder()
_ENCODER = msgspec.json.Encoder()
_JSON = [(b"content-type", b"application/json")]
_HEALTHY = b'{"success":true}'


class _App:
    def __init__(self) -> None:
        self.db: Database | None = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http" or self.db is None:
            return
        body = b""
        more = True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        parts = scope["path"].split("/")
        if scope["method"] == "GET" and scope["path"] == "/health":
            await self.db.fetch_value(queries.HEALTH, {})
            await _answer(send, 200, _HEALTHY)
        elif scope["method"] == "POST" and len(parts) == 4 and parts[3] == "messages":
            message = _DECODER.decode(body)
            attributes = message.get("attributes")
            params = {
                "topic_id": parts[2],
                "data": _ENCODER.encode(message["data"]).decode(),
                "attributes": None
                if attributes is None
                else _ENCODER.encode(attributes).decode(),
                "delay_seconds": message.get("delay_seconds"),
                "idempotency_key": None,
                "idempotency_window_seconds": self.db.idempotency_window_seconds,
            }
            await _answer(send, 201, await self.db.fetch_json(queries.PUBLISH, params))
        else:
            await _answer(send, 404, b'{"detail":"not found"}')

    async def _lifespan(self, receive: Any, send: Any) -> None:
        # The API's own settings and pool, from the same environment variables.
        settings = load_settings()
        pool = create_pool(settings)
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await pool.open(wait=True, timeout=settings.pool_timeout_seconds)
                self.db = Database(
                    pool,
                    idempotency_window_seconds=settings.idempotency_window_seconds,
                )
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await pool.close()
                await send({"type": "lifespan.shutdown.complete"})
                return


async def _answer(send: Any, status: int, body: bytes) -> None:
    await send({"type": "http.response.start", "status": status, "headers": _JSON})
    await send({"type": "http.response.body", "body": body})


app = _App()
