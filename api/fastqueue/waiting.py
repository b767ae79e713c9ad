"""Long polling: requests that wait for messages without holding a connection.

Each API process keeps one connection outside the pool that LISTENs on channel
`fastqueue_wake` (the `Listener`), and a registry of the requests waiting in
this process, by queue (`WaitRegistry`). A waiting request runs one call of
`fastqueue.lease_wait` per attempt on a pooled connection and gives the
connection back before it sleeps. The SQL side notifies only queues whose
waiter row is armed, and disarms them, so each notification is worth one
lease attempt here; one armed row per queue and process serves every request
of the process that waits on that queue.

Who looks when, per queue and process:
- a notification wakes the oldest waiting request, which leases and, if it
  finds nothing, arms the queue again for the others;
- a request that leaves (with messages, or at its deadline) while the queue is
  not known to be armed, or with a full batch, wakes the next one, so that the
  queue is always either armed or being looked at;
- each request also wakes at the time the SQL side names (a delayed message or
  a lease that ends), and every fastqueue_long_poll_recheck_seconds in case a
  notification was lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Final

import psycopg

from fastqueue import _queries as queries
from fastqueue.db import Database, connection_kwargs
from fastqueue.settings import Settings

__all__ = ["Listener", "WaitRegistry", "lease_waiting"]

logger = logging.getLogger(__name__)

# A change the listener cannot see is picked up after the registry's
# recheck_seconds at most; each request draws its pause between 80% and 100% of
# it, so that requests that started together do not all look at once.
# While the listener is away, waiting requests look this often.
LISTENER_DOWN_RECHECK_SECONDS: Final = 1.0
# A publish was in flight when arming: look again after this pause, doubled each
# time up to the maximum (the publish notifies us anyway if it saw the armed row).
CONTENDED_PAUSE_SECONDS: Final = 0.02
CONTENDED_PAUSE_MAX_SECONDS: Final = 1.0
# Timers wake a little after the time a message becomes visible, not before.
VISIBLE_MARGIN_SECONDS: Final = 0.005
RECONNECT_PAUSE_SECONDS: Final = 0.5
RECONNECT_PAUSE_MAX_SECONDS: Final = 10.0
_KEEPALIVES: Final[dict[str, Any]] = {
    "keepalives": 1,
    "keepalives_idle": 15,
    "keepalives_interval": 5,
    "keepalives_count": 3,
}


class _Waiter:
    """One waiting request: the event that wakes it, and whether it left with a
    full batch (more messages may be waiting for the next request)."""

    __slots__ = ("event", "full_batch")

    def __init__(self) -> None:
        self.event = asyncio.Event()
        self.full_batch = False


@dataclass
class _QueueWaiters:
    """The requests of this process waiting on one queue, oldest first."""

    waiters: dict[_Waiter, None] = field(default_factory=dict)
    # True once lease_wait armed our listener's row and no notification came since.
    armed: bool = False
    # Counts notifications, so that an attempt that raced one does not mark armed.
    epoch: int = 0

    def wake_oldest(self) -> None:
        for waiter in self.waiters:
            waiter.event.set()
            return


class WaitRegistry:
    """Requests waiting in this process, by queue; fed by the Listener."""

    def __init__(self, db: Database, recheck_seconds: float) -> None:
        self.db = db
        self.recheck_seconds = recheck_seconds
        self._queues: dict[str, _QueueWaiters] = {}
        self.listener_pid: int | None = None
        self.closing = False

    @property
    def waiting(self) -> int:
        return sum(len(q.waiters) for q in self._queues.values())

    @contextlib.contextmanager
    def register(self, queue_id: str) -> Iterator[_Waiter]:
        """Register a waiting request for as long as the block runs.

        When it leaves, the next request of the queue looks, unless the queue
        is armed (and the request did not take a full batch).
        """
        queue = self._queues.setdefault(queue_id, _QueueWaiters())
        waiter = _Waiter()
        queue.waiters[waiter] = None
        try:
            yield waiter
        finally:
            del queue.waiters[waiter]
            if not queue.waiters:
                self._queues.pop(queue_id, None)
            elif waiter.full_batch or not queue.armed:
                queue.wake_oldest()

    def arm_pid(self, queue_id: str) -> int | None:
        """The listener pid to arm with, or None if armed already (or no listener)."""
        queue = self._queues.get(queue_id)
        if self.closing or (queue is not None and queue.armed):
            return None
        return self.listener_pid

    def epoch(self, queue_id: str) -> int:
        queue = self._queues.get(queue_id)
        return 0 if queue is None else queue.epoch

    def mark_armed(self, queue_id: str, epoch: int, pid: int) -> None:
        """lease_wait armed `pid` for the queue; trust it unless a wake-up raced."""
        queue = self._queues.get(queue_id)
        if queue is not None and queue.epoch == epoch and self.listener_pid == pid:
            queue.armed = True

    def notify(self, queue_id: str) -> None:
        """A publish disarmed the queue: the oldest request looks (and re-arms)."""
        queue = self._queues.get(queue_id)
        if queue is not None:
            queue.armed = False
            queue.epoch += 1
            queue.wake_oldest()

    def listener_changed(self, pid: int | None) -> None:
        """A new listener (or none): every queue must be armed again."""
        self.listener_pid = pid
        for queue in self._queues.values():
            queue.armed = False
            queue.epoch += 1
            queue.wake_oldest()

    def close(self) -> None:
        """Shutting down: every request looks one last time and answers."""
        if self.closing:
            return
        self.closing = True
        for queue in self._queues.values():
            for waiter in queue.waiters:
                waiter.event.set()
        logger.info("waking every long poll to answer", extra={"action": "shutdown"})


@dataclass(frozen=True)
class _Attempt:
    body: bytes
    count: int
    armed: bool
    next_visible_in: float | None


async def _attempt(
    db: Database, queue_id: str, limit: int, listener_pid: int | None
) -> _Attempt:
    params = {"queue_id": queue_id, "limit": limit, "listener_pid": listener_pid}
    async with db.pool.connection() as conn:
        cur = await conn.execute(queries.LEASE_WAIT, params)
        row = await cur.fetchone()
    if row is None:
        raise RuntimeError("lease_wait answered no row")
    body, count, armed, next_visible_in = row
    return _Attempt(str(body).encode(), int(count), bool(armed), next_visible_in)


async def lease_waiting(
    registry: WaitRegistry,
    queue_id: str,
    limit: int,
    wait_seconds: float,
    disconnected: Callable[[], Awaitable[None]] | None = None,
) -> bytes:
    """Lease up to `limit` messages, waiting up to `wait_seconds` for the first.

    Returns the JSON body of the lease, `{"data": []}` when the time is up, the
    server shuts down, or the client went away (`disconnected` returns).
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait_seconds
    pause = CONTENDED_PAUSE_SECONDS
    gone = None if disconnected is None else asyncio.ensure_future(disconnected())
    try:
        with registry.register(queue_id) as waiter:
            while True:
                pid = registry.arm_pid(queue_id)
                epoch = registry.epoch(queue_id)
                waiter.event.clear()
                attempt = await _attempt(registry.db, queue_id, limit, pid)
                if attempt.count:
                    waiter.full_batch = attempt.count >= limit
                    return attempt.body
                if pid is not None and attempt.armed:
                    registry.mark_armed(queue_id, epoch, pid)
                remaining = deadline - loop.time()
                if registry.closing or remaining <= 0:
                    return attempt.body
                recheck = registry.recheck_seconds * random.uniform(0.8, 1.0)  # noqa: S311
                sleep = min(remaining, recheck)
                if attempt.next_visible_in is not None:
                    visible = max(0.0, attempt.next_visible_in)
                    sleep = min(sleep, visible + VISIBLE_MARGIN_SECONDS)
                if registry.listener_pid is None:
                    sleep = min(sleep, LISTENER_DOWN_RECHECK_SECONDS)
                elif pid is not None and not attempt.armed:
                    sleep = min(sleep, pause)
                    pause = min(pause * 2, CONTENDED_PAUSE_MAX_SECONDS)
                if await _sleep(waiter.event, sleep, gone):
                    logger.debug(
                        "client left a long poll",
                        extra={"action": "long_poll", "queue_id": queue_id},
                    )
                    return b'{"data":[]}'
    finally:
        if gone is not None:
            gone.cancel()


