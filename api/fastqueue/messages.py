"""Routes of messages: publish to a topic (one or a batch), lease from a queue,
ack, nack (one or a batch), move an ack deadline, and look at messages without
leasing them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any, Final
from uuid import UUID

from litestar import Request, Response, get, post, put
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import Parameter
from litestar.types import ControllerRouterHandler

from fastqueue import _queries as queries
from fastqueue._http import json_response, provide_wait_registry, spec, with_errors
from fastqueue.body import EXACT_NUMBERS
from fastqueue.db import Database
from fastqueue.schemas import (
    BatchPublishIn,
    DeadlineIn,
    ErrorBody,
    Message,
    MessageList,
    NackBatchIn,
    PublishIn,
    SettleBatchIn,
    SettleResult,
    encode_json,
)
from fastqueue.waiting import lease_waiting

__all__ = ["ROUTES"]

_TAGS: Final = ["messages"]
# A lease hands out messages once: no cache may answer it again.
_NO_STORE: Final = {"Cache-Control": "no-store"}

LeaseLimit = Annotated[
    int, Parameter(ge=1, le=100, description="Most messages to return.")
]
WaitSeconds = Annotated[
    int,
    Parameter(
        ge=0,
        le=20,
        description="Long polling: when no message is available, wait up to this "
        "many seconds (0 to 20) for one, and answer as soon as one can be leased; "
        "an empty list after that. 0, the default, answers at once.",
    ),
]
PeekLimit = Annotated[
    int, Parameter(ge=1, le=1000, description="Most messages to show.")
]
IdempotencyKey = Annotated[
    str | None,
    Parameter(
        header="Idempotency-Key",
        min_length=1,
        max_length=255,
        required=False,
        description="1 to 255 characters. A retry with the same key to the same "
        "topic within fastqueue_idempotency_window_seconds creates nothing and "
        "answers with the messages the first request created.",
    ),
]
Receipt = Annotated[
    UUID | None,
    Parameter(
        required=False,
        description="The receipt the lease returned with the message. With it, "
        "the request is refused (409) if the message was given back or leased "
        "again since; without it, the message id alone is enough.",
    ),
]

NackDelay = Annotated[
    int | None,
    Parameter(
        ge=0,
        le=900,
        required=False,
        description="0 to 900 seconds before the message is deliverable again, "
        "instead of the queue's retry back-off; 0 gives it back at once. Ignored "
        "after the message's last allowed delivery: it goes to the dead queue now.",
    ),
]

_STALE: Final = ResponseSpec(
    data_container=ErrorBody,
    description="The receipt is stale: the message was given back or leased "
    "again after this delivery (FQ103); for a deadline, also a message that is "
    "not leased (FQ104). Nothing changed.",
    generate_examples=False,
)


def _with_stale(
    success: dict[int, ResponseSpec], *status_codes: int
) -> dict[int, ResponseSpec]:
    return {**with_errors(success, *status_codes), 409: _STALE}


# --- publish -----------------------------------------------------------------


@post(
    "/topics/{topic_id:str}/messages",
    status_code=201,
    tags=_TAGS,
    # The message's numbers reach PostgreSQL exactly as sent (see fastqueue.body).
    opt={EXACT_NUMBERS: True},
    summary="Publish a message to every queue of the topic whose filter matches",
    description="delay_seconds (0 to 900) hides the message for that long, "
    "whatever the queues' delivery delay.",
    responses=with_errors(
        {201: spec(MessageList, "The message as stored in each queue.")},
        *(404, 413, 415, 422),
    ),
)
async def publish(
    db: Database,
    topic_id: str,
    data: PublishIn,
    idempotency_key: IdempotencyKey = None,
) -> Response[bytes]:
    attributes = data.attributes
    params = {
        "topic_id": topic_id,
        "data": encode_json(data.data),
        "attributes": None if attributes is None else encode_json(attributes),
        "delay_seconds": data.delay_seconds,
        "idempotency_key": idempotency_key,
        "idempotency_window_seconds": db.idempotency_window_seconds,
    }
    return json_response(await db.fetch_json(queries.PUBLISH, params), 201)


@post(
    "/topics/{topic_id:str}/messages/batch",
    status_code=201,
    tags=_TAGS,
    opt={EXACT_NUMBERS: True},
    summary="Publish up to 1000 messages at once, all or none",
    description="One statement: if one message is invalid, none is published "
    "(the error names its position, from 1).",
    responses=with_errors(
        {201: spec(MessageList, "Every copy created, in the order given.")},
        *(404, 413, 415, 422),
    ),
)
async def publish_batch(
    db: Database,
    topic_id: str,
    data: BatchPublishIn,
    idempotency_key: IdempotencyKey = None,
) -> Response[bytes]:
    params = {
        "topic_id": topic_id,
        "messages": encode_json(data.messages),
        "idempotency_key": idempotency_key,
        "idempotency_window_seconds": db.idempotency_window_seconds,
    }
    return json_response(await db.fetch_json(queries.PUBLISH_BATCH, params), 201)


# --- consume -----------------------------------------------------------------


@get(
    "/queues/{queue_id:str}/messages",
    tags=_TAGS,
    summary="Lease the oldest available messages of a queue",
    description="Each message stays hidden until the queue's ack deadline, then "
    "comes back unless acked. Delivery is at least once. Each message carries "
    "the receipt of this delivery. With wait_seconds, an empty queue is waited "
    "on: a message published meanwhile is answered within milliseconds, one "
    "whose delay or lease ends within about a second; a server that shuts down "
    "answers its waiting requests at once, with an empty list.",
    responses=with_errors({200: spec(MessageList, "The leased messages.")}, 404, 422),
)
async def lease(
    db: Database,
    request: Request[Any, Any, Any],
    queue_id: str,
    limit: LeaseLimit = 10,
    wait_seconds: WaitSeconds = 0,
) -> Response[bytes]:
    if wait_seconds == 0:
        params = {"queue_id": queue_id, "limit": limit}
        body = await db.fetch_json(queries.LEASE, params)
    else:
        waits = provide_wait_registry(request.app.state)
        body = await lease_waiting(
            waits, queue_id, limit, wait_seconds, _disconnect_of(request)
        )
    return json_response(body, headers=_NO_STORE)


def _disconnect_of(request: Request[Any, Any, Any]) -> Callable[[], Awaitable[None]]:
    """What returns when the client of a long poll goes away (closes its socket)."""

    async def disconnected() -> None:
        while (await request.receive())["type"] != "http.disconnect":
            pass

    return disconnected


@put(
    "/messages/{message_id:str}/ack",
    status_code=204,
    tags=_TAGS,
    summary="Acknowledge a message: it is done and deleted",
    responses=_with_stale({}, 404, 422),
)
async def ack(db: Database, message_id: UUID, receipt: Receipt = None) -> None:
    await db.fetch_value(queries.ACK, {"message_id": message_id, "receipt": receipt})


@put(
    "/messages/{message_id:str}/nack",
    status_code=204,
    tags=_TAGS,
    summary="Give a leased message back",
    description="The message is deliverable again after delay_seconds if given, "
    "else after the queue's retry back-off if it has one, else at once; until "
    "then it counts as delayed. After its last allowed delivery it moves to the "
    "dead queue at once. A message that is not leased is left as it is.",
    responses=_with_stale({}, 404, 422),
)
async def nack(
    db: Database,
    message_id: UUID,
    receipt: Receipt = None,
    delay_seconds: NackDelay = None,
) -> None:
    params = {
        "message_id": message_id,
        "receipt": receipt,
        "delay_seconds": delay_seconds,
    }
    await db.fetch_value(queries.NACK, params)


@put(
    "/messages/{message_id:str}/deadline",
    tags=_TAGS,
    summary="Move the ack deadline of a leased message",
    description="The message stays hidden for `seconds` from now (0 gives it back "
    "at once, keeping its delivery count).",
    responses=_with_stale(
        {200: spec(Message, "The message with its new deadline (scheduled_at).")},
        *(404, 413, 415, 422),
    ),
)
async def set_deadline(
    db: Database, message_id: UUID, data: DeadlineIn, receipt: Receipt = None
) -> Response[bytes]:
    params = {"message_id": message_id, "seconds": data.seconds, "receipt": receipt}
    return json_response(await db.fetch_json(queries.SET_DEADLINE, params))


@put(
    "/messages/ack",
    tags=_TAGS,
    summary="Acknowledge up to 1000 messages",
    description="Each message is settled on its own: an unknown id or a stale "
    "receipt does not stop the others.",
    responses=with_errors(
        {200: spec(SettleResult, "What happened to each id.")}, 413, 415, 422
    ),
)
async def ack_batch(db: Database, data: SettleBatchIn) -> Response[bytes]:
    params = {"messages": encode_json(data.messages)}
    return json_response(await db.fetch_json(queries.ACK_BATCH, params))


@put(
    "/messages/nack",
    tags=_TAGS,
    summary="Give back up to 1000 leased messages",
    description="Each message is settled on its own, as PUT "
    "/messages/{message_id}/nack does it, with the item's delay_seconds if given.",
    responses=with_errors(
        {200: spec(SettleResult, "What happened to each id.")}, 413, 415, 422
    ),
)
async def nack_batch(db: Database, data: NackBatchIn) -> Response[bytes]:
    params = {"messages": encode_json(data.messages)}
    return json_response(await db.fetch_json(queries.NACK_BATCH, params))


# --- look without leasing ----------------------------------------------------


@get(
    "/messages/{message_id:str}",
    tags=_TAGS,
    summary="Read one message without leasing it",
    description="Its receipt is never shown.",
    responses=with_errors({200: spec(Message, "The message.")}, 404, 422),
)
async def get_message(db: Database, message_id: UUID) -> Response[bytes]:
    params = {"message_id": message_id}
    return json_response(await db.fetch_json(queries.GET_MESSAGE, params))


@get(
    "/queues/{queue_id:str}/messages/peek",
    tags=_TAGS,
    summary="Show the messages of a queue without leasing them",
    description="Unexpired messages, leased and delayed ones included, in the "
    "order a lease would take them; receipts are never shown.",
    responses=with_errors({200: spec(MessageList, "The messages.")}, 404, 422),
)
async def peek(db: Database, queue_id: str, limit: PeekLimit = 10) -> Response[bytes]:
    params = {"queue_id": queue_id, "limit": limit}
    return json_response(await db.fetch_json(queries.PEEK, params))


ROUTES: Final[list[ControllerRouterHandler]] = [
    publish,
    publish_batch,
    lease,
    ack,
    nack,
    set_deadline,
    ack_batch,
    nack_batch,
    get_message,
    peek,
]
