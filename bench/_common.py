"""What the benchmarks share: the bench cluster, result records and the report."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH_PORT = int(os.environ.get("FQ_BENCH_PGPORT", "54331"))
DATABASE_URL = f"postgresql://fastqueue:fastqueue@127.0.0.1:{BENCH_PORT}/fastqueue"
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
    print(f"{'scenario':<34} {'clients':>7} {'per second':>12} {'unit':<12} ", end="")
    print(f"{'p50 ms':>8} {'p99 ms':>8} {'errors':>6}")
    for r in results:
        p50 = "" if r.p50_ms is None else f"{r.p50_ms:.2f}"
        p99 = "" if r.p99_ms is None else f"{r.p99_ms:.2f}"
        print(
            f"{r.scenario:<34} {r.clients:>7} {r.per_second:>12,.0f} {r.unit:<12} ",
            end="",
        )
        print(f"{p50:>8} {p99:>8} {r.errors:>6}")
    for r in results:
        print(r.json_line())
    sys.stdout.flush()
