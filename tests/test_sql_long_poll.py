"""Long polling in SQL with real sessions: arming against publishes in flight.

fastqueue.lease_wait arms a listener for a queue and leases one last time;
publish notifies armed queues. These tests hold a publish open in one session
while another arms, to prove that no wake-up is lost, that publishers never
wait for each other or for a waiter, and that one wake-up covers a burst.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

DATABASE_URL = os.environ.get(
    "FASTQUEUE_TEST_DATABASE_URL",
    "postgresql://fastqueue:fastqueue@127.0.0.1:54329/fastqueue",
)
Conn = psycopg.Connection[Any]

# How long a session may wait on a lock before the test calls it blocked.
LOCK_TIMEOUT = "1s"
NOTIFY_SECONDS = 1.0


def _connect(*, autocommit: bool = True) -> Conn:
    conn = psycopg.connect(DATABASE_URL, autocommit=autocommit)
    conn.execute(f"SET lock_timeout = '{LOCK_TIMEOUT}'")
    if not autocommit:
        conn.commit()
    return conn


@pytest.fixture
def queue() -> Iterator[tuple[str, str]]:
    """A topic and its one queue, deleted at the end."""
    suffix = uuid.uuid4().hex[:12]
    topic_id, queue_id = f"sqlpoll-{suffix}", f"sqlpoll-{suffix}"
    with _connect() as conn:
        conn.execute("SELECT fastqueue.create_topic(%s)", (topic_id,))
        conn.execute("SELECT fastqueue.create_queue(%s, %s)", (queue_id, topic_id))
    yield topic_id, queue_id
    with _connect() as conn:
        conn.execute("SELECT fastqueue.delete_queue(%s)", (queue_id,))
        conn.execute("SELECT fastqueue.delete_topic(%s)", (topic_id,))


@pytest.fixture
def listener() -> Iterator[Conn]:
    """A session that LISTENs on the wake-up channel, as the API's listener does."""
    with _connect() as conn:
        conn.execute("LISTEN fastqueue_wake")
        yield conn


def _lease_wait(conn: Conn, queue_id: str, pid: int | None) -> tuple[int, bool]:
    """One attempt: (messages leased, armed)."""
    rows = conn.execute(
        "SELECT message, armed FROM fastqueue.lease_wait(%s, 10, %s)", (queue_id, pid)
    ).fetchall()
    leased = [row for row in rows if row[0] is not None]
    return len(leased), bool(rows[-1][1]) if not leased else False


def _notifications(conn: Conn, seconds: float = NOTIFY_SECONDS) -> list[str]:
    return [n.payload for n in conn.notifies(timeout=seconds)]


def _publish(conn: Conn, topic_id: str) -> None:
    conn.execute("SELECT fastqueue.publish(%s, '{}')", (topic_id,))


def test_arming_while_a_publish_is_in_flight_answers_not_armed_and_never_blocks(
    queue: tuple[str, str], listener: Conn
) -> None:
    topic_id, queue_id = queue
    pid = listener.info.backend_pid
    with _connect(autocommit=False) as publisher:
        _publish(publisher, topic_id)  # in flight: inserted, not committed
        # The waiter cannot trust its arming (the publish may have read the waiters
        # before), so it says so instead of waiting for the publisher's commit.
        assert _lease_wait(listener, queue_id, pid) == (0, False)
        publisher.commit()
    # The caller looks again shortly, as told, and finds the message.
    assert _lease_wait(listener, queue_id, pid) == (1, False)


def test_a_publish_that_starts_after_arming_notifies_with_the_queue_id(
    queue: tuple[str, str], listener: Conn
) -> None:
    topic_id, queue_id = queue
    assert _lease_wait(listener, queue_id, listener.info.backend_pid) == (0, True)
    with _connect(autocommit=False) as publisher:
        _publish(publisher, topic_id)
        assert _notifications(listener, 0.2) == []  # nothing before the commit
        publisher.commit()
    assert _notifications(listener) == [queue_id]


