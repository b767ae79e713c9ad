"""The whole REST API fuzzed from its own OpenAPI document, with schemathesis.

Every operation the document lists gets generated requests, valid and invalid
ones, and every answer is checked: never a 500, a status the document lists, a
body and headers that match it, invalid input refused and valid input accepted.
The number of examples is bounded and the generation derandomized, so a run in
CI takes the same path every time; FASTQUEUE_FUZZ_EXAMPLES raises it by hand.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import httpx
import psycopg
import pytest
import schemathesis
from conftest import ServerProcess
from fastqueue.app import create_app
from fastqueue.settings import Settings
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

EXAMPLES = int(os.environ.get("FASTQUEUE_FUZZ_EXAMPLES", "25"))


def _served_schema() -> dict[str, Any]:
    """The OpenAPI document the server serves at /openapi.json, built without one.

    test_schema_under_test_is_the_one_served checks that the two are the same.
    """
    app = create_app(
        Settings(
            database_url="postgresql://unused@127.0.0.1/unused",
            enable_prometheus_metrics=True,
        )
    )
    document: dict[str, Any] = app.openapi_schema.to_schema()
    return document


# Input that the schema allows may still break a rule it cannot state (a queue
# that names itself as its dead queue, a topic that does not exist): the API
# refuses it with 422, which the positive-data check must accept.
CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "404", "409", "422"]
            }
        }
    }
)
schema = schemathesis.openapi.from_dict(_served_schema(), config=CONFIG)


@pytest.fixture(scope="module")
def fuzzed_server(server: ServerProcess, db_url: str) -> Iterator[str]:
    """The server's URL; what the fuzzing created is deleted afterwards."""
    with psycopg.connect(db_url, autocommit=True) as conn:
        started = _now(conn)
        yield server.url
        # Fuzzed ids are random: delete whatever was made while this module ran.
        conn.execute(
            "SELECT fastqueue.delete_queue(id) FROM fastqueue.queue "
            "WHERE created_at >= %s ORDER BY id",
            (started,),
        )
        conn.execute(
            "SELECT fastqueue.delete_topic(id) FROM fastqueue.topic "
            "WHERE created_at >= %s ORDER BY id",
            (started,),
        )


def _now(conn: psycopg.Connection[Any]) -> datetime:
    row = conn.execute("SELECT clock_timestamp()").fetchone()
    assert row is not None
    now: datetime = row[0]
    return now


def test_schema_under_test_is_the_one_served(http: httpx.Client) -> None:
    assert http.get("/openapi.json").json() == _served_schema()


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_by_its_schema(
    case: schemathesis.Case[Any], fuzzed_server: str
) -> None:
    case.call_and_validate(base_url=fuzzed_server)
