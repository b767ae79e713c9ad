"""Routes of queues: create, read, list, replace, patch, delete, stats, purge,
redrive."""

from __future__ import annotations

from typing import Any, Final

from litestar import Response, delete, get, patch, post, put
from litestar.types import ControllerRouterHandler

from fastqueue import _queries as queries
from fastqueue._http import Limit, Offset, json_response, spec, with_errors
from fastqueue.db import Database
from fastqueue.schemas import (
    Queue,
    QueueIn,
    QueueList,
    QueuePatch,
    QueueStats,
    QueueUpdate,
    RedriveIn,
    encode_json,
)

__all__ = ["ROUTES"]

_TAGS: Final = ["queues"]


def _definition(queue_id: str, data: QueueIn | QueueUpdate) -> dict[str, Any]:
    """The parameters of CREATE_QUEUE and UPDATE_QUEUE."""
    filters = data.message_filters
    return {
        "queue_id": queue_id,
        "topic_id": data.topic_id,
        "dead_queue_id": data.dead_queue_id,
        "ack_deadline_seconds": data.ack_deadline_seconds,
        "message_retention_seconds": data.message_retention_seconds,
        "message_filters": None if filters is None else encode_json(filters),
        "message_max_deliveries": data.message_max_deliveries,
        "delivery_delay_seconds": data.delivery_delay_seconds,
        "retry_min_backoff_seconds": data.retry_min_backoff_seconds,
        "retry_max_backoff_seconds": data.retry_max_backoff_seconds,
    }


@post(
    "/queues",
    status_code=201,
    tags=_TAGS,
    summary="Create a queue",
    description="retry_min_backoff_seconds (and optionally "
    "retry_max_backoff_seconds) make a nacked message wait before its next "
    "delivery, doubling with each delivery.",
    responses=with_errors({201: spec(Queue, "The new queue.")}, 409, 413, 415, 422),
)
async def create_queue(db: Database, data: QueueIn) -> Response[bytes]:
    body = await db.fetch_json(queries.CREATE_QUEUE, _definition(data.id, data))
    return json_response(body, 201)


@get(
    "/queues",
    tags=_TAGS,
    summary="List queues, ordered by id",
    responses=with_errors({200: spec(QueueList, "One page of queues.")}, 422),
)
async def list_queues(
    db: Database, offset: Offset = 0, limit: Limit = 10
) -> Response[bytes]:
    params = {"offset": offset, "limit": limit}
    return json_response(await db.fetch_json(queries.LIST_QUEUES, params))


@get(
    "/queues/{queue_id:str}",
    tags=_TAGS,
    summary="Read a queue",
    responses=with_errors({200: spec(Queue, "The queue.")}, 404),
)
async def get_queue(db: Database, queue_id: str) -> Response[bytes]:
    return json_response(await db.fetch_json(queries.GET_QUEUE, {"queue_id": queue_id}))


@put(
    "/queues/{queue_id:str}",
    tags=_TAGS,
    summary="Replace the whole definition of a queue",
    description="Omitted fields take their defaults. A new ack deadline applies "
    "from the next lease, a new retry back-off from the next nack; the other "
    "fields apply to later publishes.",
    responses=with_errors({200: spec(Queue, "The queue.")}, 404, 413, 415, 422),
)
async def update_queue(
    db: Database, queue_id: str, data: QueueUpdate
) -> Response[bytes]:
    body = await db.fetch_json(queries.UPDATE_QUEUE, _definition(queue_id, data))
    return json_response(body)


@patch(
    "/queues/{queue_id:str}",
    tags=_TAGS,
    summary="Change some fields of a queue",
    description="Fields given take their new value (null clears one); the others "
    "keep theirs. retry_max_backoff_seconds needs retry_min_backoff_seconds: "
    "clear both to turn the back-off off.",
    responses=with_errors({200: spec(Queue, "The queue.")}, 404, 413, 415, 422),
)
async def patch_queue(db: Database, queue_id: str, data: QueuePatch) -> Response[bytes]:
    params = {"queue_id": queue_id, "changes": encode_json(data)}
    return json_response(await db.fetch_json(queries.PATCH_QUEUE, params))


@delete(
    "/queues/{queue_id:str}",
    tags=_TAGS,
    summary="Delete a queue and its messages",
    responses=with_errors({}, 404),
)
async def delete_queue(db: Database, queue_id: str) -> None:
    await db.fetch_value(queries.DELETE_QUEUE, {"queue_id": queue_id})


@get(
    "/queues/{queue_id:str}/stats",
    tags=_TAGS,
    summary="Count the queue's messages by kind, with the age of the oldest",
    description="Messages available now and the age of the oldest of them (the "
    "original's two fields), then those leased, delayed and waiting for the dead "
    "queue, and the age of the oldest message of any kind. Counts come from the "
    "queue's running total, not from a scan of its backlog.",
    responses=with_errors({200: spec(QueueStats, "The queue's figures.")}, 404),
)
async def get_queue_stats(db: Database, queue_id: str) -> Response[bytes]:
    params = {"queue_id": queue_id}
    return json_response(await db.fetch_json(queries.GET_QUEUE_STATS, params))


@put(
    "/queues/{queue_id:str}/purge",
    status_code=204,
    tags=_TAGS,
    summary="Delete every message of a queue",
    responses=with_errors({}, 404),
)
async def purge_queue(db: Database, queue_id: str) -> None:
    await db.fetch_value(queries.PURGE_QUEUE, {"queue_id": queue_id})


@put(
    "/queues/{queue_id:str}/redrive",
    status_code=204,
    tags=_TAGS,
    summary="Move the available messages of a queue to another queue",
    description="Typically from a dead queue back to the queue it serves: with "
    "`{}`, each message goes back to the queue it was dead-lettered from. limit "
    "moves only that many, oldest first. The destination's filter is not applied.",
    responses=with_errors({}, 404, 413, 415, 422),
)
async def redrive_queue(db: Database, queue_id: str, data: RedriveIn) -> None:
    params = {
        "queue_id": queue_id,
        "destination_queue_id": data.destination_queue_id,
        "limit": data.limit,
    }
    await db.fetch_value(queries.REDRIVE_QUEUE, params)


ROUTES: Final[list[ControllerRouterHandler]] = [
    create_queue,
    list_queues,
    get_queue,
    update_queue,
    patch_queue,
    delete_queue,
    get_queue_stats,
    purge_queue,
    redrive_queue,
]
