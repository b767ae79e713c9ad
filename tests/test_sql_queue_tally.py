"""Queue tallies under concurrency: several sessions publish, ack, nack and redrive
at once, each in the shard of its own backend; afterwards every tally equals an
exact count of the queue's messages. Also an ack racing a move of its message.
"""

from __future__ import annotations

import os
import random
import threading
import time
import uuid
from dataclasses import dataclass
from typing import LiteralString

import psycopg
import pytest
from psycopg.rows import TupleRow
from psycopg.types.json import Jsonb

DATABASE_URL = os.environ.get(
    "FASTQUEUE_TEST_DATABASE_URL",
    "postgresql://fastqueue:fastqueue@127.0.0.1:54329/fastqueue",
)
SESSIONS = 6
ROUNDS = 60

Conn = psycopg.Connection[TupleRow]

PUBLISH: LiteralString = "SELECT count(*) FROM fastqueue.publish(%s, %s)"
PUBLISH_BATCH: LiteralString = "SELECT count(*) FROM fastqueue.publish_batch(%s, %s)"
LEASE: LiteralString = "SELECT id FROM fastqueue.lease(%s, %s)"
ACK: LiteralString = "SELECT fastqueue.ack(%s)"
ACK_BATCH: LiteralString = "SELECT fastqueue.ack_batch(%s)"
NACK: LiteralString = "SELECT fastqueue.nack(%s)"
REDRIVE: LiteralString = "SELECT fastqueue.redrive_queue(%s, %s, 5)"
SHARD: LiteralString = "SELECT pg_backend_pid() % 16"
DRIFT: LiteralString = """
    SELECT q.id, t.messages, (SELECT count(*) FROM fastqueue.message AS m
                              WHERE m.queue_id = q.id)
    FROM fastqueue.queue AS q
    JOIN (SELECT queue_id, sum(messages) AS messages
          FROM fastqueue.queue_tally GROUP BY queue_id) AS t ON t.queue_id = q.id
    WHERE q.id = ANY (%s)
"""
SHARDS_USED: LiteralString = """
    SELECT count(*) FROM fastqueue.queue_tally WHERE queue_id = %s AND messages <> 0
"""


@dataclass
class Names:
    topic: str
    queue: str
    dead: str


def _session(names: Names, number: int, shards: list[int], errors: list[str]) -> None:
    # Session n always draws the same mix of writes.
    rng = random.Random(number)  # noqa: S311
    try:
        with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
            row = conn.execute(SHARD).fetchone()
            assert row is not None
            shards.append(row[0])
            for _ in range(ROUNDS):
                _one_round(conn, rng, names)
    except Exception as error:
        errors.append(repr(error))


def _one_round(conn: Conn, rng: random.Random, names: Names) -> None:
    topic, queue, dead = names.topic, names.queue, names.dead
    conn.execute(PUBLISH, (topic, Jsonb({"n": rng.randrange(1000)})))
    if rng.random() < 0.3:
        batch = [{"data": {"n": i}} for i in range(rng.randrange(1, 6))]
        conn.execute(PUBLISH_BATCH, (topic, Jsonb(batch)))
    ids = [row[0] for row in conn.execute(LEASE, (queue, rng.randrange(1, 4)))]
    for message_id in ids:
        choice = rng.random()
        # A missing message means another session's settle won a lapsed lease.
        with conn.transaction():
            if choice < 0.5:
                conn.execute(ACK_BATCH, (Jsonb([{"id": str(message_id)}]),))
            elif choice < 0.8:
                conn.execute(NACK, (message_id,))
    if rng.random() < 0.1:
        conn.execute(REDRIVE, (dead, queue))