async def _sleep(
    event: asyncio.Event, seconds: float, gone: asyncio.Future[None] | None
) -> bool:
    """Sleep until the event, the time, or the client leaving (returns True)."""
    woken = asyncio.ensure_future(event.wait())
    waits: set[asyncio.Future[Any]] = {woken}
    if gone is not None:
        waits.add(gone)
    try:
        await asyncio.wait(waits, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        woken.cancel()
    return gone is not None and gone.done()


class Listener:
    """The process's LISTEN connection: notifications go to the registry.

    Reconnects with a growing pause when the connection drops; meanwhile the
    registry has no listener pid and waiting requests look every
    LISTENER_DOWN_RECHECK_SECONDS.
    """

    def __init__(self, settings: Settings, registry: WaitRegistry) -> None:
        self._settings = settings
        self._registry = registry
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        pause = RECONNECT_PAUSE_SECONDS
        while True:
            try:
                await self._listen()
            except psycopg.Error as exc:
                if self._registry.listener_pid is not None:
                    pause = RECONNECT_PAUSE_SECONDS  # it was up: start over
                logger.warning(
                    "long-poll listener lost its connection (%s); retry in %.1fs",
                    exc.__class__.__name__,
                    pause,
                    extra={"action": "listen"},
                )
            except Exception:
                # A bug here must not end long polling for the life of the process.
                logger.exception(
                    "long-poll listener failed", extra={"action": "listen"}
                )
            finally:
                self._registry.listener_changed(None)
            await asyncio.sleep(pause)
            pause = min(pause * 2, RECONNECT_PAUSE_MAX_SECONDS)

    async def _listen(self) -> None:
        conn = await psycopg.AsyncConnection.connect(
            self._settings.database_url,
            **connection_kwargs(self._settings),
            # The connection only ever reads: notice a peer that went away
            # without closing it within about half a minute.
            **_KEEPALIVES,
        )
        async with conn:
            await conn.execute(queries.LISTEN_WAKE)
            cur = await conn.execute(queries.FORGET_STALE_WAITERS)
            row = await cur.fetchone()
            pid = conn.info.backend_pid
            logger.info(
                "long-poll listener ready (backend %s, %s stale waiters forgotten)",
                pid,
                row[0] if row else 0,
                extra={"action": "listen"},
            )
            self._registry.listener_changed(pid)
            async for notify in conn.notifies():
                self._registry.notify(notify.payload)
