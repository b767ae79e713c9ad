"""fastqueue benchmarks: one entry point, a table and JSON lines per scenario.

usage: python bench/run.py [--quick] [--only sql,http,batch,longpoll,backlog,soak]
                           [--soak-minutes N]

Starts a new PostgreSQL cluster on 127.0.0.1:54331, deploys the schema, and
runs each scenario for a fixed time; the HTTP parts start their own API servers
on free ports of 127.0.0.1 and stop them at the end. --quick keeps the whole
run under three minutes: shorter scenarios, a backlog of 100,000 instead of
1,000,000, and a 20-second soak instead of 20 minutes.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import os
import subprocess
import sys
import time

import backlog_bench
import batch_bench
import sql_bench
from _common import REPO, Result, report, start_cluster

PARTS = ("sql", "http", "batch", "longpoll", "backlog", "soak")


def _revision() -> str:
    """The commit benchmarked, and whether the work tree differs from it."""
    git = ["git", "-C", str(REPO)]
    head = subprocess.run(
        [*git, "rev-parse", "--short", "HEAD"],
        check=False,
        capture_output=True,
        text=True,
    )
    if head.returncode:
        return "commit unknown"
    dirty = subprocess.run([*git, "diff", "--quiet", "HEAD"], check=False)
    return f"commit {head.stdout.strip()}" + (" + changes" if dirty.returncode else "")


def _long_poll(*, quick: bool) -> None:
    import long_poll_bench  # noqa: PLC0415 - needs aiohttp, the bench extra

    print("\n# long polling: wake-up latency, and the cost of idle long polls")
    results = long_poll_bench.run(seconds=5 if quick else 15)
    report("long polling (HTTP, one uvicorn worker)", results)
    for name, value in long_poll_bench.summary(results).items():
        print(f"ratio {name}: {value:.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short runs")
    parser.add_argument(
        "--only", default=",".join(PARTS), help="comma-separated parts to run"
    )
    parser.add_argument(
        "--soak-minutes", type=float, help="soak length (20, or 1/3 with --quick)"
    )
    args = parser.parse_args()
    parts = set(args.only.split(","))
    if unknown := parts - set(PARTS):
        parser.error(f"unknown parts: {', '.join(sorted(unknown))}")
    if parts & {"http", "soak", "longpoll"} and not importlib.util.find_spec("aiohttp"):
        parser.error(
            "http, longpoll and soak need aiohttp: run make bench-deps (or pip "
            "install -e '.[bench]')"
        )
    started = time.monotonic()

    now = datetime.datetime.now(datetime.UTC)
    print(f"# fastqueue bench {now:%Y-%m-%d %H:%M} UTC, {_revision()}")
    print(f"# {os.cpu_count()} cores, {'quick' if args.quick else 'full'} run")
    start_cluster()

    sql_results: list[Result] = []
    if "sql" in parts:
        sql_results = sql_bench.run(seconds=5 if args.quick else 20)
        report("SQL (pgbench)", sql_results)
        for name, value in sql_bench.ratios(sql_results).items():
            print(f"ratio {name}: {value:.2f}")
    # Imported here: they need aiohttp (the bench extra), the SQL part does not.
    if "http" in parts:
        import http_bench  # noqa: PLC0415

        print("\n# HTTP: one uvicorn worker, then two; pool of 4 connections each")
        http_results = http_bench.run(seconds=3 if args.quick else 20)
        report("HTTP (aiohttp load generator and wrk)", http_results)
        for name, value in http_bench.ratios(http_results, sql_results).items():
            print(f"ratio {name}: {value:.2f}")
    if "batch" in parts:
        rounds = 3 if args.quick else 10
        print(f"\n# batch: 1,000 messages in one request or in 1,000, {rounds} rounds")
        batch_results = batch_bench.run(rounds=rounds)
        report("batch publish (HTTP, per message)", batch_results)
        for name, value in batch_bench.ratios(batch_results).items():
            print(f"ratio {name}: {value:.1f}")
    if "longpoll" in parts:
        _long_poll(quick=args.quick)
    # The soak runs before the backlog part, which leaves its big queue behind.
    if "soak" in parts:
        import soak_bench  # noqa: PLC0415

        if parts - {"soak", "backlog"}:
            # What the other parts left in the table would hide the soak's growth.
            print("\n# a fresh cluster for the soak")
            start_cluster()
        minutes = args.soak_minutes or (1 / 3 if args.quick else 20.0)
        interval = 10.0 if minutes < 3 else 60.0
        print(f"\n# soak: {60 * minutes:.0f} s" + (" (quick)" if args.quick else ""))
        report("soak", soak_bench.run(seconds=60 * minutes, interval=interval))
    if "backlog" in parts:
        big = 100_000 if args.quick else 1_000_000
        note = " (quick run: 100,000 instead of 1,000,000)" if args.quick else ""
        print(f"\n# backlog: lease and stats latency, big queue {big:,}{note}")
        report("backlog", backlog_bench.run(big))
    print(f"\n# done in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
