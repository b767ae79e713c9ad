"""The README's psql session runs as written, with psql, on the test database."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import psycopg
import pytest

README = Path(__file__).resolve().parent.parent / "README.md"
# The ids the session creates; they must be free before and are removed after.
SESSION_QUEUES = ("signups", "all-events", "signups-dead")
SESSION_TOPIC = "events"


def _psql_session() -> str:
    text = README.read_text()
    section = text[text.index("## Using it from psql") :]
    match = re.search(r"```sql\n(.*?)```", section, re.S)
    assert match is not None, "no sql block under 'Using it from psql'"
    return match.group(1)


def _drop_session_objects(conn: psycopg.Connection[Any]) -> None:
    for queue in SESSION_QUEUES:
        conn.execute(
            "SELECT fastqueue.delete_queue(id) FROM fastqueue.queue WHERE id = %s",
            (queue,),
        )
    conn.execute(
        "SELECT fastqueue.delete_topic(id) FROM fastqueue.topic WHERE id = %s",
        (SESSION_TOPIC,),
    )


PSQL = shutil.which("psql")


@pytest.mark.skipif(PSQL is None, reason="psql is not installed")
def test_the_readme_psql_session_runs_as_written(
    db_url: str, conn: psycopg.Connection[Any]
) -> None:
    assert PSQL is not None
    _drop_session_objects(conn)
    try:
        done = subprocess.run(  # noqa: S603 - psql with our own arguments
            [PSQL, "-X", "-v", "ON_ERROR_STOP=1", db_url],
            input=_psql_session(),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        # The signup was nacked, leased again and acked; the other copy is leased.
        stats = conn.execute(
            "SELECT num_undelivered_messages FROM fastqueue.get_queue_stats('signups')"
        ).fetchone()
        assert stats == (0,)
        attempts = conn.execute(
            "SELECT delivery_attempts FROM fastqueue.message"
            " WHERE queue_id = 'all-events'"
        ).fetchall()
        assert attempts == [(1,)]
    finally:
        _drop_session_objects(conn)
