"""Long polling over HTTP: GET /queues/{id}/messages?wait_seconds=W.

Timing bounds here are generous on purpose (a wake-up "within 2 s" where the
bench measures milliseconds): they prove that the request waits and wakes, not
how fast; bench/long_poll_bench.py prints the figures.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import httpx
import psycopg
import pytest
from conftest import Api, ServerProcess, StartServer, TcpProxy, unique

# A wake-up that the bench measures in milliseconds must come within this: far
# more than a slow machine needs, and far less than the servers' safety re-check
# (RECHECK_SECONDS) and the waits of these tests, so only a notification or the
# timer of a delayed message can answer in time.
WAKE_SECONDS = 8.0
RECHECK_SECONDS = "60"


def _poll(
    client: httpx.Client, queue_id: str, wait_seconds: int, limit: int = 10
) -> tuple[httpx.Response, float]:
    """A long poll; returns its answer and when it came (time.monotonic)."""
    response = client.get(
        f"/queues/{queue_id}/messages",
        params={"limit": limit, "wait_seconds": wait_seconds},
    )
    return response, time.monotonic()


@pytest.fixture
def pool() -> Iterator[ThreadPoolExecutor]:
    with ThreadPoolExecutor(max_workers=64) as executor:
        yield executor


def _poll_in_background(
    pool: ThreadPoolExecutor,
    url: str,
    queue_id: str,
    wait_seconds: int,
    limit: int = 10,
) -> Future[tuple[httpx.Response, float]]:
    def run() -> tuple[httpx.Response, float]:
        with httpx.Client(base_url=url, timeout=30) as client:
            return _poll(client, queue_id, wait_seconds, limit)

    return pool.submit(run)


def _wait_for_waiters(conn: psycopg.Connection[Any], queue_id: str) -> list[int]:
    """Wait until some listener is armed for the queue; return the listeners' pids."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        rows = conn.execute(
            "SELECT listener_pid FROM fastqueue.queue_waiter"
            " WHERE queue_id = %s AND armed",
            (queue_id,),
        ).fetchall()
        if rows:
            return [row[0] for row in rows]
        time.sleep(0.02)
    raise AssertionError(f"no long poll armed for {queue_id}")


def _queue(api: Api, **fields: Any) -> tuple[str, str]:
    topic_id = api.create_topic("poll")
    queue = api.create_queue("poll", topic_id=topic_id, **fields)
    return topic_id, str(queue["id"])


# --- the parameter -------------------------------------------------------------------


@pytest.mark.parametrize("value", ["-1", "21", "1.5", "soon"])
def test_wait_seconds_outside_0_to_20_answers_422(
    http: httpx.Client, api: Api, value: str
) -> None:
    _, queue_id = _queue(api)
    response = http.get(f"/queues/{queue_id}/messages", params={"wait_seconds": value})
    assert response.status_code == 422
    assert "wait_seconds" in response.json()["detail"]


def test_wait_seconds_is_documented(http: httpx.Client) -> None:
    paths = http.get("/openapi.json").json()["paths"]
    parameters = paths["/queues/{queue_id}/messages"]["get"]["parameters"]
    (parameter,) = [p for p in parameters if p["name"] == "wait_seconds"]
    assert parameter["schema"]["minimum"] == 0
    assert parameter["schema"]["maximum"] == 20
    assert "wait" in parameter["description"]


def test_a_long_poll_of_an_unknown_queue_answers_404(http: httpx.Client) -> None:
    queue_id = unique("nope")
    response = http.get(f"/queues/{queue_id}/messages", params={"wait_seconds": 5})
    assert response.status_code == 404


def test_without_wait_seconds_an_empty_queue_answers_at_once(
    http: httpx.Client, api: Api
) -> None:
    _, queue_id = _queue(api)
    started = time.monotonic()
    response = http.get(f"/queues/{queue_id}/messages")
    assert response.status_code == 200
    assert response.json() == {"data": []}
    assert time.monotonic() - started < WAKE_SECONDS


