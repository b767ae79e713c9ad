"""Optional API keys: with fastqueue_api_keys set, every route but /health and the
docs needs `Authorization: Bearer <key>`; without it, nothing changes."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from conftest import ServerProcess, StartServer, unique
from fastqueue.auth import key_matches
from fastqueue.settings import SettingsError, load_settings

KEYS = ("first-key-Jx8w", "second.key_42")


@pytest.fixture(scope="module")
def keyed(start_server: StartServer) -> ServerProcess:
    return start_server(
        api_keys=f" {KEYS[0]} ,{KEYS[1]},",
        enable_prometheus_metrics="true",
        log_level="debug",
    )


@pytest.fixture
def client(keyed: ServerProcess) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=keyed.url, timeout=10) as http:
        yield http


def _bearer(key: str) -> dict[str, str]:
    return {"authorization": f"Bearer {key}"}


ROUTES = [
    ("GET", "/topics"),
    ("POST", "/topics"),
    ("GET", "/topics/any"),
    ("DELETE", "/topics/any"),
    ("POST", "/topics/any/messages"),
    ("GET", "/queues"),
    ("POST", "/queues"),
    ("PUT", "/queues/any"),
    ("PATCH", "/queues/any"),
    ("GET", "/queues/any/stats"),
    ("GET", "/queues/any/messages"),
    ("PUT", "/queues/any/purge"),
    ("PUT", "/queues/any/redrive"),
    ("PUT", "/messages/00000000-0000-4000-8000-000000000000/ack"),
    ("PUT", "/messages/00000000-0000-4000-8000-000000000000/nack"),
    ("GET", "/metrics"),
]


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_every_route_without_a_key_answers_401(
    client: httpx.Client, method: str, path: str
) -> None:
    for headers in (
        {},
        {"authorization": "Basic Zm9vOmJhcg=="},
        {"authorization": "Bearer"},
    ):
        response = client.request(method, path, headers=headers)
        assert response.status_code == 401, (method, path, headers)
        assert response.headers["www-authenticate"] == "Bearer"
        assert "API key is required" in response.json()["detail"]


@pytest.mark.parametrize(
    "key", [KEYS[0] + "x", KEYS[0][:-1], KEYS[0].upper(), f"{KEYS[0]},{KEYS[1]}", "x"]
)
def test_a_wrong_key_answers_401(client: httpx.Client, key: str) -> None:
    response = client.get("/topics", headers=_bearer(key))

    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert "invalid_token" in response.headers["www-authenticate"]
    assert response.json() == {"detail": "the API key is not valid"}


def test_each_configured_key_opens_every_route(client: httpx.Client) -> None:
    topic_id = unique("keyed")
    for key in KEYS:
        assert client.get("/topics", headers=_bearer(key)).status_code == 200
        assert client.get("/metrics", headers=_bearer(key)).status_code == 200
    # The scheme's name is case-insensitive.
    headers = {"authorization": f"bearer {KEYS[1]}"}
    assert client.post(
        "/topics", json={"id": topic_id}, headers=headers
    ).status_code == (201)
    deleted = client.delete(f"/topics/{topic_id}", headers=_bearer(KEYS[0]))
    assert deleted.status_code == 204


def test_health_and_the_docs_stay_open(client: httpx.Client) -> None:
    assert client.get("/health").json() == {"success": True}
    for path in ("/docs", "/redoc", "/openapi.json"):
        assert client.get(path).status_code == 200, path


def test_openapi_declares_the_bearer_scheme(client: httpx.Client) -> None:
    schema = client.get("/openapi.json").json()

    assert schema["components"]["securitySchemes"]["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schema["components"]["securitySchemes"]["bearer"]["description"],
    }
    assert schema["security"] == [{"bearer": []}]
    assert schema["paths"]["/health"]["get"]["security"] == []
    assert "401" in schema["paths"]["/topics"]["post"]["responses"]
    assert "401" not in schema["paths"]["/health"]["get"]["responses"]


def test_keys_never_reach_the_log(client: httpx.Client, keyed: ServerProcess) -> None:
    client.get("/topics", headers=_bearer(KEYS[0] + "-wrong"))
    client.get("/topics", headers=_bearer(KEYS[1]))

    log = keyed.log()
    assert "refused a request without a valid API key" in log
    for key in KEYS:
        assert key not in log


def test_without_keys_nothing_is_asked(http: httpx.Client) -> None:
    assert http.get("/topics").status_code == 200
    assert "securitySchemes" not in http.get("/openapi.json").json()["components"]


def test_key_matches_compares_with_every_key() -> None:
    keys = [key.encode() for key in KEYS]

    assert key_matches(KEYS[0].encode(), keys)
    assert key_matches(KEYS[1].encode(), keys)
    assert not key_matches(b"", keys)
    assert not key_matches(KEYS[0].encode(), [])


def test_settings_read_a_list_of_keys_and_hide_them() -> None:
    environ = {
        "fastqueue_database_url": "postgresql://h/d",
        "fastqueue_api_keys": " a1 , b2,,a1 ",
    }

    settings = load_settings(environ, env_file=None)

    assert settings.api_keys == ("a1", "b2")
    assert "a1" not in repr(settings)
    assert "api_keys=<2 hidden>" in repr(settings)
    empty = load_settings({**environ, "fastqueue_api_keys": " , "}, env_file=None)
    assert empty.api_keys == ()


@pytest.mark.parametrize("value", ["has space", "tab\tkey", "caf\u00e9"])
def test_settings_refuse_a_key_that_cannot_travel_in_a_header(value: str) -> None:
    environ = {
        "fastqueue_database_url": "postgresql://h/d",
        "fastqueue_api_keys": value,
    }

    with pytest.raises(SettingsError) as raised:
        load_settings(environ, env_file=None)

    assert value not in str(raised.value)
