"""Delivery under load over HTTP, and with the API server killed under that load.

The load itself, and every check of what it saw, lives in bench/delivery_load.py
(run by hand there with more messages and consumers). Here it is kept small
enough for CI: a few hundred messages, 8 consumers, an ack deadline of 1 s.
"""

from __future__ import annotations

import os
import signal
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import delivery_load as load
import httpx
import psycopg
import pytest
from conftest import Api, ServerProcess, StartServer

RECOVERY_SECONDS = 30.0


@pytest.fixture
def layout(http: httpx.Client) -> Iterator[load.Layout]:
    made = load.create_layout(http, max_deliveries=3, ack_deadline=1)
    yield made
    load.delete_layout(http, made)


def test_delivery_under_load_keeps_every_guarantee(
    server: ServerProcess, http: httpx.Client, db_url: str, layout: load.Layout
) -> None:
    config = load.Config(
        base_url=server.url, database_url=db_url, messages=360, time_limit_seconds=40
    )

    record = load.run(config, layout)
    problems = load.check(config, record, http)

    assert problems == [], problems[:20]
    figures = load.summary(record)
    # The run did exercise what it claims to: every consumer, every way of
    # settling, consumers holding leases side by side, and dead-lettering.
    assert figures["consumers_seen"] == config.consumers, figures
    outcomes = {lease.outcome for lease in record.leases}
    assert {"ack", "nack", "abandon"} <= outcomes, figures
    assert load.overlapping_consumers(record.leases)
    assert any(lease.attempt == config.max_deliveries for lease in record.leases)


def test_a_lease_skips_what_a_lease_in_progress_holds(
    api: Api, http: httpx.Client, db_url: str
) -> None:
    # A consumer whose lease has not committed yet holds its rows locked; the
    # others take the next messages at once instead of queueing behind it.
    topic_id = api.create_topic()
    dead = api.create_queue()
    queue = api.create_queue(
        topic_id=topic_id, dead_queue_id=dead["id"], message_max_deliveries=2
    )
    ids = [api.publish(topic_id, {"n": n}, None)[0]["id"] for n in range(4)]

    with psycopg.connect(db_url) as slow, psycopg.connect(db_url) as quick:
        held = slow.execute(
            "SELECT id::text FROM fastqueue.lease(%s, 2)", (queue["id"],)
        ).fetchall()
        quick.execute("SET statement_timeout = '2s'")
        taken = quick.execute(
            "SELECT id::text FROM fastqueue.lease(%s, 1)", (queue["id"],)
        ).fetchall()
        quick.commit()
        started = time.monotonic()
        over_http = http.get(f"/queues/{queue['id']}/messages", params={"limit": 4})
        waited = time.monotonic() - started
        slow.rollback()

    assert [row[0] for row in held] == ids[:2]
    assert [row[0] for row in taken] == ids[2:3]
    assert [m["id"] for m in over_http.json()["data"]] == ids[3:]
    assert waited < 1.0


def _lease_in_database(
    conn: psycopg.Connection[Any], ids: list[uuid.UUID]
) -> list[Any]:
    rows = conn.execute(
        "SELECT delivery_attempts, scheduled_at > clock_timestamp() "
        "FROM fastqueue.message WHERE id = ANY (%s) ORDER BY id",
        (ids,),
    ).fetchall()
    return [tuple(row) for row in rows]


def test_killed_api_loses_nothing_and_its_leases_come_back(
    start_server: StartServer,
    http: httpx.Client,
    api: Api,
    db_url: str,
    layout: load.Layout,
) -> None:
    # One connection per load thread and more: requests blocked in the database
    # must each hold their own.
    settings = {"pool_size": "16", "pool_timeout_seconds": "2"}
    doomed = start_server(**settings)
    config = load.Config(
        base_url=doomed.url,
        database_url=db_url,
        messages=240,
        faults=True,
        time_limit_seconds=45,
    )
    # A queue whose messages one lease takes through the doomed server just as
    # it dies: the lease commits in the database, its answer never leaves.
    probe_topic = api.create_topic("probe")
    # Its deadline counts from the lease's start, before the wait for the lock.
    probe = api.create_queue("probe", topic_id=probe_topic, ack_deadline_seconds=3)
    probe_ids = sorted(
        uuid.UUID(api.publish(probe_topic, {"n": n}, None)[0]["id"]) for n in range(5)
    )
    restarted: list[ServerProcess] = []
    probe_after_kill: list[Any] = []

    def kill_under_load(record: load.Record) -> None:
        _wait_for(lambda: len(record.leases) >= 40, "the load to get going")
        with psycopg.connect(db_url, autocommit=True) as lock:
            # Hold every lease, ack and publish in the database, including the
            # probe's lease, while the server dies.
            lock.execute("BEGIN")
            lock.execute("SET LOCAL lock_timeout = '5s'")
            lock.execute("LOCK TABLE fastqueue.message IN ACCESS EXCLUSIVE MODE")
            threading.Thread(target=_lease_and_lose, args=(doomed, probe["id"])).start()
            time.sleep(1.0)
            os.killpg(doomed.process.pid, signal.SIGKILL)
            doomed.process.wait(timeout=10)
            lock.execute("ROLLBACK")
            # The probe's lease goes through although nobody will hear of it.
            _wait_for(
                lambda: _lease_in_database(lock, probe_ids)[0][0] > 0,
                "the probe's lease to end",
                seconds=5,
            )
            probe_after_kill.extend(_lease_in_database(lock, probe_ids))
        restarted.append(start_server(port=doomed.port, **settings))

    record = load.run(config, layout, during=kill_under_load)
    problems = load.check(config, record, http)

    assert restarted, "the server was not restarted"
    assert problems == [], problems[:20]
    lost = [call for call in record.calls if call.status is None]
    assert lost, "no request was cut off by the kill"
    assert any(lease.attempt > 1 for lease in record.leases)
    assert probe_after_kill == [(1, True)] * len(probe_ids)
    # Hidden until their deadline, then back.
    again = _lease_when_back(api, probe["id"])
    assert sorted(uuid.UUID(m["id"]) for m in again) == probe_ids
    assert {m["delivery_attempts"] for m in again} == {2}


def _lease_and_lose(server: ServerProcess, queue_id: str) -> None:
    """Ask for a lease; the server dies before it can answer."""
    try:
        httpx.get(f"{server.url}/queues/{queue_id}/messages", timeout=10)
    except httpx.HTTPError:
        return
    raise AssertionError("the doomed server answered the probe's lease")


def _wait_for(condition: Any, what: str, seconds: float = RECOVERY_SECONDS) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def _lease_when_back(api: Api, queue_id: str, seconds: float = 10.0) -> list[Any]:
    """Lease until something comes back; [] if nothing does in time."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if leased := api.lease(queue_id):
            return leased
        time.sleep(0.05)
    return []