# --- waking --------------------------------------------------------------------------


def test_a_waiting_poll_answers_when_a_message_is_published(
    server: ServerProcess,
    api: Api,
    conn: psycopg.Connection[Any],
    pool: ThreadPoolExecutor,
) -> None:
    topic_id, queue_id = _queue(api)
    poll = _poll_in_background(pool, server.url, queue_id, wait_seconds=15)
    _wait_for_waiters(conn, queue_id)
    (published,) = api.publish(topic_id, {"n": 1}, None)
    published_at = time.monotonic()
    response, answered_at = poll.result(timeout=20)
    assert response.status_code == 200
    (leased,) = response.json()["data"]
    assert leased["id"] == published["id"]
    assert leased["receipt"] is not None
    assert answered_at - published_at < WAKE_SECONDS


def test_a_queue_deleted_and_made_again_wakes_its_polls_at_once(
    server: ServerProcess,
    api: Api,
    conn: psycopg.Connection[Any],
    pool: ThreadPoolExecutor,
) -> None:
    topic_id, queue_id = _queue(api)
    poll = _poll_in_background(pool, server.url, queue_id, wait_seconds=15)
    _wait_for_waiters(conn, queue_id)
    assert api.http.delete(f"/queues/{queue_id}").status_code == 204
    deleted_at = time.monotonic()
    response, answered_at = poll.result(timeout=20)
    assert response.status_code == 404, response.text
    assert answered_at - deleted_at < WAKE_SECONDS

    # The same id again: a new poll arms the new queue, and a publish wakes it.
    response = api.http.post("/queues", json={"id": queue_id, "topic_id": topic_id})
    assert response.status_code == 201, response.text
    poll = _poll_in_background(pool, server.url, queue_id, wait_seconds=15)
    _wait_for_waiters(conn, queue_id)
    (published,) = api.publish(topic_id, {"n": 1}, None)
    published_at = time.monotonic()
    response, answered_at = poll.result(timeout=20)
    assert [m["id"] for m in response.json()["data"]] == [published["id"]]
    assert answered_at - published_at < WAKE_SECONDS


def test_a_message_waiting_already_is_answered_at_once(
    http: httpx.Client, api: Api
) -> None:
    topic_id, queue_id = _queue(api)
    api.publish(topic_id, {"n": 1}, None)
    started = time.monotonic()
    response, answered_at = _poll(http, queue_id, wait_seconds=15)
    assert len(response.json()["data"]) == 1
    assert answered_at - started < WAKE_SECONDS


def test_a_poll_with_nothing_to_lease_answers_an_empty_list_after_its_wait(
    http: httpx.Client, api: Api
) -> None:
    _, queue_id = _queue(api)
    started = time.monotonic()
    response, answered_at = _poll(http, queue_id, wait_seconds=2)
    assert response.status_code == 200
    assert response.json() == {"data": []}
    assert 1.9 <= answered_at - started < 2 + WAKE_SECONDS


def test_a_delayed_message_wakes_the_poll_when_it_becomes_visible(
    http: httpx.Client, api: Api
) -> None:
    topic_id, queue_id = _queue(api)
    response = http.post(
        f"/topics/{topic_id}/messages", json={"data": {"n": 1}, "delay_seconds": 2}
    )
    assert response.status_code == 201
    started = time.monotonic()
    response, answered_at = _poll(http, queue_id, wait_seconds=15)
    assert len(response.json()["data"]) == 1
    assert 1.5 <= answered_at - started < 2 + WAKE_SECONDS


def test_a_message_published_with_a_delay_during_the_wait_wakes_the_poll_in_time(
    server: ServerProcess,
    api: Api,
    conn: psycopg.Connection[Any],
    pool: ThreadPoolExecutor,
) -> None:
    topic_id, queue_id = _queue(api, delivery_delay_seconds=2)
    poll = _poll_in_background(pool, server.url, queue_id, wait_seconds=15)
    _wait_for_waiters(conn, queue_id)
    api.publish(topic_id, {"n": 1}, None)
    published_at = time.monotonic()
    response, answered_at = poll.result(timeout=20)
    assert len(response.json()["data"]) == 1
    assert 1.5 <= answered_at - published_at < 2 + WAKE_SECONDS


