"""What the benchmarks share: the bench cluster, result records and the report.

Also the API server the HTTP benchmarks start (`fastqueue server` on a free port
of 127.0.0.1, stopped by its PID), percentiles, and CPU time read from /proc.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import math
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psycopg

REPO = Path(__file__).resolve().parent.parent
BENCH_PORT = int(os.environ.get("FQ_BENCH_PGPORT", "54331"))
DATABASE_URL = f"postgresql://fastqueue:fastqueue@127.0.0.1:{BENCH_PORT}/fastqueue"
# The login role scripts/setup makes for the API, where the schema has one.
API_ROLE = "fastqueue_api"
ENV = {**os.environ, "PGPASSWORD": "fastqueue"}


@dataclass
class Result:
    """One scenario's figures; printed as a table row and as one JSON line."""

    scenario: str
    clients: int
    seconds: float
    per_second: float
    unit: str = "messages"
    p50_ms: float | None = None
    p99_ms: float | None = None
    errors: int = 0
    extra: dict[str, object] = field(default_factory=dict)
    # Only for scenarios that consume: a message delivered again before its ack
    # deadline, and a published message that was never delivered nor left waiting.
    duplicates: int | None = None
    losses: int | None = None

    def json_line(self) -> str:
        return json.dumps({"bench": "fastqueue", **asdict(self)}, sort_keys=True)


def start_cluster() -> None:
    """Start a new bench cluster with the current schema deployed."""
    subprocess.run(
        [str(REPO / "scripts" / "setup"), "--fresh"],
        env={**ENV, "FQ_PGPORT": str(BENCH_PORT)},
        check=True,
        stdout=subprocess.DEVNULL,
    )


def psql(sql: str, **variables: object) -> str:
    """Run SQL on the bench database as the fastqueue role; return what it printed."""
    command = ["psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1"]
    for name, value in variables.items():
        command += ["-v", f"{name}={value}"]
    command += [
        "-h",
        "127.0.0.1",
        "-p",
        str(BENCH_PORT),
        "-U",
        "fastqueue",
        "fastqueue",
    ]
    done = subprocess.run(
        command, input=sql, env=ENV, check=True, capture_output=True, text=True
    )
    return done.stdout.strip()


def report(title: str, results: list[Result]) -> None:
    """Print a table, then one JSON line per scenario."""
    print(f"\n## {title}")
    width = max([34, *(len(r.scenario) for r in results)])
    checks = any(r.duplicates is not None or r.losses is not None for r in results)
    print(f"{'scenario':<{width}} {'clients':>7} {'per second':>12} ", end="")
    print(f"{'unit':<12} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6}", end="")
    print(f" {'dups':>5} {'lost':>5}" if checks else "")
    for r in results:
        p50 = "" if r.p50_ms is None else f"{r.p50_ms:.2f}"
        p99 = "" if r.p99_ms is None else f"{r.p99_ms:.2f}"
        print(
            f"{r.scenario:<{width}} {r.clients:>7} {r.per_second:>12,.0f} "
            f"{r.unit:<12} ",
            end="",
        )
        print(f"{p50:>8} {p99:>8} {r.errors:>6}", end="")
        if checks:
            dups = "" if r.duplicates is None else str(r.duplicates)
            lost = "" if r.losses is None else str(r.losses)
            print(f" {dups:>5} {lost:>5}")
        else:
            print()
    for r in results:
        print(r.json_line())
    sys.stdout.flush()


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """The `fraction` percentile of `values` by nearest rank; None if empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, math.ceil(fraction * len(ordered)) - 1))
    return ordered[rank]


def fill_queue(queue_id: str, messages: int) -> None:
    """Add `messages` waiting messages to a queue in one INSERT, oldest first.

    Each row gets its own timestamp, 1 ms apart and all in the past, as a real
    backlog has: one now() for every row would let index deduplication shrink
    the lease index and make a lease look cheaper than it is.
    """
    psql(
        """
        INSERT INTO fastqueue.message
            (queue_id, data, attributes, scheduled_at, expired_at, created_at,
             updated_at)
        SELECT :'queue_id', jsonb_build_object('event_name', 'created', 'n', i),
               '{"kind": "bench"}',
               now() - (:messages - i) * interval '1 ms', now() + interval '14 days',
               now() - (:messages - i) * interval '1 ms',
               now() - (:messages - i) * interval '1 ms'
        FROM generate_series(1, :messages) AS i;
        VACUUM ANALYZE fastqueue.message;
        """,
        queue_id=queue_id,
        messages=messages,
    )


# --- CPU time ---------------------------------------------------------------

_TICK = os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    """User + system CPU of this process (the load generator) so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def children_cpu_seconds() -> float:
    """User + system CPU of the child processes this one has waited for."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def machine_busy_seconds() -> float:
    """CPU seconds all cores of the machine spent busy (not idle nor waiting)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields[:8]) - idle) / _TICK  # up to steal; guest is within user