def test_tallies_equal_exact_counts_after_concurrent_writes() -> None:
    suffix = uuid.uuid4().hex[:12]
    names = Names(f"tally-topic-{suffix}", f"tally-q-{suffix}", f"tally-dead-{suffix}")
    topic, queue, dead = names.topic, names.queue, names.dead
    with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
        conn.execute("SELECT fastqueue.create_topic(%s)", (topic,))
        conn.execute("SELECT fastqueue.create_queue(%s)", (dead,))
        conn.execute(
            "SELECT fastqueue.create_queue(%s, %s, %s, p_message_max_deliveries => 2)",
            (queue, topic, dead),
        )
        try:
            shards: list[int] = []
            errors: list[str] = []
            threads = [
                threading.Thread(target=_session, args=(names, number, shards, errors))
                for number in range(SESSIONS)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
            assert not any(thread.is_alive() for thread in threads)
            assert errors == []

            rows = conn.execute(DRIFT, ([queue, dead],)).fetchall()
            assert len(rows) == 2
            for queue_id, tally, exact in rows:
                assert (queue_id, tally) == (queue_id, exact)
            assert sum(exact for _, _, exact in rows) > 0
            # The sessions wrote to more than one shard of the queue.
            assert len(set(shards)) > 1
            used = conn.execute(SHARDS_USED, (queue,)).fetchone()
            assert used is not None
            assert used[0] > 1
        finally:
            conn.execute("SELECT fastqueue.delete_queue(%s)", (queue,))
            conn.execute("SELECT fastqueue.delete_queue(%s)", (dead,))
            conn.execute("SELECT fastqueue.delete_topic(%s)", (topic,))


WAITING_FOR_LOCK: LiteralString = """
    SELECT count(*) FROM pg_stat_activity WHERE pid = %s AND wait_event_type = 'Lock'
"""


@pytest.mark.parametrize(
    "settle",
    [
        "SELECT fastqueue.ack(%(id)s)",
        "SELECT fastqueue.ack_batch(jsonb_build_array(jsonb_build_object("
        "'id', %(id)s)))",
    ],
    ids=["ack", "ack_batch"],
)
def test_ack_counts_a_message_moved_meanwhile_to_a_new_queue(
    settle: LiteralString,
) -> None:
    # The ack's delete waits for the message while another transaction creates a
    # queue and redrives the message into it; once that commits, the delete follows
    # the message into a queue its snapshot did not know, and must count it there.
    suffix = uuid.uuid4().hex[:12]
    topic, source, target = (
        f"race-{kind}-{suffix}" for kind in ("topic", "src", "new")
    )
    with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
        conn.execute("SELECT fastqueue.create_topic(%s)", (topic,))
        conn.execute("SELECT fastqueue.create_queue(%s, %s)", (source, topic))
        row = conn.execute(
            "SELECT id FROM fastqueue.publish(%s, '{}')", (topic,)
        ).fetchone()
        assert row is not None
        message_id = row[0]
        try:
            with (
                psycopg.connect(DATABASE_URL) as mover,
                psycopg.connect(DATABASE_URL, autocommit=True) as acker,
            ):
                mover.execute("SELECT fastqueue.create_queue(%s)", (target,))
                mover.execute(
                    "SELECT fastqueue.redrive_queue(%s, %s)", (source, target)
                )
                acker_pid = acker.info.backend_pid
                failures: list[BaseException] = []

                def settle_it() -> None:
                    try:
                        acker.execute(settle, {"id": message_id})
                    except BaseException as exc:  # reported by the main thread
                        failures.append(exc)

                thread = threading.Thread(target=settle_it)
                thread.start()
                for _ in range(500):
                    waiting = conn.execute(WAITING_FOR_LOCK, (acker_pid,)).fetchone()
                    if waiting is not None and waiting[0] == 1:
                        break
                    time.sleep(0.01)
                else:
                    raise AssertionError("the ack never waited for its message")
                mover.commit()
                thread.join(timeout=30)
                assert not thread.is_alive()
                assert failures == []

            rows = conn.execute(DRIFT, ([source, target],)).fetchall()
            assert sorted(
                (queue_id, tally, exact) for queue_id, tally, exact in rows
            ) == [
                (target, 0, 0),
                (source, 0, 0),
            ]
        finally:
            conn.execute(
                "SELECT fastqueue.delete_queue(q.id) FROM fastqueue.queue AS q"
                " WHERE q.id = ANY (%s)",
                ([target, source],),
            )
            conn.execute("SELECT fastqueue.delete_topic(%s)", (topic,))