def test_a_lease_that_ends_wakes_the_poll(http: httpx.Client, api: Api) -> None:
    topic_id, queue_id = _queue(api, ack_deadline_seconds=1)
    api.publish(topic_id, {"n": 1}, None)
    (first,) = api.lease(queue_id)
    started = time.monotonic()
    response, answered_at = _poll(http, queue_id, wait_seconds=15)
    (again,) = response.json()["data"]
    assert again["id"] == first["id"]
    assert again["delivery_attempts"] == 2
    assert answered_at - started < 1 + WAKE_SECONDS


def test_fifty_waiting_polls_each_get_a_message_and_the_pool_serves_others(
    start_server: StartServer,
    api: Api,
    conn: psycopg.Connection[Any],
    pool: ThreadPoolExecutor,
) -> None:
    # Two pooled connections for 50 waiting requests: a wait that held one would
    # starve the other requests into 503s.
    server = start_server(
        pool_size="2",
        pool_timeout_seconds="2",
        long_poll_recheck_seconds=RECHECK_SECONDS,
    )
    topic_id, queue_id = _queue(api)
    _, other_queue_id = _queue(api)
    polls = [
        _poll_in_background(pool, server.url, queue_id, wait_seconds=20, limit=1)
        for _ in range(50)
    ]
    _wait_for_waiters(conn, queue_id)
    time.sleep(0.5)  # let every request of the 50 reach its wait
    with httpx.Client(base_url=server.url, timeout=10) as client:
        for _ in range(10):
            started = time.monotonic()
            response = client.get(f"/queues/{other_queue_id}/stats")
            assert response.status_code == 200, response.text
            assert time.monotonic() - started < WAKE_SECONDS
        batch = [{"data": {"n": n}} for n in range(50)]
        response = client.post(
            f"/topics/{topic_id}/messages/batch", json={"messages": batch}
        )
        assert response.status_code == 201
        published_at = time.monotonic()
    received = []
    for poll in polls:
        answer, answered_at = poll.result(timeout=30)
        assert answer.status_code == 200, answer.text
        received += [m["data"]["n"] for m in answer.json()["data"]]
        # One wake-up, then each request hands over to the next: not the 4-5 s
        # safety re-check.
        assert answered_at - published_at < 1.5 * WAKE_SECONDS
    assert sorted(received) == list(range(50))


def test_polls_waiting_in_two_worker_processes_all_wake(
    start_server: StartServer,
    api: Api,
    conn: psycopg.Connection[Any],
    pool: ThreadPoolExecutor,
) -> None:
    server = start_server(
        server_num_workers="2", long_poll_recheck_seconds=RECHECK_SECONDS
    )
    topic_id, queue_id = _queue(api)
    polls = [
        _poll_in_background(pool, server.url, queue_id, wait_seconds=20, limit=1)
        for _ in range(20)
    ]
    _wait_for_waiters(conn, queue_id)
    time.sleep(0.5)
    batch = [{"data": {"n": n}} for n in range(20)]
    response = api.http.post(
        f"/topics/{topic_id}/messages/batch", json={"messages": batch}
    )
    assert response.status_code == 201
    published_at = time.monotonic()
    received = []
    for poll in polls:
        answer, answered_at = poll.result(timeout=30)
        assert answer.status_code == 200, answer.text
        received += [m["data"]["n"] for m in answer.json()["data"]]
        assert answered_at - published_at < 1.5 * WAKE_SECONDS
    assert sorted(received) == list(range(20))


