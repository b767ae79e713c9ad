"""Concurrency of the SQL API, with real sessions on a real PostgreSQL.

Consumers lease from one queue at once and ack, nack or abandon what they get;
cleanup runs while they do. Every lease is recorded with the server's own lease
instant and deadline, so the tests can prove that no message was held by two
consumers at the same time, and that every message ends acked once, dead-lettered
or expired.

The database is shared with other tests and with pg_cron, which runs the same
cleanup at the start of every minute: each test uses its own topic and queues,
and a count that cleanup returns is compared exactly only when pg_cron cannot
have run in between.
"""

from __future__ import annotations

import itertools
import os
import random
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal, LiteralString

import psycopg
import pytest
from psycopg.rows import TupleRow

DATABASE_URL = os.environ.get(
    "FASTQUEUE_TEST_DATABASE_URL",
    "postgresql://fastqueue:fastqueue@127.0.0.1:54329/fastqueue",
)

ACK_DEADLINE_SECONDS = 2
# A consumer settles a message only while this much of its ack deadline is left, and
# abandons it otherwise, as a careful consumer would: a settle never races the deadline.
SETTLE_MARGIN_SECONDS = 0.75
# Every wait in this file ends by then, whatever happens.
TIME_LIMIT_SECONDS = 25.0
POLL_SECONDS = 0.02
# pg_cron starts its every-minute job within this long after the minute begins.
CRON_LATENESS = timedelta(seconds=5)

Conn = psycopg.Connection[TupleRow]
Outcome = Literal["ack", "nack", "abandon"]

LEASE: LiteralString = """
    SELECT id, delivery_attempts, updated_at, scheduled_at FROM fastqueue.lease(%s, %s)
"""
ACK: LiteralString = "SELECT fastqueue.ack(%s)"
NACK: LiteralString = "SELECT fastqueue.nack(%s)"
NOW: LiteralString = "SELECT clock_timestamp()"
WHERE_IS: LiteralString = (
    "SELECT queue_id, updated_at FROM fastqueue.message WHERE id = %s"
)
COUNT_IN_QUEUE: LiteralString = (
    "SELECT count(*) FROM fastqueue.message WHERE queue_id = %s"
)
IDS_IN_QUEUE: LiteralString = "SELECT id FROM fastqueue.message WHERE queue_id = %s"
COUNT_OF_IDS: LiteralString = (
    "SELECT count(*) FROM fastqueue.message WHERE id = ANY (%s)"
)
CLEANUP: LiteralString = "SELECT expired, dead_lettered FROM fastqueue.cleanup(%s)"
RUN_CLEANUP: LiteralString = "CALL fastqueue.run_cleanup(%s)"
PUBLISH_MANY: LiteralString = """
    SELECT p.id
    FROM generate_series(1, %s) AS i,
         LATERAL fastqueue.publish(%s, jsonb_build_object('n', i)) AS p
    ORDER BY i
"""
BACKDATE_EXPIRY: LiteralString = """
    UPDATE fastqueue.message
    SET expired_at = clock_timestamp() - interval '1 second'
    WHERE id = ANY (%s)
"""
LAPSE_LEASE: LiteralString = """
    UPDATE fastqueue.message
    SET scheduled_at = clock_timestamp() - interval '1 second'
    WHERE id = ANY (%s)
"""


def _connect() -> Conn:
    return psycopg.connect(
        DATABASE_URL,
        autocommit=True,
        connect_timeout=5,
        options="-c statement_timeout=10s",
        application_name="fastqueue-test-sql-concurrency",
    )


def _row(conn: Conn, query: LiteralString, params: Sequence[object] = ()) -> TupleRow:
    row = conn.execute(query, params).fetchone()
    assert row is not None, query
    return row


def _ids(conn: Conn, query: LiteralString, params: Sequence[object]) -> list[uuid.UUID]:
    return [row[0] for row in conn.execute(query, params).fetchall()]


def _server_now(conn: Conn) -> datetime:
    now: datetime = _row(conn, NOW)[0]
    return now


def _drain_cleanup(conn: Conn) -> None:
    """Clean up what other sessions left, so that later counts are this test's own."""
    conn.execute(RUN_CLEANUP, (100000,))


def _cron_may_have_cleaned(since: datetime, until: datetime) -> bool:
    """Whether pg_cron's cleanup, started at some minute, may have run in the window."""
    last_minute = until.replace(second=0, microsecond=0)
    return last_minute >= since - CRON_LATENESS


