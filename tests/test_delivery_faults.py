"""Faults under load: PostgreSQL stopped and started again, answers that never
reach the client, and a publish cancelled in the middle of its fan-out.

Stopping PostgreSQL needs a cluster of its own: this module makes a throwaway
one with scripts/setup on a free port (under /var/tmp, where the postgres user
can reach it when we run as root), and removes it at the end. The shared test
cluster is never stopped.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import delivery_load as load
import httpx
import psycopg
import pytest
from conftest import API_ROLE, Api, StartServer, free_port

REPO = Path(__file__).resolve().parent.parent
PG_BIN = Path(f"/usr/lib/postgresql/{os.environ.get('FQ_PG_MAJOR', '15')}/bin")
# While the database is away, every request answers 503 within this long.
UNAVAILABLE_WITHIN_SECONDS = 5.0
RECOVERY_SECONDS = 30.0
OUTAGE_SECONDS = 2.5


@dataclass(frozen=True)
class Cluster:
    """A PostgreSQL cluster this module may stop and start."""

    port: int
    data_dir: Path

    def url(self, role: str = "fastqueue") -> str:
        return f"postgresql://{role}:fastqueue@127.0.0.1:{self.port}/fastqueue"

    def pg_ctl(self, *args: str) -> None:
        command = [str(PG_BIN / "pg_ctl"), "-D", str(self.data_dir), *args]
        if os.geteuid() == 0:
            # The cluster belongs to the postgres user (scripts/cluster-env).
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(  # noqa: S603 - our own fixed command
            command, check=True, capture_output=True, timeout=120
        )


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    port = free_port()
    # Reachable by the postgres user, which owns the cluster when we are root.
    base = Path(tempfile.mkdtemp(prefix="fastqueue-faults-", dir="/var/tmp"))
    base.chmod(0o755)
    made = Cluster(port, base / str(port) / "data")
    env = {**os.environ, "FQ_PGPORT": str(port), "FQ_PGDIR": str(base / str(port))}
    try:
        subprocess.run(  # noqa: S603 - our own set-up script
            [str(REPO / "scripts" / "setup"), "--fresh"],
            env=env,
            check=True,
            capture_output=True,
            timeout=300,
        )
        yield made
    finally:
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            made.pg_ctl("stop", "-m", "immediate", "-w")
        shutil.rmtree(base, ignore_errors=True)


def _wait_for(condition: Callable[[], Any], what: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def _status(http: httpx.Client, path: str) -> int | None:
    try:
        return http.get(path).status_code
    except httpx.HTTPError:
        return None


@dataclass
class Outage:
    """What the clients saw while PostgreSQL was away."""

    down: float = 0.0
    up: float = 0.0
    probes: list[tuple[str, int, float]] | None = None


@pytest.mark.parametrize("mode", ["immediate", "fast"])
def test_database_stopped_under_load_answers_503_then_recovers(
    cluster: Cluster, start_server: StartServer, mode: Literal["immediate", "fast"]
) -> None:
    server = start_server(
        database_url=cluster.url(API_ROLE),
        pool_size="4",
        pool_timeout_seconds="1",
    )
    config = load.Config(
        base_url=server.url,
        database_url=cluster.url(),
        messages=240,
        faults=True,
        time_limit_seconds=50,
    )
    outage = Outage(probes=[])

    def stop_and_start(record: load.Record) -> None:
        _wait_for(lambda: len(record.leases) >= 40, "the load to get going", 20)
        cluster.pg_ctl("stop", "-m", mode, "-w")
        outage.down = time.monotonic()
        with httpx.Client(base_url=server.url, timeout=10) as probe:
            while time.monotonic() < outage.down + OUTAGE_SECONDS:
                for path in ("/health", f"/topics/{uuid.uuid4().hex}", "/queues"):
                    sent = time.monotonic()
                    status = _status(probe, path)
                    assert outage.probes is not None
                    outage.probes.append((path, status or 0, time.monotonic() - sent))
                time.sleep(0.1)
            outage.up = time.monotonic()
            cluster.pg_ctl("start", "-w", "-t", "60", "-l", "/dev/null")
            # The API comes back by itself: nobody restarts it.
            _wait_for(
                lambda: _status(probe, "/health") == 200, "/health", RECOVERY_SECONDS
            )

    with httpx.Client(base_url=server.url, timeout=10) as http:
        layout = load.create_layout(http, max_deliveries=3, ack_deadline=1)
        try:
            record = load.run(config, layout, during=stop_and_start)
            problems = load.check(config, record, http)
            acked = [
                lease.message_id for lease in record.leases if lease.outcome == "ack"
            ]
        finally:
            load.delete_layout(http, layout)

    assert problems == [], problems[:20]
    assert outage.probes, "nothing was asked while the database was away"
    assert {(path, status) for path, status, _ in outage.probes} == {
        ("/health", 503),
        *((path, 503) for path, _, _ in outage.probes if path != "/health"),
    }, outage.probes
    assert max(seconds for _, _, seconds in outage.probes) < UNAVAILABLE_WITHIN_SECONDS
    # The load's own requests sent while it was away: 503, quickly, never a 500
    # and never a hang.
    during = [
        call
        for call in record.calls
        if outage.down + 0.5 <= call.sent and call.sent + call.seconds <= outage.up
    ]
    assert during, "the load sent nothing while the database was away"
    assert {call.status for call in during} == {503}, {c.status for c in during}
    assert max(call.seconds for call in during) < UNAVAILABLE_WITHIN_SECONDS
    assert not any(call.status == 500 for call in record.calls)
    # An acked message never comes back, even from a crash.
    with psycopg.connect(cluster.url(), autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM fastqueue.message WHERE id = ANY (%s)", (acked,)
        ).fetchone()
    assert acked
    assert row == (0,)


# --- answers that never arrive ------------------------------------------------------


def _locked_messages(db_url: str) -> contextlib.AbstractContextManager[Any]:
    """Hold an ACCESS EXCLUSIVE lock on the messages until the block ends."""

    @contextlib.contextmanager
    def hold() -> Iterator[psycopg.Connection[Any]]:
        with psycopg.connect(db_url, autocommit=True) as conn:
            conn.execute("BEGIN")
            conn.execute("SET LOCAL lock_timeout = '5s'")
            conn.execute("LOCK TABLE fastqueue.message IN ACCESS EXCLUSIVE MODE")
            try:
                yield conn
            finally:
                conn.execute("ROLLBACK")

    return hold()


def _attempts(conn: psycopg.Connection[Any], ids: list[str]) -> list[tuple[int, bool]]:
    rows = conn.execute(
        "SELECT delivery_attempts, scheduled_at > clock_timestamp() "
        "FROM fastqueue.message WHERE id = ANY (%s::uuid[]) ORDER BY id",
        (ids,),
    ).fetchall()
    return [(row[0], row[1]) for row in rows]


def test_a_lease_whose_answer_never_arrived_comes_back_after_its_deadline(
    server: Any, api: Api, conn: psycopg.Connection[Any], db_url: str
) -> None:
    topic_id = api.create_topic()
    queue = api.create_queue(topic_id=topic_id, ack_deadline_seconds=2)
    ids = sorted(api.publish(topic_id, {"n": n}, None)[0]["id"] for n in range(3))
    host, port = httpx.URL(server.url).host, httpx.URL(server.url).port
    assert port is not None

    # The lease waits for the lock; meanwhile its client hangs up without
    # reading a byte. Then the lease runs, and its answer goes nowhere.
    with _locked_messages(db_url):
        with socket.create_connection((host, port), timeout=5) as client:
            client.sendall(
                f"GET /queues/{queue['id']}/messages?limit=3 HTTP/1.1\r\n"
                f"Host: {host}\r\n\r\n".encode()
            )
            time.sleep(0.5)
        time.sleep(0.2)
    _wait_for(lambda: _attempts(conn, ids)[0][0] == 1, "the lease to run", 5)

    assert _attempts(conn, ids) == [(1, True)] * 3
    assert api.stats(queue["id"])["num_undelivered_messages"] == 0
    assert api.lease(queue["id"]) == []
    # Back after the deadline, with one more delivery counted.
    again = _lease_when_back(api, queue["id"])
    assert sorted(m["id"] for m in again) == ids
    assert {m["delivery_attempts"] for m in again} == {2}


# --- a publish cut off in the middle of its fan-out ---------------------------------


def _fan_out_topic(api: Api, queues: int) -> tuple[str, list[str]]:
    topic_id = api.create_topic("fan")
    made = sorted(
        api.create_queue("fan", topic_id=topic_id)["id"] for _ in range(queues)
    )
    return topic_id, made


@contextlib.contextmanager
def _queue_row_locked(db_url: str, queue_id: str) -> Iterator[psycopg.Connection[Any]]:
    """Lock one queue's row: a publish's copy for it waits at its foreign-key check,
    after the statement has inserted the copies for every queue."""
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute("BEGIN")
        conn.execute(
            "SELECT FROM fastqueue.queue WHERE id = %s FOR UPDATE", (queue_id,)
        )
        try:
            yield conn
        finally:
            conn.execute("ROLLBACK")


def _copies(conn: psycopg.Connection[Any], marker: str) -> list[str]:
    rows = conn.execute(
        "SELECT queue_id FROM fastqueue.message WHERE data ->> 'marker' = %s "
        "ORDER BY queue_id",
        (marker,),
    ).fetchall()
    return [row[0] for row in rows]


def _blocked_by(conn: psycopg.Connection[Any], holder: psycopg.Connection[Any]) -> int:
    """The backend waiting for a lock that `holder` holds, or 0."""
    row = conn.execute(
        """
        SELECT pid FROM pg_catalog.pg_stat_activity
        WHERE %s = ANY (pg_catalog.pg_blocking_pids(pid))
        """,
        (holder.info.backend_pid,),
    ).fetchone()
    return 0 if row is None else int(row[0])


def test_a_publish_cancelled_mid_fan_out_over_http_leaves_none(
    start_server: StartServer, api: Api, conn: psycopg.Connection[Any], db_url: str
) -> None:
    # As the schema's owner, so that this test may cancel the server's queries.
    server = start_server(database_url=db_url)
    topic_id, queues = _fan_out_topic(api, 3)
    marker = uuid.uuid4().hex
    answers: list[httpx.Response] = []

    def publish() -> None:
        path = f"{server.url}/topics/{topic_id}/messages"
        answers.append(httpx.post(path, json={"data": {"marker": marker}}, timeout=10))

    with _queue_row_locked(db_url, queues[1]) as holder:
        publishing = threading.Thread(target=publish)
        publishing.start()
        _wait_for(lambda: _blocked_by(conn, holder), "the publish to block", 10)
        conn.execute(
            "SELECT pg_catalog.pg_cancel_backend(%s)", (_blocked_by(conn, holder),)
        )
        publishing.join(timeout=10)

    assert [answer.status_code for answer in answers] == [503], answers
    assert _copies(conn, marker) == []
    # Nothing was left half done: the same publish goes through whole now.
    api.publish(topic_id, {"marker": marker}, None)
    assert _copies(conn, marker) == queues


def test_a_publish_over_its_statement_timeout_mid_fan_out_leaves_none(
    api: Api, conn: psycopg.Connection[Any], db_url: str
) -> None:
    topic_id, queues = _fan_out_topic(api, 4)
    marker = uuid.uuid4().hex

    with _queue_row_locked(db_url, queues[2]), psycopg.connect(db_url) as publisher:
        publisher.execute("SET statement_timeout = '300ms'")
        with pytest.raises(psycopg.errors.QueryCanceled):
            publisher.execute(
                "SELECT * "
                "FROM fastqueue.publish(%s, jsonb_build_object('marker', %s::text))",
                (topic_id, marker),
            )
        publisher.rollback()

    assert _copies(conn, marker) == []


def test_a_publish_blocked_mid_fan_out_delivers_to_the_queues_of_its_start(
    api: Api, conn: psycopg.Connection[Any], db_url: str
) -> None:
    # The copies are one statement: a queue added to the topic while the publish
    # waits gets nothing, and every queue there at its start gets its copy.
    topic_id, queues = _fan_out_topic(api, 3)
    marker = uuid.uuid4().hex
    result: list[list[str]] = []

    def publish() -> None:
        with psycopg.connect(db_url, autocommit=True) as publisher:
            rows = publisher.execute(
                "SELECT queue_id "
                "FROM fastqueue.publish(%s, jsonb_build_object('marker', %s::text))",
                (topic_id, marker),
            ).fetchall()
            result.append(sorted(row[0] for row in rows))

    with _queue_row_locked(db_url, queues[0]) as holder:
        publishing = threading.Thread(target=publish)
        publishing.start()
        _wait_for(lambda: _blocked_by(conn, holder), "the publish to block", 10)
        late = api.create_queue("fan-late", topic_id=topic_id)
    publishing.join(timeout=10)

    assert result == [queues]
    assert _copies(conn, marker) == queues
    assert late["id"] not in _copies(conn, marker)


def _lease_when_back(api: Api, queue_id: str, seconds: float = 10.0) -> list[Any]:
    """Lease until something comes back; [] if nothing does in time."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if leased := api.lease(queue_id):
            return leased
        time.sleep(0.05)
    return []
