"""SQL-level throughput with pgbench: the fastqueue functions against a plain INSERT.

Every scenario runs for a fixed time on the bench cluster, at 1 and 8 clients.
The reference is a single-row INSERT of a message-shaped row into a table with
the same columns and indexes as fastqueue.message: what PostgreSQL itself costs.
"""

from __future__ import annotations

import re
import subprocess

from _common import BENCH_PORT, ENV, REPO, Result, psql

SCRIPTS = REPO / "bench" / "pgbench"

# name, pgbench script, messages per transaction, messages to fill bench-consume
# with per second of run and client (None: the scenario does not consume)
SCENARIOS: list[tuple[str, str, int, int | None]] = [
    ("insert reference", "insert_reference.sql", 1, None),
    ("publish, 1 queue", "publish_one.sql", 1, None),
    ("publish, 10 queues (5 match)", "publish_fanout.sql", 1, None),
    ("lease 1 + ack", "lease1_ack.sql", 1, 3000),
    ("lease 10 + ack 10", "lease10_ack10.sql", 10, 10000),
    ("lease 10 + one ack_batch of 10", "lease10_ack_batch.sql", 10, 10000),
    ("lease 1 + nack", "nack_cycle.sql", 1, 0),
]

TPS = re.compile(r"^tps = ([0-9.]+) \(without initial connection time\)", re.M)
LATENCY = re.compile(r"^latency average = ([0-9.]+) ms", re.M)
FAILED = re.compile(r"^number of failed transactions: (\d+)", re.M)


def _pgbench(script: str, clients: int, seconds: int) -> tuple[float, float, int]:
    command = [
        "pgbench", "-n", "-M", "prepared", "-f", str(SCRIPTS / script),
        "-c", str(clients), "-j", str(clients), "-T", str(seconds),
        "-h", "127.0.0.1", "-p", str(BENCH_PORT), "-U", "fastqueue", "fastqueue",
    ]  # fmt: skip
    done = subprocess.run(command, env=ENV, capture_output=True, text=True, check=False)
    out = done.stdout + done.stderr
    tps, latency = TPS.search(out), LATENCY.search(out)
    if done.returncode != 0 or tps is None or latency is None:
        raise RuntimeError(f"pgbench {script} failed:\n{out[-2000:]}")
    failed = FAILED.search(out)
    return (
        float(tps.group(1)),
        float(latency.group(1)),
        int(failed.group(1) if failed else 0),
    )


def run(seconds: int) -> list[Result]:
    psql((SCRIPTS / "setup.sql").read_text())
    results: list[Result] = []
    for clients in (1, 8):
        for name, script, per_tx, fill_rate in SCENARIOS:
            if fill_rate is not None:
                fill = max(10_000, fill_rate * seconds * clients)
                psql((SCRIPTS / "fill_consume.sql").read_text(), messages=fill)
            psql("TRUNCATE public.bench_insert_reference")
            tps, latency, failed = _pgbench(script, clients, seconds)
            results.append(
                Result(
                    scenario=name,
                    clients=clients,
                    seconds=seconds,
                    per_second=tps * per_tx,
                    p50_ms=None,
                    errors=failed,
                    extra={"transactions_per_second": tps, "latency_avg_ms": latency},
                )
            )
            print(
                f"  {name} at {clients} clients: {tps * per_tx:,.0f} messages/s",
                flush=True,
            )
    return results


def ratios(results: list[Result]) -> dict[str, float]:
    """The ratios the performance targets are stated in."""
    rate = {(r.scenario, r.clients): r.per_second for r in results}
    out: dict[str, float] = {}
    for clients in (1, 8):
        insert = rate[("insert reference", clients)]
        one = rate[("publish, 1 queue", clients)]
        out[f"publish/insert at {clients}"] = one / insert
        out[f"fan-out cost/publish cost at {clients}"] = (
            one / rate[("publish, 10 queues (5 match)", clients)]
        )
        out[f"lease 1 + ack/insert at {clients}"] = (
            rate[("lease 1 + ack", clients)] / insert
        )
        out[f"lease 10 + ack 10/insert at {clients}"] = (
            rate[("lease 10 + ack 10", clients)] / insert
        )
        out[f"lease 10 + ack_batch/insert at {clients}"] = (
            rate[("lease 10 + one ack_batch of 10", clients)] / insert
        )
    return out
