"""REST API: publish, lease, ack, nack."""

from __future__ import annotations

import uuid
from datetime import datetime

import httpx
import pytest
from conftest import Api, unique

MESSAGE_FIELDS = [
    "id",
    "queue_id",
    "data",
    "attributes",
    "delivery_attempts",
    "expired_at",
    "scheduled_at",
    "created_at",
    "updated_at",
    "receipt",
    "dead_lettered_from",
    "dead_lettered_at",
]


def test_publish_answers_201_with_one_message_per_queue(
    http: httpx.Client, api: Api
) -> None:
    topic_id = api.create_topic()
    queues = sorted(api.create_queue(topic_id=topic_id)["id"] for _ in range(2))

    response = http.post(
        f"/topics/{topic_id}/messages",
        json={"data": {"event": "created", "n": 1.5}, "attributes": {"kind": "x"}},
    )

    assert response.status_code == 201
    messages = response.json()["data"]
    assert sorted(m["queue_id"] for m in messages) == queues
    for message in messages:
        assert list(message) == MESSAGE_FIELDS
        uuid.UUID(message["id"])
        assert message["data"] == {"event": "created", "n": 1.5}
        assert message["attributes"] == {"kind": "x"}
        assert message["delivery_attempts"] == 0
        created = datetime.fromisoformat(message["created_at"])
        assert created.utcoffset() is not None
        assert created.utcoffset().total_seconds() == 0  # type: ignore[union-attr]


def test_publish_without_attributes_stores_null(api: Api) -> None:
    topic_id = api.create_topic()
    api.create_queue(topic_id=topic_id)

    [message] = api.publish(topic_id, {"n": 1}, None)

    assert message["attributes"] is None


def test_publish_to_topic_without_queues_answers_an_empty_list(
    http: httpx.Client, api: Api
) -> None:
    topic_id = api.create_topic()

    response = http.post(f"/topics/{topic_id}/messages", json={"data": {}})

    assert response.status_code == 201
    assert response.json() == {"data": []}


def test_publish_to_unknown_topic_answers_404(http: httpx.Client) -> None:
    response = http.post(f"/topics/{unique('missing')}/messages", json={"data": {}})

    assert response.status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"data": [1, 2]},
        {"data": "text"},
        {"data": None},
        {"data": {}, "attributes": {"n": 1}},
        {"data": {}, "attributes": ["a"]},
        {"data": {}, "extra": True},
        {"data": {"text": "nul \u0000 inside"}},
        [],
    ],
)
def test_publish_invalid_message_answers_422(
    http: httpx.Client, api: Api, body: object
) -> None:
    topic_id = api.create_topic()
    api.create_queue(topic_id=topic_id)

    response = http.post(f"/topics/{topic_id}/messages", json=body)

    assert response.status_code == 422, response.text
    assert response.json()["detail"]


def test_publish_deeply_nested_data_is_refused_without_a_500(
    http: httpx.Client, api: Api
) -> None:
    topic_id = api.create_topic()
    api.create_queue(topic_id=topic_id)
    nested = '{"data": ' + '{"a": ' * 5000 + "1" + "}" * 5000 + "}"

    response = http.post(
        f"/topics/{topic_id}/messages",
        content=nested,
        headers={"content-type": "application/json"},
    )

    assert 400 <= response.status_code < 500, response.text


def test_publish_applies_queue_filters(api: Api) -> None:
    topic_id = api.create_topic()
    everything = api.create_queue(topic_id=topic_id)
    filtered = api.create_queue(
        topic_id=topic_id, message_filters={"kind": ["a", "b"], "region": ["eu"]}
    )
    takes_all = api.create_queue(topic_id=topic_id, message_filters={})

    def receivers(attributes: dict[str, str] | None) -> set[str]:
        return {m["queue_id"] for m in api.publish(topic_id, {}, attributes)}

    all_but_filtered = {everything["id"], takes_all["id"]}
    assert receivers({"kind": "a", "region": "eu"}) == all_but_filtered | {
        filtered["id"]
    }
    assert receivers({"kind": "c", "region": "eu"}) == all_but_filtered
    assert receivers({"kind": "a"}) == all_but_filtered
    assert receivers(None) == all_but_filtered


def test_lease_hands_out_oldest_first_and_hides_them(
    http: httpx.Client, api: Api
) -> None:
    topic_id = api.create_topic()
    queue = api.create_queue(topic_id=topic_id)
    published = [api.publish(topic_id, {"n": n}, None)[0]["id"] for n in range(3)]

    response = http.get(f"/queues/{queue['id']}/messages", params={"limit": 2})

    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    leased = response.json()["data"]
    assert [m["id"] for m in leased] == published[:2]
    assert all(m["delivery_attempts"] == 1 for m in leased)
    assert all(m["scheduled_at"] > m["updated_at"] for m in leased)
    assert [m["id"] for m in api.lease(queue["id"])] == published[2:]
    assert api.lease(queue["id"]) == []


def test_lease_defaults_to_ten_messages(api: Api) -> None:
    topic_id = api.create_topic()
    queue = api.create_queue(topic_id=topic_id)
    for n in range(12):
        api.publish(topic_id, {"n": n}, None)

    response = api.http.get(f"/queues/{queue['id']}/messages")

    assert len(response.json()["data"]) == 10


def test_lease_of_unknown_queue_answers_404(http: httpx.Client) -> None:
    assert http.get(f"/queues/{unique('missing')}/messages").status_code == 404


@pytest.mark.parametrize("limit", ["0", "101", "-1", "many"])
def test_lease_with_limit_out_of_range_answers_422(
    http: httpx.Client, api: Api, limit: str
) -> None:
    queue = api.create_queue()

    response = http.get(f"/queues/{queue['id']}/messages", params={"limit": limit})

    assert response.status_code == 422


def test_ack_deletes_the_message(http: httpx.Client, api: Api) -> None:
    topic_id = api.create_topic()
    queue = api.create_queue(topic_id=topic_id)
    api.publish(topic_id, {"n": 1}, None)
    [message] = api.lease(queue["id"])

    response = http.put(f"/messages/{message['id']}/ack")

    assert response.status_code == 204
    assert response.content == b""
    assert http.put(f"/messages/{message['id']}/ack").status_code == 404
    assert api.stats(queue["id"])["num_undelivered_messages"] == 0


def test_nack_makes_the_message_available_again(http: httpx.Client, api: Api) -> None:
    topic_id = api.create_topic()
    queue = api.create_queue(topic_id=topic_id)
    api.publish(topic_id, {"n": 1}, None)
    [message] = api.lease(queue["id"])
    assert api.lease(queue["id"]) == []

    response = http.put(f"/messages/{message['id']}/nack")

    assert response.status_code == 204
    [again] = api.lease(queue["id"])
    assert again["id"] == message["id"]
    assert again["delivery_attempts"] == 2


@pytest.mark.parametrize("action", ["ack", "nack"])
def test_settling_unknown_message_answers_404(http: httpx.Client, action: str) -> None:
    response = http.put(f"/messages/{uuid.uuid4()}/{action}")

    assert response.status_code == 404
    assert "not found" in response.json()["detail"]


@pytest.mark.parametrize("action", ["ack", "nack"])
@pytest.mark.parametrize("message_id", ["not-a-uuid", "1234", "g" * 32])
def test_settling_with_malformed_id_answers_422(
    http: httpx.Client, action: str, message_id: str
) -> None:
    response = http.put(f"/messages/{message_id}/{action}")

    assert response.status_code == 422
    assert "message_id" in response.json()["detail"]
