"""The SQL API used directly through psycopg, as any PostgreSQL client would."""

from __future__ import annotations

import uuid
from typing import Any, LiteralString

import psycopg
import pytest
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb


class RollbackError(Exception):
    """Raised inside a transaction to make it roll back."""


def _unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def _rows(
    conn: psycopg.Connection[Any], query: LiteralString, *args: object
) -> list[dict[str, Any]]:
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(query, args)
        return cur.fetchall()


def _topic_with_queue(conn: psycopg.Connection[Any]) -> tuple[str, str]:
    topic, queue = _unique("topic"), _unique("queue")
    _rows(conn, "SELECT * FROM fastqueue.create_topic(%s)", topic)
    _rows(
        conn,
        "SELECT * FROM fastqueue.create_queue(%s, p_topic_id => %s)",
        queue,
        topic,
    )
    return topic, queue


def _drop(conn: psycopg.Connection[Any], topic: str, queue: str) -> None:
    _rows(conn, "SELECT fastqueue.delete_queue(%s)", queue)
    _rows(conn, "SELECT fastqueue.delete_topic(%s)", topic)


def test_publish_lease_ack_round_trip(conn: psycopg.Connection[Any]) -> None:
    topic, queue = _topic_with_queue(conn)
    published = _rows(
        conn,
        "SELECT * FROM fastqueue.publish(%s, %s, %s)",
        topic,
        Jsonb({"order": 1}),
        Jsonb({"kind": "new"}),
    )
    assert [m["queue_id"] for m in published] == [queue]

    leased = _rows(conn, "SELECT * FROM fastqueue.lease(%s, 5)", queue)
    assert [m["id"] for m in leased] == [published[0]["id"]]
    assert leased[0]["data"] == {"order": 1}
    assert leased[0]["delivery_attempts"] == 1

    _rows(conn, "SELECT fastqueue.ack(%s)", leased[0]["id"])
    assert _rows(conn, "SELECT * FROM fastqueue.lease(%s)", queue) == []
    _drop(conn, topic, queue)


def test_errors_carry_their_sqlstate(conn: psycopg.Connection[Any]) -> None:
    with pytest.raises(psycopg.Error) as caught:
        _rows(conn, "SELECT * FROM fastqueue.get_queue(%s)", _unique("missing"))
    assert caught.value.sqlstate == "FQ002"

    with pytest.raises(psycopg.Error) as caught:
        _rows(conn, "SELECT * FROM fastqueue.create_topic(%s)", "not valid!")
    assert caught.value.sqlstate == "FQ201"


def test_publish_is_rolled_back_with_the_callers_transaction(
    conn: psycopg.Connection[Any],
) -> None:
    topic, queue = _topic_with_queue(conn)

    def publish_then_fail() -> None:
        with conn.transaction():
            _rows(conn, "SELECT fastqueue.publish(%s, %s)", topic, Jsonb({"n": 1}))
            raise RollbackError

    with pytest.raises(RollbackError):
        publish_then_fail()

    stats = _rows(conn, "SELECT * FROM fastqueue.get_queue_stats(%s)", queue)
    assert stats[0]["num_undelivered_messages"] == 0
    _drop(conn, topic, queue)