@dataclass(frozen=True)
class Queues:
    """A topic, the queue consumers work on, and that queue's dead queue."""

    topic: str
    work: str
    dead: str


MakeQueues = Callable[[int], Queues]


def _drop(conn: Conn, queues: Queues) -> None:
    steps: list[tuple[LiteralString, str]] = [
        ("SELECT fastqueue.delete_queue(%s)", queues.work),
        ("SELECT fastqueue.delete_queue(%s)", queues.dead),
        ("SELECT fastqueue.delete_topic(%s)", queues.topic),
    ]
    for query, name in steps:
        try:
            conn.execute(query, (name,))
        except psycopg.Error as error:
            # Not created: the test failed while setting up.
            if error.sqlstate not in ("FQ001", "FQ002"):
                raise


@pytest.fixture
def make_queues() -> Iterator[MakeQueues]:
    """Makes a topic with a work queue and its dead queue; deletes them afterwards."""
    made: list[Queues] = []
    with _connect() as conn:

        def make(max_deliveries: int) -> Queues:
            suffix = uuid.uuid4().hex[:12]
            queues = Queues(
                f"conc-{suffix}", f"conc-{suffix}-work", f"conc-{suffix}-dead"
            )
            made.append(queues)
            conn.execute("SELECT fastqueue.create_topic(%s)", (queues.topic,))
            conn.execute("SELECT fastqueue.create_queue(%s)", (queues.dead,))
            conn.execute(
                """
                SELECT fastqueue.create_queue(
                    %s, p_topic_id => %s, p_dead_queue_id => %s,
                    p_ack_deadline_seconds => %s, p_message_max_deliveries => %s)
                """,
                (
                    queues.work,
                    queues.topic,
                    queues.dead,
                    ACK_DEADLINE_SECONDS,
                    max_deliveries,
                ),
            )
            return queues

        yield make
        for queues in made:
            _drop(conn, queues)


@dataclass(frozen=True)
class Lease:
    """One lease of one message by one consumer, in the server's clock."""

    message_id: uuid.UUID
    consumer: int
    attempt: int
    start: datetime
    deadline: datetime
    # When the consumer stopped holding it: at its ack or nack, else at the deadline.
    end: datetime
    outcome: Outcome
    # Where the message went at a nack: the work queue, or the dead queue.
    nacked_to: str | None = None


@dataclass(frozen=True)
class Odds:
    """How a consumer settles what it leases: ack, nack, or walk away."""

    ack: float
    nack: float

    def choose(self, rng: random.Random) -> Outcome:
        draw = rng.random()
        if draw < self.ack:
            return "ack"
        if draw < self.ack + self.nack:
            return "nack"
        return "abandon"


def _settle(conn: Conn, consumer: int, outcome: Outcome, row: TupleRow) -> Lease:
    message_id, attempt, start, deadline = row
    if outcome == "ack":
        with conn.transaction():
            conn.execute(ACK, (message_id,))
            acked_at = _server_now(conn)
        return Lease(
            message_id,
            consumer,
            attempt,
            start,
            deadline,
            min(deadline, acked_at),
            "ack",
        )
    if outcome == "nack":
        # nack locks the row until this transaction commits: nobody leases it again
        # before its new state is read, and updated_at is the instant of the nack.
        with conn.transaction():
            conn.execute(NACK, (message_id,))
            queue_id, nacked_at = _row(conn, WHERE_IS, (message_id,))
        return Lease(
            message_id, consumer, attempt, start, deadline, nacked_at, "nack", queue_id
        )
    return Lease(message_id, consumer, attempt, start, deadline, deadline, "abandon")


def _consume(
    consumer: int,
    queue: str,
    odds: Odds,
    ready: threading.Barrier,
    stop: threading.Event,
) -> list[Lease]:
    """Lease batches of 1 to 5 messages and settle each until told to stop."""
    # Seeded, not secret: a consumer's choices are the same from run to run.
    rng = random.Random(consumer)  # noqa: S311
    leases: list[Lease] = []
    with _connect() as conn:
        ready.wait(timeout=TIME_LIMIT_SECONDS)
        give_up = time.monotonic() + TIME_LIMIT_SECONDS
        while not stop.is_set() and time.monotonic() < give_up:
            leased_at = time.monotonic()
            rows = conn.execute(LEASE, (queue, rng.randint(1, 5))).fetchall()
            if not rows:
                time.sleep(POLL_SECONDS)
                continue
            for row in rows:
                outcome = odds.choose(rng)
                held = time.monotonic() - leased_at
                if held > ACK_DEADLINE_SECONDS - SETTLE_MARGIN_SECONDS:
                    outcome = "abandon"
                leases.append(_settle(conn, consumer, outcome, row))
    return leases


