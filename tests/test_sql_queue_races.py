"""Concurrent changes to queue definitions, with real sessions.

Each test holds one session inside an open transaction while a second session
makes a conflicting change, and checks that neither change is lost and that no
rule (no cycle of dead queues, no dangling dead queue) is broken.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from typing import Any, LiteralString

import psycopg
import pytest
from psycopg.types.json import Jsonb

WAIT_SECONDS = 10.0


def _unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def sessions(db_url: str) -> Iterator[tuple[psycopg.Connection[Any], ...]]:
    """Two sessions; the first starts out autocommit, like the second."""
    first = psycopg.connect(db_url, autocommit=True)
    second = psycopg.connect(db_url, autocommit=True)
    try:
        yield first, second
    finally:
        first.close()
        second.close()


def _run(conn: psycopg.Connection[Any], query: LiteralString, *args: object) -> Any:
    row = conn.execute(query, args).fetchone()
    return None if row is None else row[0]


def _in_thread(
    conn: psycopg.Connection[Any], query: LiteralString, *args: object
) -> tuple[threading.Thread, list[BaseException]]:
    errors: list[BaseException] = []

    def target() -> None:
        try:
            _run(conn, query, *args)
        except BaseException as error:  # handed to the test, which asserts on it
            errors.append(error)

    thread = threading.Thread(target=target)
    thread.start()
    return thread, errors


def _queue(conn: psycopg.Connection[Any], queue_id: str) -> dict[str, Any]:
    row = conn.execute(
        "SELECT to_jsonb(q) FROM fastqueue.get_queue(%s) AS q", (queue_id,)
    ).fetchone()
    assert row is not None
    result: dict[str, Any] = row[0]
    return result


def _cleanup(conn: psycopg.Connection[Any], *queue_ids: str) -> None:
    for queue_id in queue_ids:
        conn.execute(
            "SELECT fastqueue.delete_queue(id) FROM fastqueue.queue WHERE id = %s",
            (queue_id,),
        )


PATCH: LiteralString = "SELECT fastqueue.patch_queue(%s, %s)"


def test_concurrent_patches_of_one_queue_both_take_effect(
    sessions: tuple[psycopg.Connection[Any], ...],
) -> None:
    first, second = sessions
    queue = _unique("race")
    _run(first, "SELECT fastqueue.create_queue(%s)", queue)

    with first.transaction():
        _run(first, PATCH, queue, Jsonb({"ack_deadline_seconds": 60}))
        thread, errors = _in_thread(
            second, PATCH, queue, Jsonb({"delivery_delay_seconds": 5})
        )
        thread.join(0.5)
        assert thread.is_alive(), "the second patch should wait for the first"
    thread.join(WAIT_SECONDS)

    assert errors == []
    definition = _queue(first, queue)
    assert definition["ack_deadline_seconds"] == 60
    assert definition["delivery_delay_seconds"] == 5
    _cleanup(first, queue)


def test_a_cycle_cannot_be_closed_under_repeatable_read(
    sessions: tuple[psycopg.Connection[Any], ...],
) -> None:
    first, second = sessions
    a, b, c = _unique("tri-a"), _unique("tri-b"), _unique("tri-c")
    for queue in (a, b, c):
        _run(first, "SELECT fastqueue.create_queue(%s)", queue)
    _run(first, PATCH, c, Jsonb({"dead_queue_id": a, "message_max_deliveries": 3}))

    second.autocommit = False
    second.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
    _run(second, "SELECT count(*) FROM fastqueue.queue")  # takes the snapshot
    _run(first, PATCH, a, Jsonb({"dead_queue_id": b, "message_max_deliveries": 3}))

    with pytest.raises(psycopg.Error) as caught:
        _run(second, PATCH, b, Jsonb({"dead_queue_id": c, "message_max_deliveries": 3}))
    assert caught.value.sqlstate in {"40001", "FQ204"}
    second.rollback()
    second.autocommit = True

    assert _queue(first, b)["dead_queue_id"] is None
    _cleanup(first, c, a, b)


def test_deleting_a_dead_queue_detaches_a_queue_that_just_started_using_it(
    sessions: tuple[psycopg.Connection[Any], ...],
) -> None:
    first, second = sessions
    queue, dead = _unique("user"), _unique("dead")
    _run(first, "SELECT fastqueue.create_queue(%s)", queue)
    _run(first, "SELECT fastqueue.create_queue(%s)", dead)

    with first.transaction():
        _run(
            first,
            PATCH,
            queue,
            Jsonb({"dead_queue_id": dead, "message_max_deliveries": 3}),
        )
        thread, errors = _in_thread(second, "SELECT fastqueue.delete_queue(%s)", dead)
        thread.join(0.5)
        assert thread.is_alive(), "the delete should wait for the patch"
    thread.join(WAIT_SECONDS)

    assert errors == []
    definition = _queue(first, queue)
    assert definition["dead_queue_id"] is None
    assert definition["message_max_deliveries"] is None
    _cleanup(first, queue)


def test_a_publish_racing_a_queue_delete_reaches_the_other_queues(
    sessions: tuple[psycopg.Connection[Any], ...],
) -> None:
    first, second = sessions
    topic, doomed, stable = _unique("topic"), _unique("doomed"), _unique("stable")
    _run(first, "SELECT fastqueue.create_topic(%s)", topic)
    for queue in (doomed, stable):
        _run(first, "SELECT fastqueue.create_queue(%s, p_topic_id => %s)", queue, topic)

    with first.transaction():
        _run(first, "SELECT fastqueue.delete_queue(%s)", doomed)
        thread, errors = _in_thread(
            second, "SELECT count(*) FROM fastqueue.publish(%s, '{}')", topic
        )
        thread.join(0.5)
        assert thread.is_alive(), "the publish should wait for the delete"
    thread.join(WAIT_SECONDS)

    assert errors == []
    counts = first.execute(
        "SELECT queue_id, count(*) FROM fastqueue.message"
        " WHERE queue_id IN (%s, %s) GROUP BY queue_id",
        (doomed, stable),
    ).fetchall()
    assert counts == [(stable, 1)]
    _cleanup(first, stable)
    _run(first, "SELECT fastqueue.delete_topic(%s)", topic)
