"""`fastqueue db-migrate`: deploy the schema with Sqitch.

The Sqitch project (plan, deploy, revert and verify scripts) ships inside this
package, so an installed wheel can migrate a database without the source tree.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from pathlib import Path
from typing import Final
from urllib.parse import unquote, urlsplit

from fastqueue.settings import Settings

__all__ = ["SQITCH_PROJECT", "MigrateError", "migrate", "sqitch_target"]

logger = logging.getLogger(__name__)

# sqitch.conf, sqitch.plan and db/{deploy,revert,verify}, as in the repository.
SQITCH_PROJECT: Final = Path(__file__).parent / "sqitch"


class MigrateError(RuntimeError):
    """Sqitch cannot run, or its deploy failed."""


def sqitch_target(database_url: str) -> tuple[str, str | None]:
    """Split a libpq URL into Sqitch's `db:pg://` target and the password.

    The password travels in SQITCH_PASSWORD rather than in the target, which
    Sqitch may print.
    """
    parts = urlsplit(database_url)
    netloc = parts.netloc.rpartition("@")[2]
    if parts.username is not None:
        netloc = f"{parts.username}@{netloc}"
    target = f"db:pg://{netloc}{parts.path}"
    if parts.query:
        target = f"{target}?{parts.query}"
    password = None if parts.password is None else unquote(parts.password)
    return target, password


def migrate(settings: Settings) -> None:
    """Run `sqitch deploy` of the packaged project against the configured database."""
    sqitch = shutil.which("sqitch")
    if sqitch is None:
        raise MigrateError(
            "sqitch is not on PATH: install Sqitch with its PostgreSQL driver "
            "(on Debian: apt-get install sqitch libdbd-pg-perl) and run again"
        )
    if not (SQITCH_PROJECT / "sqitch.plan").is_file():
        raise MigrateError(f"the Sqitch project is missing from {SQITCH_PROJECT}")
    target, password = sqitch_target(settings.database_url)
    env = dict(os.environ)
    env.setdefault("SQITCH_FULLNAME", "fastqueue")
    env.setdefault("SQITCH_EMAIL", "fastqueue@localhost")
    if password is not None:
        env["SQITCH_PASSWORD"] = password
    logger.info("deploying the schema to %s", target, extra={"action": "migrate"})
    result = subprocess.run(  # noqa: S603 - fixed arguments, no shell
        [sqitch, "deploy", "--target", target],
        cwd=SQITCH_PROJECT,
        env=env,
        check=False,
    )
    if result.returncode != 0:
        raise MigrateError(f"sqitch deploy failed with exit code {result.returncode}")
    logger.info("schema up to date", extra={"action": "migrate"})
