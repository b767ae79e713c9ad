"""REST API: bad requests get a clear 4xx, an absent database a quick 503."""

from __future__ import annotations

import time

import httpx
import pytest
from conftest import Api, StartServer, TcpProxy, unique

RECOVERY_SECONDS = 60.0


@pytest.mark.parametrize(
    "content",
    [b'{"id": ', b"not json", b'{"id": "a"} trailing', b"\xff\xfe", b'{"id": "a",}'],
)
def test_malformed_json_answers_422(http: httpx.Client, content: bytes) -> None:
    response = http.post(
        "/topics", content=content, headers={"content-type": "application/json"}
    )

    assert response.status_code == 422
    assert response.json()["detail"].startswith("invalid request")


@pytest.mark.parametrize("content", [b"[]", b'"events"', b"42", b"null"])
def test_body_that_is_not_an_object_answers_422(
    http: httpx.Client, content: bytes
) -> None:
    response = http.post(
        "/queues", content=content, headers={"content-type": "application/json"}
    )

    assert response.status_code == 422


def test_missing_body_answers_422(http: httpx.Client) -> None:
    response = http.post("/topics")

    assert response.status_code == 422
    assert response.json() == {
        "detail": "invalid request: body: a JSON object is required"
    }


def test_body_over_the_size_limit_answers_413(http: httpx.Client, api: Api) -> None:
    topic_id = api.create_topic()
    big = b'{"data": {"text": "' + b"x" * (1024 * 1024) + b'"}}'

    response = http.post(
        f"/topics/{topic_id}/messages",
        content=big,
        headers={"content-type": "application/json"},
    )

    assert response.status_code == 413
    assert response.json()["detail"]


def test_streamed_body_over_the_size_limit_answers_413(
    http: httpx.Client, api: Api
) -> None:
    topic_id = api.create_topic()

    def chunks() -> object:
        yield b'{"data": {"text": "'
        for _ in range(20):
            yield b"x" * 65536
        yield b'"}}'

    response = http.post(
        f"/topics/{topic_id}/messages",
        content=chunks(),  # type: ignore[arg-type]
        headers={"content-type": "application/json"},
    )

    assert response.status_code == 413


def test_unknown_path_answers_404_in_json(http: httpx.Client) -> None:
    for path in ("/nothing-here", "/topics/a/b/c"):
        response = http.get(path)
        assert response.status_code == 404
        assert response.json() == {"detail": "Not Found"}


def test_wrong_method_answers_405(http: httpx.Client) -> None:
    response = http.post(f"/queues/{unique('queue')}/stats")

    assert response.status_code == 405
    assert response.json()["detail"]
    assert "GET" in response.headers["allow"]


def test_errors_never_leak_a_stack_trace(http: httpx.Client) -> None:
    response = http.post(
        "/queues",
        content=b'{"id": "q", "message_filters": {"k": [1]}}',
        headers={"content-type": "application/json"},
    )

    assert response.status_code == 422
    assert list(response.json()) == ["detail"]
    assert "Traceback" not in response.text


def test_database_away_answers_503_quickly_then_recovers(
    start_server: StartServer, db_proxy: TcpProxy, db_url: str
) -> None:
    via_proxy = httpx.URL(db_url).copy_with(port=db_proxy.port)
    server = start_server(
        database_url=str(via_proxy),
        pool_timeout_seconds="1",
        pool_size="2",
        enable_prometheus_metrics="true",
    )
    with httpx.Client(base_url=server.url, timeout=10) as client:
        assert client.get("/topics").status_code == 200

        db_proxy.cut()
        for _ in range(4):
            started = time.monotonic()
            response = client.get(f"/topics/{unique('any')}")
            assert response.status_code == 503, response.text
            assert time.monotonic() - started < 5
            assert "unavailable" in response.json()["detail"]
            assert response.headers["retry-after"] == "1"

        health = client.get("/health")
        assert health.status_code == 503
        assert health.json() == {"success": False}

        metrics = client.get("/metrics")
        assert metrics.status_code == 200
        assert "fastqueue_database_up 0.0" in metrics.text

        # The pool reconnects by itself once the database is back.
        db_proxy.restore()
        deadline = time.monotonic() + RECOVERY_SECONDS
        while client.get("/health").status_code != 200:
            assert time.monotonic() < deadline, (
                "no recovery after the database came back"
            )
            time.sleep(0.5)
        assert client.get(f"/topics/{unique('any')}").status_code == 404