def _proc_stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, CPU seconds of the process and its reaped children)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name is in parentheses and may hold spaces: split after it.
    fields = text[text.rindex(")") + 2 :].split()
    ticks = sum(int(value) for value in fields[11:15])  # utime stime cutime cstime
    return int(fields[1]), ticks / _TICK


def tree_pids(root: int) -> list[int]:
    """`root` and every live process below it."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _proc_stat(int(entry.name))):
            parents[int(entry.name)] = stat[0]
    found = [root]
    for pid in found:
        found.extend(child for child, parent in parents.items() if parent == pid)
    return found


def tree_cpu_seconds(root: int) -> float:
    """CPU seconds used by a process tree: the differences of two reads are exact.

    A child that ended between the reads was counted alive in the first and in
    its parent's reaped-children time in the second.
    """
    total = 0.0
    for pid in tree_pids(root):
        stat = _proc_stat(pid)
        total += stat[1] if stat else 0.0
    return total


def rss_mib(root: int) -> float:
    """Resident memory (VmRSS) of a process tree, in MiB."""
    kib = 0
    for pid in tree_pids(root):
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    kib += int(line.split()[1])
    return kib / 1024


def postmaster_pid() -> int:
    """PID of the bench cluster's postmaster: the parent of a backend."""
    with psycopg.connect(DATABASE_URL) as connection:
        row = connection.execute("SELECT pg_backend_pid()").fetchone()
        stat = None if row is None else _proc_stat(int(row[0]))
    if stat is None:
        raise RuntimeError("cannot read the bench cluster's processes in /proc")
    return stat[0]


# --- the API server ---------------------------------------------------------

STARTUP_SECONDS = 30.0
STOP_SECONDS = 15.0


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def api_database_url() -> str:
    """The URL the API should use: as its own role when set-up made one."""
    found = psql("SELECT count(*) FROM pg_roles WHERE rolname = :'role'", role=API_ROLE)
    if found != "1":
        return DATABASE_URL
    return DATABASE_URL.replace("//fastqueue:", f"//{API_ROLE}:", 1)


class ApiServer:
    """`fastqueue server` on a free port of 127.0.0.1, against the bench database.

    It runs in its own process group, led by the PID we started, so that stop()
    reaches uvicorn's workers and nothing else.
    """

    def __init__(self, workers: int = 1, floor: bool = False, **settings: str) -> None:
        """With `floor`, serve bench/asgi_floor.py instead (one worker)."""
        self.workers = workers
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._folder = Path(tempfile.mkdtemp(prefix="fastqueue-bench-"))
        self.log_path = self._folder / "server.log"
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.lower().startswith("fastqueue_")
            and key != "PROMETHEUS_MULTIPROC_DIR"
        }
        env.update(
            fastqueue_database_url=api_database_url(),
            fastqueue_server_host="127.0.0.1",
            fastqueue_server_port=str(self.port),
            fastqueue_server_num_workers=str(workers),
            fastqueue_log_level="warning",
        )
        env.update({f"fastqueue_{key}": value for key, value in settings.items()})
        command = [str(Path(sys.executable).with_name("fastqueue")), "server"]
        if floor:
            command = [
                sys.executable, "-m", "uvicorn", "--app-dir", str(REPO / "bench"),
                "--host", "127.0.0.1", "--port", str(self.port),
                "--loop", "uvloop", "--http", "httptools",
                "--no-access-log", "--log-level", "warning", "asgi_floor:app",
            ]  # fmt: skip
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            command,
            env=env,
            cwd=self._folder,  # an empty folder: no .env file is read
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.pid = self.process.pid
        self._wait_until_healthy()

    def _wait_until_healthy(self) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline and self.process.poll() is None:
            # Every worker must be up before the load starts.
            if self._healthy() and self._workers_up():
                return
            time.sleep(0.2)
        log = self.log()
        self.stop()
        raise RuntimeError(f"the API server did not start:\n{log}")

    def _healthy(self) -> bool:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
        try:
            connection.request("GET", "/health")
            return connection.getresponse().status == 200
        except OSError:
            return False
        finally:
            connection.close()

    def _workers_up(self) -> bool:
        # With one worker uvicorn serves in this process; with more, it
        # supervises that many children.
        return self.workers == 1 or len(tree_pids(self.pid)) > self.workers

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]

    def cpu_seconds(self) -> float:
        return tree_cpu_seconds(self.pid)

    def rss_mib(self) -> float:
        return rss_mib(self.pid)

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it lingers, to the group this server leads."""
        if self.process.poll() is None:
            os.killpg(self.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                os.killpg(self.pid, signal.SIGKILL)
                self.process.wait(timeout=STOP_SECONDS)
        # Workers can outlive a parent that was killed: end any that remain.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGKILL)
        self._log.close()
        shutil.rmtree(self._folder, ignore_errors=True)
