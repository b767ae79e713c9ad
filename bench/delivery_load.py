"""Delivery under load: publishers and consumers over HTTP, and what they prove.

Publishers post to a topic with one queue and to a topic that fans out to three
queues through filters. Consumers lease from all four with a short ack
deadline, and ack, nack or walk away from each message at random; every work
queue has a dead queue. Everything each side saw is recorded: the copies each
publish answered, and each lease with the server's lease instant (updated_at)
and deadline (scheduled_at). `check` then proves, against the database:

- every copy of a publish answered 201 was acked, or sits in its dead queue
  with a delivery count of 0 after exactly max-deliveries leases;
- each publish went to exactly the queues whose filter matches;
- no message was held by two consumers at once, and none came back after it
  was acked;
- the stats of every queue agree with what was counted.

The same code runs in the test suite (tests/test_delivery_load.py, small and
with faults injected: the API killed, PostgreSQL stopped) and by hand:

    python bench/delivery_load.py --messages 20000 --consumers 16

which starts the bench cluster (127.0.0.1:54331) and an API server, and prints
its figures and any broken guarantee.
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

import httpx
import psycopg
from _common import DATABASE_URL, ApiServer, start_cluster

Outcome = Literal["ack", "nack", "abandon", "stale", "unknown"]

COLORS = ("red", "blue", "green")
SIZES = ("big", "small")
# A consumer settles a message only while this much of its ack deadline is left,
# and walks away from it otherwise, as a careful consumer would.
SETTLE_MARGIN_SECONDS = 0.6
POLL_SECONDS = 0.02
RETRY_SECONDS = 0.1
# Requests that may fail while a fault is injected: answered 503, or not at all.
UNAVAILABLE = 503


# --- what runs, and what it saw ---------------------------------------------


@dataclass(frozen=True)
class Config:
    base_url: str
    database_url: str
    """As a role that may read fastqueue.message (the schema's owner)."""
    messages: int = 400
    publishers: int = 3
    consumers: int = 8
    ack_deadline_seconds: int = 1
    max_deliveries: int = 3
    ack_odds: float = 0.6
    nack_odds: float = 0.2
    time_limit_seconds: float = 60.0
    random_seed: int = 6
    faults: bool = False
    """Tolerate lost answers (the API killed, the database away) while checking."""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Layout:
    """The topics and queues of one run, all under one prefix."""

    prefix: str
    single_topic: str
    fanout_topic: str
    # work queue -> (topic, filter, dead queue)
    queues: dict[str, tuple[str, dict[str, list[str]] | None, str]]

    @property
    def work_queues(self) -> list[str]:
        return sorted(self.queues)

    def expected_queues(self, topic: str, attributes: dict[str, str]) -> set[str]:
        """The queues whose filter takes a message: what publish must fan out to."""
        return {
            queue
            for queue, (queue_topic, filters, _) in self.queues.items()
            if queue_topic == topic
            and all(
                attributes.get(key) in accepted
                for key, accepted in (filters or {}).items()
            )
        }


@dataclass
class Publish:
    topic: str
    data: dict[str, Any]
    attributes: dict[str, str]
    status: int | None
    # (message id, queue id) of each copy, when answered 201.
    copies: list[tuple[uuid.UUID, str]]


@dataclass
class Lease:
    message_id: uuid.UUID
    queue_id: str
    consumer: int
    attempt: int
    start: datetime
    """The server's lease instant (updated_at of the lease answer)."""
    deadline: datetime
    """The server's deadline (scheduled_at of the lease answer)."""
    data: dict[str, Any]
    outcome: Outcome = "abandon"
    settle_sent: datetime | None = None
    settle_answered: datetime | None = None

    @property
    def end(self) -> datetime:
        """The latest instant this consumer may still have held the message.

        After a nack or ack the server released it at some point between the
        request going out and the answer coming back: the request time is the
        safe bound for a later lease to start after.
        """
        if self.outcome in ("ack", "nack", "unknown") and self.settle_sent:
            return min(self.deadline, self.settle_sent)
        return self.deadline


@dataclass
class Call:
    """One HTTP request of the run: when, how long, and its status (None: no answer)."""

    kind: str
    sent: float
    seconds: float
    status: int | None


@dataclass
class Record:
    layout: Layout
    publishes: list[Publish] = field(default_factory=list)
    leases: list[Lease] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    seconds: float = 0.0
    drained: bool = False
    failures: list[BaseException] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add_call(self, call: Call) -> None:
        with self.lock:
            self.calls.append(call)


# --- the run ------------------------------------------------------------------


def now() -> datetime:
    return datetime.now(UTC)


def _timestamp(value: str) -> datetime:
    return datetime.fromisoformat(value)


class Client:
    """An httpx client that records every call and never raises on a lost answer."""

    def __init__(self, config: Config, record: Record) -> None:
        self._http = httpx.Client(
            base_url=config.base_url, timeout=10, headers=config.headers
        )
        self._record = record

    def close(self) -> None:
        self._http.close()

    def call(
        self, kind: str, method: str, path: str, **kwargs: Any
    ) -> httpx.Response | None:
        sent = time.monotonic()
        try:
            response = self._http.request(method, path, **kwargs)
        except httpx.HTTPError:
            self._record.add_call(Call(kind, sent, time.monotonic() - sent, None))
            return None
        self._record.add_call(
            Call(kind, sent, time.monotonic() - sent, response.status_code)
        )
        return response


def create_layout(http: httpx.Client, max_deliveries: int, ack_deadline: int) -> Layout:
    prefix = f"load-{uuid.uuid4().hex[:10]}"
    single, fanout = f"{prefix}-single", f"{prefix}-fanout"
    filters: dict[str, dict[str, list[str]] | None] = {
        f"{prefix}-one": None,
        f"{prefix}-all": None,
        f"{prefix}-red": {"color": ["red"]},
        f"{prefix}-big-warm": {"color": ["red", "blue"], "size": ["big"]},
    }
    queues = {
        queue: (single if queue.endswith("-one") else fanout, chosen, f"{queue}-dead")
        for queue, chosen in filters.items()
    }
    for topic in (single, fanout):
        _expect(http.post("/topics", json={"id": topic}), 201)
    for queue, (topic, chosen, dead) in queues.items():
        _expect(http.post("/queues", json={"id": dead}), 201)
        body = {
            "id": queue,
            "topic_id": topic,
            "dead_queue_id": dead,
            "message_max_deliveries": max_deliveries,
            "ack_deadline_seconds": ack_deadline,
            "message_filters": chosen,
        }
        _expect(http.post("/queues", json=body), 201)
    return Layout(prefix, single, fanout, queues)


def delete_layout(http: httpx.Client, layout: Layout) -> None:
    for queue, (_, _, dead) in layout.queues.items():
        http.delete(f"/queues/{queue}")
        http.delete(f"/queues/{dead}")
    for topic in (layout.single_topic, layout.fanout_topic):
        http.delete(f"/topics/{topic}")


def _expect(response: httpx.Response, status: int) -> None:
    if response.status_code != status:
        raise RuntimeError(
            f"{response.request.method} {response.request.url.path} answered "
            f"{response.status_code}, not {status}: {response.text}"
        )


def _publisher(
    number: int, count: int, config: Config, record: Record, stop: threading.Event
) -> None:
    rng = random.Random(config.random_seed * 1000 + number)  # noqa: S311 - not a secret
    client = Client(config, record)
    layout = record.layout
    try:
        for seq in range(count):
            if stop.is_set():
                return
            topic = layout.single_topic if seq % 2 else layout.fanout_topic
            attributes = {"color": rng.choice(COLORS), "size": rng.choice(SIZES)}
            data = {"publisher": number, "seq": seq, "pad": "x" * rng.randint(0, 200)}
            body = {"data": data, "attributes": attributes}
            response = client.call(
                "publish", "POST", f"/topics/{topic}/messages", json=body
            )
            copies: list[tuple[uuid.UUID, str]] = []
            if response is not None and response.status_code == 201:
                copies = [
                    (uuid.UUID(m["id"]), m["queue_id"]) for m in response.json()["data"]
                ]
            status = None if response is None else response.status_code
            with record.lock:
                record.publishes.append(
                    Publish(topic, data, attributes, status, copies)
                )
            if response is None or status == UNAVAILABLE:
                time.sleep(RETRY_SECONDS)
    finally:
        client.close()


def _settle(
    client: Client, lease: Lease, outcome: Outcome, receipt: str | None
) -> None:
    params = {"receipt": receipt} if receipt else None
    lease.settle_sent = now()
    response = client.call(
        outcome, "PUT", f"/messages/{lease.message_id}/{outcome}", params=params
    )
    lease.settle_answered = now()
    if response is None or response.status_code >= 500:
        lease.outcome = "unknown"
    elif response.status_code == 204:
        lease.outcome = outcome
    elif response.status_code == 409:
        # The receipt was stale: the deadline passed and the message moved on.
        lease.outcome = "stale"
    else:
        raise RuntimeError(
            f"{outcome} of {lease.message_id} answered {response.status_code}: "
            f"{response.text}"
        )


def _consumer(
    number: int, config: Config, record: Record, stop: threading.Event
) -> None:
    rng = random.Random(config.random_seed * 1000 + 500 + number)  # noqa: S311
    client = Client(config, record)
    queues = record.layout.work_queues
    settle_within = config.ack_deadline_seconds - SETTLE_MARGIN_SECONDS
    try:
        while not stop.is_set():
            queue = rng.choice(queues)
            sent = time.monotonic()
            response = client.call(
                "lease",
                "GET",
                f"/queues/{queue}/messages",
                params={"limit": rng.randint(1, 5)},
            )
            if response is None or response.status_code != 200:
                if response is not None and response.status_code != UNAVAILABLE:
                    raise RuntimeError(f"lease answered {response.status_code}")
                time.sleep(RETRY_SECONDS)
                continue
            messages = response.json()["data"]
            if not messages:
                time.sleep(POLL_SECONDS)
                continue
            for message in messages:
                lease = Lease(
                    message_id=uuid.UUID(message["id"]),
                    queue_id=message["queue_id"],
                    consumer=number,
                    attempt=message["delivery_attempts"],
                    start=_timestamp(message["updated_at"]),
                    deadline=_timestamp(message["scheduled_at"]),
                    data=message["data"],
                )
                with record.lock:
                    record.leases.append(lease)
                draw = rng.random()
                if time.monotonic() - sent > settle_within:
                    continue  # too late to settle safely: walk away
                if draw < config.ack_odds:
                    _settle(client, lease, "ack", message.get("receipt"))
                elif draw < config.ack_odds + config.nack_odds:
                    _settle(client, lease, "nack", message.get("receipt"))
    finally:
        client.close()


def _remaining(conn: psycopg.Connection[Any], queues: Sequence[str]) -> int | None:
    """Messages left in the work queues, or None while the database is away."""
    try:
        row = conn.execute(
            "SELECT count(*) FROM fastqueue.message WHERE queue_id = ANY (%s)",
            (list(queues),),
        ).fetchone()
    except psycopg.Error:
        return None
    return None if row is None else int(row[0])


def run(
    config: Config,
    layout: Layout,
    *,
    during: Callable[[Record], None] | None = None,
) -> Record:
    """Publish `config.messages` messages and consume until the work queues are empty.

    `during`, if given, runs in this thread once the load is going (to inject a
    fault); the run then goes on until everything is settled or the time limit.
    """
    record = Record(layout)
    stop = threading.Event()
    per_publisher = [
        config.messages // config.publishers
        + (1 if n < config.messages % config.publishers else 0)
        for n in range(config.publishers)
    ]
    threads = [
        threading.Thread(
            target=_guard,
            args=(
                record,
                stop,
                lambda n=n, c=count: _publisher(n, c, config, record, stop),
            ),
        )
        for n, count in enumerate(per_publisher)
    ] + [
        threading.Thread(
            target=_guard,
            args=(record, stop, lambda n=n: _consumer(n, config, record, stop)),
        )
        for n in range(config.consumers)
    ]
    started = time.monotonic()
    give_up = started + config.time_limit_seconds
    for thread in threads:
        thread.start()
    conn: psycopg.Connection[Any] | None = None
    try:
        if during is not None:
            during(record)
        publishers = threads[: config.publishers]
        while time.monotonic() < give_up and any(t.is_alive() for t in publishers):
            time.sleep(POLL_SECONDS * 5)
        while time.monotonic() < give_up and not record.drained:
            if conn is None or conn.closed:
                conn = _try_connect(config.database_url)
            if conn is not None and _remaining(conn, layout.work_queues) == 0:
                record.drained = True
            elif not any(t.is_alive() for t in threads[config.publishers :]):
                break  # every consumer failed: nothing will drain the queues
            else:
                time.sleep(POLL_SECONDS * 5)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        record.seconds = time.monotonic() - started
        if conn is not None:
            conn.close()
    if record.failures:
        raise RuntimeError("a load thread failed") from record.failures[0]
    return record


def _guard(record: Record, stop: threading.Event, target: Callable[[], None]) -> None:
    """Run a load thread; keep its exception for `run` to raise."""
    try:
        target()
    except Exception as error:  # handed to run(), which raises it
        with record.lock:
            record.failures.append(error)
        stop.set()  # the run has failed: stop the others


def _try_connect(database_url: str) -> psycopg.Connection[Any] | None:
    try:
        return psycopg.connect(database_url, autocommit=True, connect_timeout=2)
    except psycopg.Error:
        return None


# --- the checks ---------------------------------------------------------------


def check(config: Config, record: Record, http: httpx.Client) -> list[str]:
    """Every broken guarantee the record and the database show; [] when none."""
    problems: list[str] = []
    layout = record.layout
    if not record.drained:
        problems.append("the work queues did not empty within the time limit")

    confirmed: dict[uuid.UUID, tuple[str, dict[str, Any]]] = {}
    sent_by_key: dict[tuple[int, int], Publish] = {}
    for publish in record.publishes:
        sent_by_key[(publish.data["publisher"], publish.data["seq"])] = publish
        if publish.status != 201:
            if not config.faults:
                problems.append(f"a publish answered {publish.status}")
            continue
        fanned = {queue for _, queue in publish.copies}
        expected = layout.expected_queues(publish.topic, publish.attributes)
        if fanned != expected or len(publish.copies) != len(expected):
            problems.append(
                f"publish {publish.data['seq']} with {publish.attributes} went to "
                f"{sorted(fanned)}, not {sorted(expected)}"
            )
        for message_id, queue in publish.copies:
            confirmed[message_id] = (queue, publish.data)

    held: dict[uuid.UUID, list[Lease]] = defaultdict(list)
    for lease in sorted(record.leases, key=lambda lease: lease.start):
        held[lease.message_id].append(lease)
    problems += _check_leases(config, held, confirmed, sent_by_key)

    dead = _dead_letters(config, layout)
    problems += _check_outcomes(config, layout, held, confirmed, dead)
    problems += _check_stats(layout, http, dead)
    return problems


def _check_leases(
    config: Config,
    held: dict[uuid.UUID, list[Lease]],
    confirmed: dict[uuid.UUID, tuple[str, dict[str, Any]]],
    sent_by_key: dict[tuple[int, int], Publish],
) -> list[str]:
    problems: list[str] = []
    for message_id, leases in held.items():
        first = leases[0]
        if message_id in confirmed:
            queue, data = confirmed[message_id]
            if first.queue_id != queue or first.data != data:
                problems.append(f"message {message_id} came back changed")
        else:
            # Only a publish whose answer was lost may have stored messages we
            # were never told of, and then exactly what it sent.
            key = (first.data.get("publisher"), first.data.get("seq"))
            publish = sent_by_key.get(key)  # type: ignore[arg-type]
            if not config.faults or publish is None or publish.status == 201:
                problems.append(f"message {message_id} was never published")
            elif publish.data != first.data:
                problems.append(f"message {message_id} came back changed")
        attempts = [lease.attempt for lease in leases]
        consecutive = attempts == list(range(1, len(leases) + 1))
        increasing = all(a < b for a, b in itertools.pairwise(attempts))
        if not (increasing if config.faults else consecutive):
            problems.append(f"message {message_id} was delivered as {attempts}")
        if len(leases) > config.max_deliveries:
            problems.append(f"message {message_id} was leased {len(leases)} times")
        for earlier, later in itertools.pairwise(leases):
            if later.start < earlier.end:
                problems.append(
                    f"message {message_id}: consumer {later.consumer} leased it at "
                    f"{later.start} while consumer {earlier.consumer} held it until "
                    f"{earlier.end}"
                )
            if earlier.outcome == "ack":
                problems.append(
                    f"message {message_id} was leased again after it was acked"
                )
    return problems


def _dead_letters(config: Config, layout: Layout) -> dict[uuid.UUID, tuple[str, int]]:
    """Message id -> (dead queue, delivery count) of everything in the dead queues."""
    dead_queues = [dead for _, _, dead in layout.queues.values()]
    with psycopg.connect(config.database_url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT id, queue_id, delivery_attempts FROM fastqueue.message "
            "WHERE queue_id = ANY (%s)",
            (dead_queues,),
        ).fetchall()
    return {row[0]: (row[1], row[2]) for row in rows}


def _check_outcomes(
    config: Config,
    layout: Layout,
    held: dict[uuid.UUID, list[Lease]],
    confirmed: dict[uuid.UUID, tuple[str, dict[str, Any]]],
    dead: dict[uuid.UUID, tuple[str, int]],
) -> list[str]:
    problems: list[str] = []
    unknown = set(dead) - set(confirmed) - set(held)
    if unknown:
        problems.append(f"{len(unknown)} messages in dead queues were never seen")
    for message_id, (queue, _) in confirmed.items():
        leases = held.get(message_id, [])
        acked = any(lease.outcome == "ack" for lease in leases)
        maybe_acked = any(lease.outcome == "unknown" for lease in leases)
        if message_id in dead:
            dead_queue, attempts = dead[message_id]
            if acked:
                problems.append(f"message {message_id} was acked and dead-lettered")
            if dead_queue != layout.queues[queue][2]:
                problems.append(f"message {message_id} went to {dead_queue}")
            if attempts != 0:
                problems.append(
                    f"message {message_id} sits in its dead queue with a delivery "
                    f"count of {attempts}, not 0"
                )
            right_count = (
                len(leases) <= config.max_deliveries
                if config.faults
                else len(leases) == config.max_deliveries
            )
            if not right_count:
                problems.append(
                    f"message {message_id} was dead-lettered after {len(leases)} "
                    f"leases, not {config.max_deliveries}"
                )
        elif not acked and not (config.faults and maybe_acked):
            problems.append(f"message {message_id} was lost: neither acked nor dead")
    return problems


def _check_stats(
    layout: Layout, http: httpx.Client, dead: dict[uuid.UUID, tuple[str, int]]
) -> list[str]:
    problems: list[str] = []
    in_dead = Counter(queue for queue, _ in dead.values())
    for queue, (_, _, dead_queue) in layout.queues.items():
        for name, expected in ((queue, 0), (dead_queue, in_dead[dead_queue])):
            stats = http.get(f"/queues/{name}/stats").json()
            if stats["num_undelivered_messages"] != expected:
                problems.append(
                    f"stats of {name} count {stats['num_undelivered_messages']} "
                    f"messages, the test counted {expected}"
                )
    return problems


def summary(record: Record) -> dict[str, object]:
    """The figures of a run."""
    outcomes = Counter(lease.outcome for lease in record.leases)
    statuses = Counter(
        f"{call.kind} {call.status or 'no answer'}" for call in record.calls
    )
    copies = sum(len(publish.copies) for publish in record.publishes)
    return {
        "seconds": round(record.seconds, 2),
        "publishes": len(record.publishes),
        "copies": copies,
        "leases": len(record.leases),
        "requests_per_second": round(len(record.calls) / max(record.seconds, 1e-9)),
        "outcomes": dict(outcomes),
        "statuses": dict(sorted(statuses.items())),
        "consumers_seen": len({lease.consumer for lease in record.leases}),
    }


def overlapping_consumers(leases: Iterable[Lease]) -> bool:
    """Whether two consumers held leases at the same time: the load was concurrent."""
    ordered = sorted(leases, key=lambda lease: lease.start)
    return any(
        later.consumer != earlier.consumer and later.start < earlier.end
        for earlier, later in itertools.pairwise(ordered)
    )


# --- by hand --------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--publishers", type=int, default=4)
    parser.add_argument("--consumers", type=int, default=16)
    parser.add_argument("--ack-deadline", type=int, default=2)
    parser.add_argument("--max-deliveries", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2, help="API worker processes")
    parser.add_argument("--time-limit", type=float, default=600.0)
    parser.add_argument("--no-cluster", action="store_true", help="reuse the cluster")
    args = parser.parse_args()

    if not args.no_cluster:
        start_cluster()
    server = ApiServer(workers=args.workers)
    try:
        config = Config(
            base_url=server.url,
            database_url=DATABASE_URL,
            messages=args.messages,
            publishers=args.publishers,
            consumers=args.consumers,
            ack_deadline_seconds=args.ack_deadline,
            max_deliveries=args.max_deliveries,
            time_limit_seconds=args.time_limit,
        )
        with httpx.Client(base_url=server.url, timeout=30) as http:
            layout = create_layout(http, args.max_deliveries, args.ack_deadline)
            try:
                record = run(config, layout)
                problems = check(config, record, http)
            finally:
                delete_layout(http, layout)
    finally:
        server.stop()
    for name, value in summary(record).items():
        print(f"{name}: {value}")
    for problem in problems[:50]:
        print(f"PROBLEM: {problem}")
    print(f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
