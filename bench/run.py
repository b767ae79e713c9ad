"""fastqueue benchmarks: one entry point, a table and JSON lines per scenario.

usage: python bench/run.py [--quick] [--only sql,http,backlog,soak]

Starts a new PostgreSQL cluster on 127.0.0.1:54331, deploys the schema,
and runs each scenario for a fixed time. --quick keeps the whole run under three
minutes and skips the soak.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys

import sql_bench
from _common import Result, report, start_cluster


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short runs, no soak")
    parser.add_argument("--only", default="sql", help="comma-separated parts to run")
    args = parser.parse_args()
    parts = set(args.only.split(","))

    print(
        f"# fastqueue bench {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, "
    )
    print(f"# {os.cpu_count()} cores, {'quick' if args.quick else 'full'} run")
    start_cluster()

    if "sql" in parts:
        results: list[Result] = sql_bench.run(seconds=5 if args.quick else 20)
        report("SQL (pgbench)", results)
        for name, value in sql_bench.ratios(results).items():
            print(f"ratio {name}: {value:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
