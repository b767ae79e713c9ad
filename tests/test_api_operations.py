"""Health, docs, metrics, the command line and its settings."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from conftest import Api, StartServer, base_env, fastqueue_command, free_port
from fastqueue.migrate import SQITCH_PROJECT, sqitch_target
from fastqueue.settings import SettingsError, load_settings, normalize_database_url

COMMAND_SECONDS = 60
MAX_REQUESTS = 400
_SAMPLE = re.compile(r"^(?P<name>[\w:]+)(?:\{(?P<labels>.*)\})? (?P<value>\S+)$")
_LABEL = re.compile(r'(\w+)="([^"]*)"')


def _run(
    args: list[str], env: dict[str, str], cwd: Path
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own console script
        [*fastqueue_command(), *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=COMMAND_SECONDS,
        check=False,
    )


def _sample(metrics: str, name: str, **labels: str) -> float | None:
    """The value of the first sample called `name` that has these labels."""
    for line in metrics.splitlines():
        match = _SAMPLE.match(line)
        if match is None or match["name"] != name:
            continue
        found = dict(_LABEL.findall(match["labels"] or ""))
        if labels.items() <= found.items():
            return float(match["value"])
    return None


# --- health and docs -----------------------------------------------------------


def test_health_answers_success(http: httpx.Client) -> None:
    response = http.get("/health")

    assert response.status_code == 200
    assert response.json() == {"success": True}


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_docs_pages_are_served(http: httpx.Client, path: str) -> None:
    response = http.get(path)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")


def test_openapi_schema_documents_every_route_and_body(http: httpx.Client) -> None:
    response = http.get("/openapi.json")

    assert response.status_code == 200
    schema = response.json()
    operations = {
        (method.upper(), path)
        for path, item in schema["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    }
    assert operations >= {
        ("POST", "/topics"),
        ("GET", "/topics"),
        ("GET", "/topics/{topic_id}"),
        ("DELETE", "/topics/{topic_id}"),
        ("POST", "/topics/{topic_id}/messages"),
        ("POST", "/queues"),
        ("GET", "/queues"),
        ("GET", "/queues/{queue_id}"),
        ("PUT", "/queues/{queue_id}"),
        ("PATCH", "/queues/{queue_id}"),
        ("DELETE", "/queues/{queue_id}"),
        ("GET", "/queues/{queue_id}/stats"),
        ("PUT", "/queues/{queue_id}/purge"),
        ("PUT", "/queues/{queue_id}/redrive"),
        ("GET", "/queues/{queue_id}/messages"),
        ("PUT", "/messages/{message_id}/ack"),
        ("PUT", "/messages/{message_id}/nack"),
        ("GET", "/health"),
    }
    stats = schema["components"]["schemas"]["QueueStats"]
    assert list(stats["properties"]) == [
        "num_undelivered_messages",
        "oldest_unacked_message_age_seconds",
        "num_leased_messages",
        "num_delayed_messages",
        "num_dead_letter_pending_messages",
        "oldest_message_age_seconds",
    ]
    assert all(field["description"] for field in stats["properties"].values())
    queue_in = schema["components"]["schemas"]["QueueIn"]["properties"]
    assert queue_in["ack_deadline_seconds"]["minimum"] == 1
    assert queue_in["ack_deadline_seconds"]["maximum"] == 600
    assert queue_in["id"]["maxLength"] == 128
    for item in schema["paths"].values():
        for operation in item.values():
            if isinstance(operation, dict) and "responses" in operation:
                assert "400" not in operation["responses"]


# --- metrics -------------------------------------------------------------------


def test_metrics_show_requests_queues_and_cleanup(
    http: httpx.Client, api: Api, conn: psycopg.Connection[Any]
) -> None:
    topic = api.create_topic()
    queue = api.create_queue("000-metrics", topic_id=topic)
    for _ in range(3):
        api.publish(topic, {"n": 1}, None)
    api.lease(queue["id"], limit=1)
    conn.execute("CALL fastqueue.run_cleanup()")
    for _ in range(3):
        http.get(f"/queues/{queue['id']}/stats")

    metrics = http.get("/metrics")

    assert metrics.status_code == 200
    assert metrics.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8"
    text = metrics.text
    route = "/queues/{queue_id}/stats"
    count = _sample(
        text, "fastqueue_http_requests_total", method="GET", route=route, status="200"
    )
    assert count is not None
    assert count >= 3
    assert queue["id"] not in re.findall(r'route="([^"]*)"', text)
    assert _sample(text, "fastqueue_http_request_duration_seconds_count", route=route)
    gauges = {
        name: _sample(text, f"fastqueue_queue_{name}", queue_id=queue["id"])
        for name in (
            "available_messages",
            "leased_messages",
            "delayed_messages",
            "dead_letter_pending_messages",
        )
    }
    assert gauges == {
        "available_messages": 2,
        "leased_messages": 1,
        "delayed_messages": 0,
        "dead_letter_pending_messages": 0,
    }
    oldest = _sample(
        text, "fastqueue_queue_oldest_message_age_seconds", queue_id=queue["id"]
    )
    assert oldest is not None
    assert 0 <= oldest < 60
    assert _sample(text, "fastqueue_database_up") == 1
    finished = _sample(text, "fastqueue_cleanup_last_run_timestamp_seconds")
    assert finished is not None
    assert abs(finished - time.time()) < 60
    assert _sample(text, "fastqueue_cleanup_last_run_expired_messages") is not None


def test_metrics_are_off_unless_enabled(start_server: StartServer) -> None:
    server = start_server()

    assert httpx.get(f"{server.url}/metrics").status_code == 404


def test_metrics_add_up_across_two_workers(
    start_server: StartServer, api: Api, tmp_path: Path
) -> None:
    metrics_dir = tmp_path / "prometheus"
    metrics_dir.mkdir()
    stale = metrics_dir / "counter_1.db"
    stale.write_bytes(b"")  # unreadable: the server must empty the folder first
    server = start_server(
        enable_prometheus_metrics="true",
        server_num_workers="2",
        env={"PROMETHEUS_MULTIPROC_DIR": str(metrics_dir)},
    )
    queue = api.create_queue("000-metrics")
    path = f"{server.url}/queues/{queue['id']}"
    requests = 0
    # New connections until both workers have answered some (bounded).
    while requests < MAX_REQUESTS and len(_counter_files(metrics_dir)) < 2:
        for _ in range(20):
            assert httpx.get(path).status_code == 200
            requests += 1

    assert not stale.exists()
    assert len(_counter_files(metrics_dir)) == 2
    with httpx.Client(base_url=server.url, timeout=10) as client:
        scrapes = [client.get("/metrics").text for _ in range(6)]
    for text in scrapes:
        count = _sample(
            text,
            "fastqueue_http_requests_total",
            method="GET",
            route="/queues/{queue_id}",
            status="200",
        )
        assert count == requests
        gauge = _sample(
            text, "fastqueue_queue_available_messages", queue_id=queue["id"]
        )
        assert gauge == 0


def _counter_files(metrics_dir: Path) -> list[Path]:
    return sorted(metrics_dir.glob("counter_*.db"))


# --- command line ----------------------------------------------------------------


def test_server_refuses_to_start_without_a_database_url(tmp_path: Path) -> None:
    env = base_env("")
    del env["fastqueue_database_url"]

    result = _run(["server"], env, tmp_path)

    assert result.returncode == 2
    assert "fastqueue_database_url is not set" in result.stderr


def test_server_reads_settings_from_a_dotenv_file(tmp_path: Path, db_url: str) -> None:
    env = base_env("")
    del env["fastqueue_database_url"]
    (tmp_path / ".env").write_text(
        "fastqueue_database_url=postgresql://127.0.0.1:1/nowhere\n"
    )

    result = _run(["server"], env, tmp_path)

    assert result.returncode == 1
    assert "cannot connect to the database" in result.stderr


def test_server_refuses_an_outdated_schema(db_url: str, tmp_path: Path) -> None:
    # The maintenance database has no fastqueue schema at all.
    other = httpx.URL(db_url).copy_with(path="/postgres")

    result = _run(["server"], base_env(str(other)), tmp_path)

    assert result.returncode == 1
    assert "fastqueue db-migrate" in result.stderr


def test_uvicorn_app_refuses_an_outdated_schema(db_url: str, tmp_path: Path) -> None:
    other = httpx.URL(db_url).copy_with(path="/postgres")
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "fastqueue.app:create_app_from_environment",
        "--port",
        str(free_port()),
    ]

    result = subprocess.run(  # noqa: S603
        command,
        env=base_env(str(other)),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=COMMAND_SECONDS,
        check=False,
    )

    assert result.returncode != 0
    assert "fastqueue db-migrate" in result.stdout + result.stderr


def test_worker_once_runs_the_cleanup(db_url: str, tmp_path: Path) -> None:
    result = _run(["worker", "--once"], base_env(db_url, log_level="info"), tmp_path)

    assert result.returncode == 0, result.stderr
    assert re.search(r"cleanup removed \d+ expired messages", result.stderr)


def test_worker_once_fails_when_the_database_is_away(tmp_path: Path) -> None:
    env = base_env("postgresql://fastqueue@127.0.0.1:1/fastqueue")

    result = _run(["worker", "--once"], env, tmp_path)

    assert result.returncode == 1
    assert "cleanup failed" in result.stderr


def test_worker_loop_stops_on_sigterm(db_url: str, tmp_path: Path) -> None:
    env = base_env(db_url, log_level="info", queue_cleanup_interval_seconds="0.2")
    process = subprocess.Popen(  # noqa: S603
        [*fastqueue_command(), "worker"],
        env=env,
        cwd=tmp_path,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(1.5)
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=COMMAND_SECONDS)

    assert process.returncode == 0
    assert len(re.findall("cleanup removed", stderr)) >= 2


def test_db_migrate_runs_sqitch_deploy(db_url: str, tmp_path: Path) -> None:
    # Deploying from a test could apply a change someone is still writing: run
    # only where `sqitch status` says the database is up to date.
    target, password = sqitch_target(db_url)
    status = subprocess.run(  # noqa: S603
        ["sqitch", "status", "--target", target],  # noqa: S607
        cwd=SQITCH_PROJECT,
        env={**base_env(db_url), "SQITCH_PASSWORD": password or ""},
        capture_output=True,
        text=True,
        timeout=COMMAND_SECONDS,
        check=False,
    )
    if "Nothing to deploy (up-to-date)" not in status.stdout:
        pytest.skip(f"the test database is not up to date: {status.stdout[-200:]}")
    sqlalchemy_style = db_url.replace("postgresql://", "postgresql+psycopg2://", 1)

    result = _run(["db-migrate"], base_env(sqlalchemy_style), tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "Nothing to deploy" in result.stdout


def test_db_migrate_says_when_sqitch_is_missing(db_url: str, tmp_path: Path) -> None:
    env = base_env(db_url)
    env["PATH"] = str(tmp_path)

    result = subprocess.run(
        [sys.executable, "-m", "fastqueue", "db-migrate"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=COMMAND_SECONDS,
        check=False,
    )

    assert result.returncode == 1
    assert "sqitch is not on PATH" in result.stderr


def test_package_ships_the_sqitch_project() -> None:
    plan = (SQITCH_PROJECT / "sqitch.plan").read_text()
    changes = [
        line.split()[0] for line in plan.splitlines() if line and line[0] not in "%#@"
    ]

    assert changes
    for change in changes:
        for folder in ("deploy", "revert", "verify"):
            assert (SQITCH_PROJECT / "db" / folder / f"{change}.sql").is_file()


# --- settings --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://u:p@h:5/d", "postgresql://u:p@h:5/d"),
        ("postgres://u:p@h:5/d", "postgresql://u:p@h:5/d"),
        ("postgresql+psycopg2://u:p@h:5/d", "postgresql://u:p@h:5/d"),
        (
            "postgresql+psycopg://u@h/d?sslmode=require",
            "postgresql://u@h/d?sslmode=require",
        ),
    ],
)
def test_database_url_schemes_are_normalized(url: str, expected: str) -> None:
    assert normalize_database_url(url) == expected


@pytest.mark.parametrize("url", ["mysql://u@h/d", "h:5432/d", "postgresql:"])
def test_non_postgres_database_url_is_refused(url: str) -> None:
    with pytest.raises(SettingsError):
        normalize_database_url(url)


def test_settings_read_environment_over_dotenv(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(
        "fastqueue_database_url=postgres://a@h/d\n"
        "fastqueue_server_port=9000\n"
        "fastqueue_log_json=true\n"
    )

    settings = load_settings({"FASTQUEUE_SERVER_PORT": "9001"}, env_file)

    assert settings.database_url == "postgresql://a@h/d"
    assert settings.server_port == 9001
    assert settings.log_json is True
    assert settings.server_host == "127.0.0.1"
    assert settings.pool_size == 4
    assert settings.max_body_bytes == 1048576
    assert "a@h" not in repr(settings)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("server_port", "0"),
        ("server_port", "eighty"),
        ("pool_size", "-1"),
        ("log_json", "maybe"),
        ("log_level", "loud"),
        ("pool_timeout_seconds", "0"),
    ],
)
def test_invalid_settings_are_refused(name: str, value: str) -> None:
    environ = {"fastqueue_database_url": "postgresql://h/d", f"fastqueue_{name}": value}

    with pytest.raises(SettingsError, match=name):
        load_settings(environ, None)


def test_sqitch_target_keeps_the_password_out_of_the_uri() -> None:
    target, password = sqitch_target("postgresql://me:p%40ss@db:5433/q?sslmode=disable")

    assert target == "db:pg://me@db:5433/q?sslmode=disable"
    assert password == "p@ss"  # noqa: S105 - a made-up test value
