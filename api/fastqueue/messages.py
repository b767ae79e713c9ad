"""Routes of messages: publish to a topic, lease from a queue, ack, nack."""

from __future__ import annotations

from typing import Annotated, Final
from uuid import UUID

from litestar import Response, get, post, put
from litestar.params import Parameter
from litestar.types import ControllerRouterHandler

from fastqueue import _queries as queries
from fastqueue._http import json_response, spec, with_errors
from fastqueue.db import Database
from fastqueue.schemas import MessageList, PublishIn, encode_json

__all__ = ["ROUTES"]

_TAGS: Final = ["messages"]
# A lease hands out messages once: no cache may answer it again.
_NO_STORE: Final = {"Cache-Control": "no-store"}

LeaseLimit = Annotated[
    int, Parameter(ge=1, le=100, description="Most messages to return.")
]


@post(
    "/topics/{topic_id:str}/messages",
    status_code=201,
    tags=_TAGS,
    summary="Publish a message to every queue of the topic whose filter matches",
    responses=with_errors(
        {201: spec(MessageList, "The message as stored in each queue.")}, 404, 413, 422
    ),
)
async def publish(db: Database, topic_id: str, data: PublishIn) -> Response[bytes]:
    attributes = data.attributes
    params = {
        "topic_id": topic_id,
        "data": encode_json(data.data),
        "attributes": None if attributes is None else encode_json(attributes),
    }
    return json_response(await db.fetch_json(queries.PUBLISH, params), 201)


@get(
    "/queues/{queue_id:str}/messages",
    tags=_TAGS,
    summary="Lease the oldest available messages of a queue",
    description="Each message stays hidden until the queue's ack deadline, then "
    "comes back unless acked. Delivery is at least once.",
    responses=with_errors({200: spec(MessageList, "The leased messages.")}, 404, 422),
)
async def lease(db: Database, queue_id: str, limit: LeaseLimit = 10) -> Response[bytes]:
    params = {"queue_id": queue_id, "limit": limit}
    body = await db.fetch_json(queries.LEASE, params)
    return json_response(body, headers=_NO_STORE)


@put(
    "/messages/{message_id:str}/ack",
    status_code=204,
    tags=_TAGS,
    summary="Acknowledge a message: it is done and deleted",
    responses=with_errors({}, 404),
)
async def ack(db: Database, message_id: UUID) -> None:
    await db.fetch_value(queries.ACK, {"message_id": message_id})


@put(
    "/messages/{message_id:str}/nack",
    status_code=204,
    tags=_TAGS,
    summary="Give a leased message back: it is deliverable again now",
    responses=with_errors({}, 404),
)
async def nack(db: Database, message_id: UUID) -> None:
    await db.fetch_value(queries.NACK, {"message_id": message_id})


ROUTES: Final[list[ControllerRouterHandler]] = [publish, lease, ack, nack]
