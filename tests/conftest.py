"""Shared fixtures: the test database, and fastqueue servers run as real processes.

Tests share one database with each other (and with other test files), so every
test makes its own topics and queues under unique ids and deletes them at the
end; nothing truncates a table.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import psycopg
import pytest

DEFAULT_DATABASE_URL = "postgresql://fastqueue:fastqueue@127.0.0.1:54329/fastqueue"
API_ROLE = "fastqueue_api"
STARTUP_SECONDS = 30.0
STOP_SECONDS = 15.0

StartServer = Callable[..., "ServerProcess"]


def unique(prefix: str) -> str:
    """An id no other test uses."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def fastqueue_command() -> list[str]:
    """The installed console script, or the module if it is not on PATH."""
    script = Path(sys.executable).with_name("fastqueue")
    if script.exists():
        return [str(script)]
    found = shutil.which("fastqueue")
    return [found] if found else [sys.executable, "-m", "fastqueue"]


def base_env(database_url: str, **settings: str) -> dict[str, str]:
    """The environment of a fastqueue process: ours minus fastqueue_* plus these."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.lower().startswith("fastqueue_")
        and key != "PROMETHEUS_MULTIPROC_DIR"
    }
    env["fastqueue_database_url"] = database_url
    env["fastqueue_log_level"] = "warning"
    env.update({f"fastqueue_{key}": value for key, value in settings.items()})
    return env


class ServerProcess:
    """`fastqueue server` running on a free port of 127.0.0.1."""

    def __init__(
        self, env: dict[str, str], cwd: Path, log_path: Path, port: int | None = None
    ) -> None:
        self.port = port or free_port()
        env = {**env, "fastqueue_server_port": str(self.port)}
        env["fastqueue_server_host"] = "127.0.0.1"
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self._log = log_path.open("wb")
        self.process = subprocess.Popen(  # noqa: S603 - our own console script
            [*fastqueue_command(), "server"],
            env=env,
            cwd=cwd,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            # Its own process group, so that stop() reaches uvicorn's workers too.
            start_new_session=True,
        )

    def wait_until_healthy(self) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if httpx.get(f"{self.url}/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"server did not become healthy:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it lingers, to the group this server leads."""
        group = self.process.pid
        if self.process.poll() is None:
            os.killpg(group, signal.SIGTERM)
            try:
                self.process.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                os.killpg(group, signal.SIGKILL)
                self.process.wait(timeout=STOP_SECONDS)
        # Workers outlive a parent that was killed: end any that remain.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGKILL)
        self._log.close()


@pytest.fixture(scope="session")
def db_url() -> str:
    """URL of the test database, as the role that owns the schema."""
    return os.environ.get("FASTQUEUE_TEST_DATABASE_URL", DEFAULT_DATABASE_URL)


@pytest.fixture(scope="session")
def api_db_url(db_url: str) -> str:
    """The same database as the API's own role, which may only run the functions.

    scripts/setup makes `fastqueue_api` (a member of fastqueue_admin,
    fastqueue_publisher and fastqueue_consumer) with the owner's password.
    """
    url = httpx.URL(db_url)
    return str(url.copy_with(username=API_ROLE, password=url.password))


@pytest.fixture
def conn(db_url: str) -> Iterator[psycopg.Connection[Any]]:
    """An autocommit connection to the test database."""
    with psycopg.connect(db_url, autocommit=True) as connection:
        yield connection


@pytest.fixture(scope="session")
def start_server(
    api_db_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[StartServer]:
    """Start `fastqueue server` processes; all are stopped, by PID, at the end.

    Keyword arguments become fastqueue_* settings; `database_url` overrides the
    test database (reached as the API's own role), `env` adds raw variables and
    `port` reuses a port (to restart a server where clients expect it). Each runs
    in an empty folder, so no .env file is read.
    """
    servers: list[ServerProcess] = []

    def start(
        env: dict[str, str] | None = None, port: int | None = None, **settings: str
    ) -> ServerProcess:
        folder = tmp_path_factory.mktemp("server")
        database_url = settings.pop("database_url", api_db_url)
        server_env = {**base_env(database_url, **settings), **(env or {})}
        server = ServerProcess(server_env, folder, folder / "server.log", port)
        servers.append(server)
        server.wait_until_healthy()
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def server(start_server: StartServer) -> ServerProcess:
    """The server most tests talk to: one worker, metrics on, and long polls that
    look again only when something wakes them (within any test's wait)."""
    return start_server(
        enable_prometheus_metrics="true",
        pool_timeout_seconds="2",
        long_poll_recheck_seconds="60",
    )


@pytest.fixture(scope="session")
def http(server: ServerProcess) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=10) as client:
        yield client