def test_a_burst_of_publishes_notifies_once_until_the_waiter_arms_again(
    queue: tuple[str, str], listener: Conn
) -> None:
    topic_id, queue_id = queue
    pid = listener.info.backend_pid
    assert _lease_wait(listener, queue_id, pid) == (0, True)
    with _connect() as publisher:
        for _ in range(5):
            _publish(publisher, topic_id)
        assert _notifications(listener) == [queue_id]
        assert _lease_wait(listener, queue_id, pid) == (5, False)
        assert _lease_wait(listener, queue_id, pid) == (0, True)
        _publish(publisher, topic_id)
    assert _notifications(listener) == [queue_id]


def test_publishers_never_wait_for_each_other_and_a_rollback_loses_no_wake_up(
    queue: tuple[str, str], listener: Conn
) -> None:
    topic_id, queue_id = queue
    assert _lease_wait(listener, queue_id, listener.info.backend_pid) == (0, True)
    with (
        _connect(autocommit=False) as first,
        _connect(autocommit=False) as second,
    ):
        _publish(first, topic_id)  # disarms the waiter, holds its row till the end
        _publish(second, topic_id)  # lock_timeout: raises if it waited for `first`
        second.commit()
        first.rollback()
    # The first publisher's notification went with its rollback; the second's stands.
    assert _notifications(listener) == [queue_id]


def test_a_waiter_arming_waits_for_no_publisher_and_no_publisher_waits_long(
    queue: tuple[str, str], listener: Conn
) -> None:
    topic_id, queue_id = queue
    with _connect(autocommit=False) as waiter, _connect() as publisher:
        # A waiter's transaction left open holds the queue row: publishers wait for
        # it, which is why the API calls lease_wait in a transaction of its own.
        assert _lease_wait(waiter, queue_id, listener.info.backend_pid) == (0, True)
        with pytest.raises(psycopg.errors.LockNotAvailable):
            _publish(publisher, topic_id)
        waiter.commit()
        _publish(publisher, topic_id)
    assert _notifications(listener) == [queue_id]


def test_a_repeatable_read_publisher_notifies_every_time(
    queue: tuple[str, str], listener: Conn
) -> None:
    topic_id, queue_id = queue
    with _connect(autocommit=False) as publisher:
        publisher.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        for _ in range(2):
            _publish(publisher, topic_id)
            publisher.commit()
    # No armed waiter at all, yet each notifies: its snapshot could miss one.
    assert _notifications(listener) == [queue_id, queue_id]


def test_a_wake_by_queue_in_flight_counts_as_a_publish_in_flight(
    queue: tuple[str, str], listener: Conn
) -> None:
    # What a nack would do: make a message visible, then wake its queue.
    topic_id, queue_id = queue
    pid = listener.info.backend_pid
    with _connect() as setup:
        _publish(setup, topic_id)
    assert _lease_wait(listener, queue_id, pid) == (1, False)
    with _connect(autocommit=False) as nacker:
        nacker.execute(
            "UPDATE fastqueue.message SET scheduled_at = clock_timestamp(),"
            " receipt = NULL WHERE queue_id = %s",
            (queue_id,),
        )
        nacker.execute("SELECT fastqueue._wake_queues(ARRAY[%s])", (queue_id,))
        assert _lease_wait(listener, queue_id, pid) == (0, False)
        nacker.commit()
    assert _lease_wait(listener, queue_id, pid) == (1, False)


def test_two_waiters_arming_at_once_never_wait_for_each_other(
    queue: tuple[str, str], listener: Conn
) -> None:
    # Two requests of one process arming the same row for the first time: writing
    # it without the queue lock could deadlock with the foreign key check.
    topic_id, queue_id = queue
    pid = listener.info.backend_pid
    with _connect(autocommit=False) as first, _connect() as second:
        assert _lease_wait(first, queue_id, pid) == (0, True)
        # lock_timeout: raises if it waited for `first`.
        assert _lease_wait(second, queue_id, pid) == (0, False)
        first.commit()
        _publish(second, topic_id)
    assert _notifications(listener) == [queue_id]