def _clean(batch_size: int, procedure: bool, stop: threading.Event) -> tuple[int, int]:
    """Run cleanup until told to stop; return the expired and dead-lettered totals."""
    expired = dead_lettered = 0
    with _connect() as conn:
        give_up = time.monotonic() + TIME_LIMIT_SECONDS
        while not stop.is_set() and time.monotonic() < give_up:
            query = RUN_CLEANUP if procedure else CLEANUP
            batch_expired, batch_dead_lettered = _row(conn, query, (batch_size,))
            expired += batch_expired
            dead_lettered += batch_dead_lettered
            time.sleep(POLL_SECONDS)
    return expired, dead_lettered


def _wait_until(
    conn: Conn,
    query: LiteralString,
    params: Sequence[object],
    workers: Sequence[Future[Any]],
) -> bool:
    """Poll until the count query says 0; give up early if a worker has failed."""
    give_up = time.monotonic() + TIME_LIMIT_SECONDS
    while time.monotonic() < give_up:
        if _row(conn, query, params)[0] == 0:
            return True
        if any(worker.done() for worker in workers):
            return False
        time.sleep(POLL_SECONDS)
    return False


def _by_message(leases: Sequence[Lease]) -> dict[uuid.UUID, list[Lease]]:
    held: dict[uuid.UUID, list[Lease]] = defaultdict(list)
    for lease in sorted(leases, key=lambda lease: lease.start):
        held[lease.message_id].append(lease)
    return held


def _assert_never_held_twice(leases: Sequence[Lease], max_deliveries: int) -> None:
    """No two leases of a message overlap; each counts one more delivery."""
    for message_id, held in _by_message(leases).items():
        for earlier, later in itertools.pairwise(held):
            assert later.start >= earlier.end, (
                f"message {message_id} leased by consumer {later.consumer} at "
                f"{later.start} while consumer {earlier.consumer} held it until "
                f"{earlier.end}"
            )
        assert [lease.attempt for lease in held] == list(range(1, len(held) + 1))
        assert len(held) <= max_deliveries
        assert all(lease.end > lease.start for lease in held)


def _assert_ran_concurrently(leases: Sequence[Lease]) -> None:
    """Some two consumers held leases at the same time: the test did test something."""
    ordered = sorted(leases, key=lambda lease: lease.start)
    assert any(
        later.consumer != earlier.consumer and later.start < earlier.end
        for earlier, later in itertools.pairwise(ordered)
    )


def test_concurrent_consumers_never_hold_a_message_together_and_lose_none(
    make_queues: MakeQueues,
) -> None:
    consumers, messages, max_deliveries = 8, 300, 3
    odds = Odds(ack=0.6, nack=0.2)
    queues = make_queues(max_deliveries)
    stop = threading.Event()
    ready = threading.Barrier(consumers)

    with _connect() as conn:
        published = _ids(conn, PUBLISH_MANY, (messages, queues.topic))
        with ThreadPoolExecutor(consumers) as pool:
            workers: list[Future[list[Lease]]] = [
                pool.submit(_consume, number, queues.work, odds, ready, stop)
                for number in range(consumers)
            ]
            try:
                drained = _wait_until(conn, COUNT_IN_QUEUE, (queues.work,), workers)
            finally:
                stop.set()
            leases = [lease for worker in workers for lease in worker.result()]
        dead = set(_ids(conn, IDS_IN_QUEUE, (queues.dead,)))

    assert drained, "the work queue did not empty within the time limit"
    assert len(published) == messages
    _assert_never_held_twice(leases, max_deliveries)
    _assert_ran_concurrently(leases)
    assert {lease.consumer for lease in leases} == set(range(consumers))
    assert {lease.outcome for lease in leases} == {"ack", "nack", "abandon"}

    acked = [lease.message_id for lease in leases if lease.outcome == "ack"]
    assert len(acked) == len(set(acked)), "a message was acked twice"
    assert set(acked).isdisjoint(dead)
    assert set(acked) | dead == set(published), "a message was lost"
    assert dead, "no message used up its deliveries"
    held = _by_message(leases)
    for message_id in dead:
        assert len(held[message_id]) == max_deliveries
        assert held[message_id][-1].outcome in ("nack", "abandon")
    nacked_to_dead = {
        lease.message_id for lease in leases if lease.nacked_to == queues.dead
    }
    assert nacked_to_dead <= dead
    assert all(
        lease.nacked_to == queues.work
        for lease in leases
        if lease.outcome == "nack" and lease.attempt < max_deliveries
    )