class Api:
    """Calls to the REST API that tests repeat, deleting what they created."""

    def __init__(self, http: httpx.Client) -> None:
        self.http = http
        self._topics: list[str] = []
        self._queues: list[str] = []

    def create_topic(self, prefix: str = "topic") -> str:
        topic_id = unique(prefix)
        response = self.http.post("/topics", json={"id": topic_id})
        assert response.status_code == 201, response.text
        self._topics.append(topic_id)
        return topic_id

    def create_queue(self, prefix: str = "queue", **fields: Any) -> dict[str, Any]:
        queue_id = unique(prefix)
        response = self.http.post("/queues", json={"id": queue_id, **fields})
        assert response.status_code == 201, response.text
        self._queues.append(queue_id)
        body: dict[str, Any] = response.json()
        return body

    def adopt_queue(self, queue_id: str) -> None:
        """Delete this queue at the end too."""
        self._queues.append(queue_id)

    def adopt_topic(self, topic_id: str) -> None:
        self._topics.append(topic_id)

    def publish(
        self, topic_id: str, data: dict[str, Any], attributes: dict[str, str] | None
    ) -> list[dict[str, Any]]:
        response = self.http.post(
            f"/topics/{topic_id}/messages",
            json={"data": data, "attributes": attributes},
        )
        assert response.status_code == 201, response.text
        messages: list[dict[str, Any]] = response.json()["data"]
        return messages

    def lease(self, queue_id: str, limit: int = 10) -> list[dict[str, Any]]:
        response = self.http.get(
            f"/queues/{queue_id}/messages", params={"limit": limit}
        )
        assert response.status_code == 200, response.text
        messages: list[dict[str, Any]] = response.json()["data"]
        return messages

    def stats(self, queue_id: str) -> dict[str, int]:
        response = self.http.get(f"/queues/{queue_id}/stats")
        assert response.status_code == 200, response.text
        stats: dict[str, int] = response.json()
        return stats

    def cleanup(self) -> None:
        # Queues first: a queue may be the dead queue of another, which is fine
        # to delete; topics only detach their queues.
        for queue_id in reversed(self._queues):
            self.http.delete(f"/queues/{queue_id}")
        for topic_id in reversed(self._topics):
            self.http.delete(f"/topics/{topic_id}")


@pytest.fixture
def api(http: httpx.Client) -> Iterator[Api]:
    helper = Api(http)
    yield helper
    helper.cleanup()


class TcpProxy:
    """A TCP forwarder to the database that a test can cut, like a network failure."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self._target = (target_host, target_port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._open = True
        threading.Thread(target=self._accept, daemon=True).start()

    def restore(self) -> None:
        """Accept connections again, on the same port, after cut()."""
        self._listener = socket.create_server(("127.0.0.1", self.port))
        self._open = True
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while self._open:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if not self._open:
                client.close()
                return
            try:
                upstream = socket.create_connection(self._target, timeout=5)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(
                    target=self._pump, args=(source, sink), daemon=True
                ).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while chunk := source.recv(65536):
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        """Drop every connection and refuse new ones."""
        self._open = False
        # Shutting the listener down wakes the accept() blocked in its thread;
        # close() alone would leave the port listening until it returns.
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()
        with self._lock:
            for sock in self._sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self._sockets.clear()


@pytest.fixture
def db_proxy(db_url: str) -> Iterator[TcpProxy]:
    parts = urlsplit(db_url)
    proxy = TcpProxy(parts.hostname or "127.0.0.1", parts.port or 5432)
    yield proxy
    proxy.cut()
