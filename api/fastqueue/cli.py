"""The `fastqueue` command: server, db-migrate, worker."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from fastqueue import __version__
from fastqueue.logconfig import configure_logging
from fastqueue.migrate import migrate
from fastqueue.server import serve
from fastqueue.settings import Settings, SettingsError, load_settings
from fastqueue.worker import run_worker

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fastqueue",
        description="A topic and queue message system that lives inside PostgreSQL. "
        "Configured by fastqueue_* environment variables and a .env file.",
    )
    parser.add_argument(
        "--version", action="version", version=f"fastqueue {__version__}"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("server", help="serve the REST API with uvicorn")
    commands.add_parser("db-migrate", help="deploy the database schema with Sqitch")
    worker = commands.add_parser(
        "worker",
        help="run the message cleanup every fastqueue_queue_cleanup_interval_seconds",
    )
    worker.add_argument(
        "--once", action="store_true", help="run the cleanup once and exit"
    )
    return parser


def _run(command: str, settings: Settings, *, once: bool) -> int:
    if command == "server":
        serve(settings)
        return 0
    if command == "db-migrate":
        migrate(settings)
        return 0
    return 0 if run_worker(settings, once=once) or not once else 1


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"fastqueue: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level, as_json=settings.log_json)
    try:
        return _run(
            args.command,
            settings,
            once=args.once if args.command == "worker" else False,
        )
    except RuntimeError as exc:
        # StartupError, SchemaError, MigrateError: a message a person can act on.
        print(f"fastqueue: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