def test_a_poll_whose_client_left_leases_nothing(
    server: ServerProcess, api: Api, conn: psycopg.Connection[Any]
) -> None:
    topic_id, queue_id = _queue(api)
    with (
        httpx.Client(base_url=server.url, timeout=0.5) as client,
        pytest.raises(httpx.ReadTimeout),
    ):
        _poll(client, queue_id, wait_seconds=10)
    time.sleep(0.3)  # the server notices the closed socket
    api.publish(topic_id, {"n": 1}, None)
    time.sleep(1)
    assert api.stats(queue_id)["num_undelivered_messages"] == 1


# --- the listener and shutdown --------------------------------------------------------


def test_a_lost_listener_connection_reconnects_and_polls_still_wake(  # noqa: PLR0917
    start_server: StartServer,
    api_db_url: str,
    db_proxy: TcpProxy,
    api: Api,
    conn: psycopg.Connection[Any],
    pool: ThreadPoolExecutor,
) -> None:
    via_proxy = httpx.URL(api_db_url).copy_with(port=db_proxy.port)
    server = start_server(
        database_url=str(via_proxy),
        pool_timeout_seconds="1",
        long_poll_recheck_seconds=RECHECK_SECONDS,
    )
    topic_id, queue_id = _queue(api)
    first = _poll_in_background(pool, server.url, queue_id, wait_seconds=15)
    (old_pid,) = _wait_for_waiters(conn, queue_id)

    db_proxy.cut()
    db_proxy.restore()
    response, _ = first.result(timeout=20)
    # The waiting poll lost its database for a moment: an empty list or a 503.
    assert response.status_code in {200, 503}, response.text

    deadline = time.monotonic() + 15
    while True:
        poll = _poll_in_background(pool, server.url, queue_id, wait_seconds=3)
        pids = _wait_for_waiters(conn, queue_id)
        if old_pid not in pids or time.monotonic() > deadline:
            break
        poll.result(timeout=10)
    assert old_pid not in pids, "the listener did not reconnect"
    (published,) = api.publish(topic_id, {"n": 1}, None)
    published_at = time.monotonic()
    response, answered_at = poll.result(timeout=10)
    assert response.status_code == 200, response.text
    assert [m["id"] for m in response.json()["data"]] == [published["id"]]
    assert answered_at - published_at < WAKE_SECONDS


def test_sigterm_answers_waiting_polls_at_once_and_leases_nothing_after(
    start_server: StartServer,
    api: Api,
    conn: psycopg.Connection[Any],
    pool: ThreadPoolExecutor,
) -> None:
    server = start_server(long_poll_recheck_seconds=RECHECK_SECONDS)
    topic_id, queue_id = _queue(api)
    polls = [
        _poll_in_background(pool, server.url, queue_id, wait_seconds=20)
        for _ in range(5)
    ]
    _wait_for_waiters(conn, queue_id)
    time.sleep(0.3)

    signalled_at = time.monotonic()
    server.process.send_signal(signal.SIGTERM)
    published = _publish_sql_until(conn, topic_id, server.process.poll)
    received = set()
    for poll in polls:
        response, answered_at = poll.result(timeout=25)
        assert response.status_code == 200, response.text
        assert answered_at - signalled_at < WAKE_SECONDS
        received |= {m["id"] for m in response.json()["data"]}
    server.process.wait(timeout=10)
    assert time.monotonic() - signalled_at < 5, "the server took too long to exit"

    # Messages published while it shut down: leased only if a client got them.
    leased = {
        str(row[0])
        for row in conn.execute(
            "SELECT id FROM fastqueue.message"
            " WHERE queue_id = %s AND receipt IS NOT NULL",
            (queue_id,),
        )
    }
    assert published
    assert leased <= received


def _publish_sql_until(
    conn: psycopg.Connection[Any], topic_id: str, exited: Callable[[], int | None]
) -> list[str]:
    """Publish directly in SQL every 20 ms until the server exits (10 s at most)."""
    published = []
    deadline = time.monotonic() + 10
    while exited() is None and time.monotonic() < deadline:
        row = conn.execute(
            "SELECT id FROM fastqueue.publish(%s, '{}')", (topic_id,)
        ).fetchone()
        assert row is not None
        published.append(str(row[0]))
        time.sleep(0.02)
    return published
