"""Routes of topics: create, read, list, delete."""

from __future__ import annotations

from typing import Final

from litestar import Response, delete, get, post
from litestar.types import ControllerRouterHandler

from fastqueue import _queries as queries
from fastqueue._http import Limit, Offset, json_response, spec, with_errors
from fastqueue.db import Database
from fastqueue.schemas import Topic, TopicIn, TopicList

__all__ = ["ROUTES"]

_TAGS: Final = ["topics"]


@post(
    "/topics",
    status_code=201,
    tags=_TAGS,
    summary="Create a topic",
    responses=with_errors({201: spec(Topic, "The new topic.")}, 409, 413, 415, 422),
)
async def create_topic(db: Database, data: TopicIn) -> Response[bytes]:
    body = await db.fetch_json(queries.CREATE_TOPIC, {"topic_id": data.id})
    return json_response(body, 201)


@get(
    "/topics",
    tags=_TAGS,
    summary="List topics, ordered by id",
    responses=with_errors({200: spec(TopicList, "One page of topics.")}, 422),
)
async def list_topics(
    db: Database, offset: Offset = 0, limit: Limit = 10
) -> Response[bytes]:
    params = {"offset": offset, "limit": limit}
    return json_response(await db.fetch_json(queries.LIST_TOPICS, params))


@get(
    "/topics/{topic_id:str}",
    tags=_TAGS,
    summary="Read a topic",
    responses=with_errors({200: spec(Topic, "The topic.")}, 404),
)
async def get_topic(db: Database, topic_id: str) -> Response[bytes]:
    return json_response(await db.fetch_json(queries.GET_TOPIC, {"topic_id": topic_id}))


@delete(
    "/topics/{topic_id:str}",
    tags=_TAGS,
    summary="Delete a topic; its queues stay, detached",
    responses=with_errors({}, 404),
)
async def delete_topic(db: Database, topic_id: str) -> None:
    await db.fetch_value(queries.DELETE_TOPIC, {"topic_id": topic_id})


ROUTES: Final[list[ControllerRouterHandler]] = [
    create_topic,
    list_topics,
    get_topic,
    delete_topic,
]