def test_cleanup_running_alongside_consumers_takes_nothing_they_hold(
    make_queues: MakeQueues,
) -> None:
    consumers, messages, max_deliveries = 4, 300, 2
    odds = Odds(ack=0.7, nack=0.1)
    queues = make_queues(max_deliveries)
    stop = threading.Event()
    ready = threading.Barrier(consumers)

    with _connect() as conn:
        published = _ids(conn, PUBLISH_MANY, (messages, queues.topic))
        expiring = published[::4]
        _drain_cleanup(conn)
        since = _server_now(conn)
        conn.execute(BACKDATE_EXPIRY, (expiring,))
        with ThreadPoolExecutor(consumers + 2) as pool:
            workers: list[Future[list[Lease]]] = [
                pool.submit(_consume, number, queues.work, odds, ready, stop)
                for number in range(consumers)
            ]
            cleaners = [
                pool.submit(_clean, 7, False, stop),
                pool.submit(_clean, 5, True, stop),
            ]
            everyone: list[Future[Any]] = [*workers, *cleaners]
            try:
                expired_gone = _wait_until(conn, COUNT_OF_IDS, (expiring,), everyone)
                until = _server_now(conn)
                drained = _wait_until(conn, COUNT_IN_QUEUE, (queues.work,), everyone)
            finally:
                stop.set()
            leases = [lease for worker in workers for lease in worker.result()]
            counted_expired = sum(cleaner.result()[0] for cleaner in cleaners)
        dead = set(_ids(conn, IDS_IN_QUEUE, (queues.dead,)))

    assert expired_gone, "cleanup did not delete the expired messages in time"
    assert drained, "the work queue did not empty within the time limit"
    _assert_never_held_twice(leases, max_deliveries)
    _assert_ran_concurrently(leases)
    assert {lease.message_id for lease in leases}.isdisjoint(expiring)

    acked = [lease.message_id for lease in leases if lease.outcome == "ack"]
    assert len(acked) == len(set(acked)), "a message was acked twice"
    assert set(acked).isdisjoint(dead)
    assert set(acked) | dead | set(expiring) == set(published), "a message was lost"
    assert len(set(acked)) + len(dead) + len(expiring) == messages
    if _cron_may_have_cleaned(since, until):
        assert counted_expired <= len(expiring)
    else:
        assert counted_expired == len(expiring)


def test_run_cleanup_returns_the_totals_of_all_its_batches(
    make_queues: MakeQueues,
) -> None:
    queues = make_queues(1)
    with _connect() as conn:
        published = _ids(conn, PUBLISH_MANY, (25, queues.topic))
        expiring, kept = published[:12], published[12:]
        _drain_cleanup(conn)
        since = _server_now(conn)
        conn.execute(BACKDATE_EXPIRY, (expiring,))
        # Leased once, which is all they may be, and abandoned: they wait for the dead
        # queue.
        capped = _ids(conn, "SELECT id FROM fastqueue.lease(%s, 7)", (queues.work,))
        conn.execute(LAPSE_LEASE, (capped,))

        expired, dead_lettered = _row(conn, RUN_CLEANUP, (5,))
        until = _server_now(conn)
        dead = set(_ids(conn, IDS_IN_QUEUE, (queues.dead,)))
        waiting = set(_ids(conn, IDS_IN_QUEUE, (queues.work,)))

    assert len(capped) == 7
    assert set(capped) <= set(kept)
    assert dead == set(capped)
    assert waiting == set(kept) - set(capped)
    if _cron_may_have_cleaned(since, until):
        assert expired <= len(expiring)
        assert dead_lettered <= len(capped)
    else:
        assert (expired, dead_lettered) == (len(expiring), len(capped))
