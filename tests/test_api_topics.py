"""REST API: topics."""

from __future__ import annotations

from datetime import datetime

import httpx
import pytest
from conftest import Api, unique


def test_create_topic_answers_201_with_the_topic(http: httpx.Client, api: Api) -> None:
    topic_id = unique("topic")
    response = http.post("/topics", json={"id": topic_id})
    api.adopt_topic(topic_id)

    assert response.status_code == 201
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert list(body) == ["id", "created_at"]
    assert body["id"] == topic_id
    assert datetime.fromisoformat(body["created_at"]).utcoffset() is not None


def test_get_topic_answers_the_topic(http: httpx.Client, api: Api) -> None:
    topic_id = api.create_topic()

    response = http.get(f"/topics/{topic_id}")

    assert response.status_code == 200
    assert response.json()["id"] == topic_id


def test_get_unknown_topic_answers_404(http: httpx.Client) -> None:
    response = http.get(f"/topics/{unique('missing')}")

    assert response.status_code == 404
    assert "not found" in response.json()["detail"]


def test_create_existing_topic_answers_409(http: httpx.Client, api: Api) -> None:
    topic_id = api.create_topic()

    response = http.post("/topics", json={"id": topic_id})

    assert response.status_code == 409
    assert "already exists" in response.json()["detail"]


@pytest.mark.parametrize(
    "topic_id",
    ["", "has space", "slash/id", "x" * 129, "trailing-newline\n", "é"],
)
def test_create_topic_with_invalid_id_answers_422(
    http: httpx.Client, topic_id: str
) -> None:
    response = http.post("/topics", json={"id": topic_id})

    assert response.status_code == 422
    assert response.json()["detail"].startswith("invalid request")


def test_list_topics_pages_in_id_order(http: httpx.Client, api: Api) -> None:
    created = sorted(api.create_topic("0-list") for _ in range(3))

    first = http.get("/topics", params={"offset": 0, "limit": 1000}).json()["data"]
    ids = [topic["id"] for topic in first]
    assert ids == sorted(ids)
    start = ids.index(created[0])
    assert ids[start : start + 3] == created

    page = http.get("/topics", params={"offset": start + 1, "limit": 2})
    assert page.status_code == 200
    assert [topic["id"] for topic in page.json()["data"]] == created[1:]


def test_list_topics_defaults_to_ten(http: httpx.Client, api: Api) -> None:
    for _ in range(11):
        api.create_topic("0-ten")

    response = http.get("/topics")

    assert response.status_code == 200
    assert len(response.json()["data"]) == 10


def test_list_topics_past_the_end_answers_an_empty_list(http: httpx.Client) -> None:
    response = http.get("/topics", params={"offset": 2_000_000_000})

    assert response.status_code == 200
    assert response.json() == {"data": []}


@pytest.mark.parametrize(
    "params",
    [
        {"offset": "-1"},
        {"limit": "0"},
        {"limit": "1001"},
        {"limit": "ten"},
        {"offset": "99999999999"},
    ],
)
def test_list_topics_with_bad_paging_answers_422(
    http: httpx.Client, params: dict[str, str]
) -> None:
    response = http.get("/topics", params=params)

    assert response.status_code == 422
    assert "detail" in response.json()


def test_delete_topic_answers_204_and_detaches_its_queues(
    http: httpx.Client, api: Api
) -> None:
    topic_id = api.create_topic()
    queue = api.create_queue(topic_id=topic_id)

    response = http.delete(f"/topics/{topic_id}")

    assert response.status_code == 204
    assert response.content == b""
    assert http.get(f"/topics/{topic_id}").status_code == 404
    assert http.get(f"/queues/{queue['id']}").json()["topic_id"] is None


def test_delete_unknown_topic_answers_404(http: httpx.Client) -> None:
    response = http.delete(f"/topics/{unique('missing')}")

    assert response.status_code == 404
    assert response.json()["detail"]
