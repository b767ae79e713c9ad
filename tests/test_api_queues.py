"""REST API: queues."""

from __future__ import annotations

from typing import Any

import httpx
import psycopg
import pytest
from conftest import Api, unique

QUEUE_FIELDS = [
    "id",
    "topic_id",
    "dead_queue_id",
    "ack_deadline_seconds",
    "message_retention_seconds",
    "message_filters",
    "message_max_deliveries",
    "delivery_delay_seconds",
    "created_at",
    "updated_at",
    "retry_min_backoff_seconds",
    "retry_max_backoff_seconds",
]


def test_create_queue_answers_201_with_defaults(http: httpx.Client, api: Api) -> None:
    queue_id = unique("queue")
    response = http.post("/queues", json={"id": queue_id})
    api.adopt_queue(queue_id)

    assert response.status_code == 201
    body = response.json()
    assert list(body) == QUEUE_FIELDS
    assert body["id"] == queue_id
    assert body["topic_id"] is None
    assert body["ack_deadline_seconds"] == 30
    assert body["message_retention_seconds"] == 1209600
    assert body["created_at"] == body["updated_at"]


def test_create_queue_keeps_every_field(api: Api) -> None:
    topic_id = api.create_topic()
    dead = api.create_queue("dead")

    queue = api.create_queue(
        topic_id=topic_id,
        dead_queue_id=dead["id"],
        ack_deadline_seconds=5,
        message_retention_seconds=600,
        message_filters={"kind": ["a", "b"]},
        message_max_deliveries=3,
        delivery_delay_seconds=2,
    )

    assert queue["topic_id"] == topic_id
    assert queue["dead_queue_id"] == dead["id"]
    assert queue["ack_deadline_seconds"] == 5
    assert queue["message_retention_seconds"] == 600
    assert queue["message_filters"] == {"kind": ["a", "b"]}
    assert queue["message_max_deliveries"] == 3
    assert queue["delivery_delay_seconds"] == 2


def test_create_existing_queue_answers_409(http: httpx.Client, api: Api) -> None:
    queue = api.create_queue()

    response = http.post("/queues", json={"id": queue["id"]})

    assert response.status_code == 409


@pytest.mark.parametrize(
    "fields",
    [
        {"ack_deadline_seconds": 0},
        {"ack_deadline_seconds": 601},
        {"message_retention_seconds": 599},
        {"message_retention_seconds": 1209601},
        {"delivery_delay_seconds": 0},
        {"delivery_delay_seconds": 901},
        {"message_max_deliveries": 2},
        {"message_max_deliveries": 0, "dead_queue_id": "x"},
        {"message_filters": {"kind": []}},
        {"message_filters": {"kind": "a"}},
        {"message_filters": ["kind"]},
        {"ack_deadline_seconds": "soon"},
        {"ack_deadline_seconds": [30]},
        {"ack_deadline_seconds": 1.5},
        {"ack_deadline_seconds": 2**40},
        {"topic_id": "bad id"},
        {"unknown_field": 1},
    ],
)
def test_create_queue_with_invalid_definition_answers_422(
    http: httpx.Client, fields: dict[str, Any]
) -> None:
    response = http.post("/queues", json={"id": unique("queue"), **fields})

    assert response.status_code == 422, response.text
    assert response.json()["detail"]


def test_create_queue_of_unknown_topic_answers_422(http: httpx.Client) -> None:
    response = http.post(
        "/queues", json={"id": unique("queue"), "topic_id": unique("missing")}
    )

    assert response.status_code == 422
    assert "does not exist" in response.json()["detail"]


def test_create_queue_with_unknown_dead_queue_answers_422(http: httpx.Client) -> None:
    response = http.post(
        "/queues",
        json={
            "id": unique("queue"),
            "dead_queue_id": unique("missing"),
            "message_max_deliveries": 2,
        },
    )

    assert response.status_code == 422


def test_queue_cannot_close_a_cycle_of_dead_queues(
    http: httpx.Client, api: Api
) -> None:
    first = api.create_queue()
    second = api.create_queue(dead_queue_id=first["id"], message_max_deliveries=1)

    response = http.patch(
        f"/queues/{first['id']}",
        json={"dead_queue_id": second["id"], "message_max_deliveries": 1},
    )

    assert response.status_code == 422
    assert "cycle" in response.json()["detail"]


def test_get_queue_answers_the_queue(http: httpx.Client, api: Api) -> None:
    queue = api.create_queue()

    response = http.get(f"/queues/{queue['id']}")

    assert response.status_code == 200
    assert response.json() == queue


def test_get_unknown_queue_answers_404(http: httpx.Client) -> None:
    assert http.get(f"/queues/{unique('missing')}").status_code == 404


def test_list_queues_pages_in_id_order(http: httpx.Client, api: Api) -> None:
    created = sorted(api.create_queue("0-list")["id"] for _ in range(3))

    everything = http.get("/queues", params={"limit": 1000}).json()["data"]
    ids = [queue["id"] for queue in everything]
    assert ids == sorted(ids)
    start = ids.index(created[0])

    page = http.get("/queues", params={"offset": start + 1, "limit": 2})
    assert page.status_code == 200
    assert [queue["id"] for queue in page.json()["data"]] == created[1:]
    assert list(page.json()["data"][0]) == QUEUE_FIELDS


@pytest.mark.parametrize("params", [{"offset": "-1"}, {"limit": "0"}, {"limit": "x"}])
def test_list_queues_with_bad_paging_answers_422(
    http: httpx.Client, params: dict[str, str]
) -> None:
    assert http.get("/queues", params=params).status_code == 422


def test_put_queue_replaces_the_whole_definition(http: httpx.Client, api: Api) -> None:
    topic_id = api.create_topic()
    queue = api.create_queue(
        topic_id=topic_id, delivery_delay_seconds=5, message_filters={"k": ["v"]}
    )

    response = http.put(f"/queues/{queue['id']}", json={"ack_deadline_seconds": 10})

    assert response.status_code == 200
    body = response.json()
    assert body["ack_deadline_seconds"] == 10
    # Omitted fields take their defaults: the whole definition is replaced.
    assert body["topic_id"] is None
    assert body["delivery_delay_seconds"] is None
    assert body["message_filters"] is None
    assert body["created_at"] == queue["created_at"]
    assert body["updated_at"] > queue["updated_at"]


def test_put_unknown_queue_answers_404(http: httpx.Client) -> None:
    assert http.put(f"/queues/{unique('missing')}", json={}).status_code == 404


@pytest.mark.parametrize(
    "body",
    [{"ack_deadline_seconds": 0}, {"id": "renamed"}, [], {"message_max_deliveries": 1}],
)
def test_put_queue_with_invalid_definition_answers_422(
    http: httpx.Client, api: Api, body: Any
) -> None:
    queue = api.create_queue()

    assert http.put(f"/queues/{queue['id']}", json=body).status_code == 422


def test_patch_queue_changes_only_the_given_fields(
    http: httpx.Client, api: Api
) -> None:
    topic_id = api.create_topic()
    queue = api.create_queue(topic_id=topic_id, delivery_delay_seconds=5)

    response = http.patch(f"/queues/{queue['id']}", json={"ack_deadline_seconds": 7})

    assert response.status_code == 200
    body = response.json()
    assert body["ack_deadline_seconds"] == 7
    assert body["topic_id"] == topic_id
    assert body["delivery_delay_seconds"] == 5


def test_patch_queue_with_null_clears_a_field(http: httpx.Client, api: Api) -> None:
    topic_id = api.create_topic()
    queue = api.create_queue(topic_id=topic_id)

    response = http.patch(f"/queues/{queue['id']}", json={"topic_id": None})

    assert response.status_code == 200
    assert response.json()["topic_id"] is None


@pytest.mark.parametrize(
    "body",
    [
        {"ack_deadline_seconds": None},
        {"ack_deadline_seconds": 0},
        {"id": "renamed"},
        {"created_at": "2020-01-01T00:00:00Z"},
        {"message_max_deliveries": 3},
        "not an object",
    ],
)
def test_patch_queue_with_invalid_change_answers_422(
    http: httpx.Client, api: Api, body: Any
) -> None:
    queue = api.create_queue()

    response = http.patch(f"/queues/{queue['id']}", json=body)

    assert response.status_code == 422, response.text


def test_patch_unknown_queue_answers_404(http: httpx.Client) -> None:
    response = http.patch(f"/queues/{unique('missing')}", json={"topic_id": None})

    assert response.status_code == 404


def test_delete_queue_answers_204_and_deletes_its_messages(
    http: httpx.Client, api: Api
) -> None:
    topic_id = api.create_topic()
    queue = api.create_queue(topic_id=topic_id)
    message = api.publish(topic_id, {"n": 1}, None)[0]

    response = http.delete(f"/queues/{queue['id']}")

    assert response.status_code == 204
    assert http.get(f"/queues/{queue['id']}").status_code == 404
    assert http.put(f"/messages/{message['id']}/ack").status_code == 404


def test_delete_dead_queue_detaches_the_queues_using_it(
    http: httpx.Client, api: Api
) -> None:
    dead = api.create_queue("dead")
    queue = api.create_queue(dead_queue_id=dead["id"], message_max_deliveries=2)

    assert http.delete(f"/queues/{dead['id']}").status_code == 204

    body = http.get(f"/queues/{queue['id']}").json()
    assert body["dead_queue_id"] is None
    assert body["message_max_deliveries"] is None


def test_delete_unknown_queue_answers_404(http: httpx.Client) -> None:
    assert http.delete(f"/queues/{unique('missing')}").status_code == 404


def test_stats_count_available_messages(http: httpx.Client, api: Api) -> None:
    topic_id = api.create_topic()
    queue = api.create_queue(topic_id=topic_id)
    assert api.stats(queue["id"]) == {
        "num_undelivered_messages": 0,
        "oldest_unacked_message_age_seconds": 0,
        "num_leased_messages": 0,
        "num_delayed_messages": 0,
        "num_dead_letter_pending_messages": 0,
        "oldest_message_age_seconds": 0,
    }

    api.publish(topic_id, {"n": 1}, None)
    api.publish(topic_id, {"n": 2}, None)
    assert api.stats(queue["id"])["num_undelivered_messages"] == 2

    api.lease(queue["id"], limit=1)
    stats = api.stats(queue["id"])
    assert stats["num_undelivered_messages"] == 1
    assert stats["oldest_unacked_message_age_seconds"] >= 0


def test_stats_count_every_kind_of_message(
    http: httpx.Client, api: Api, conn: psycopg.Connection[Any]
) -> None:
    topic_id = api.create_topic()
    dead = api.create_queue("dead")
    queue = api.create_queue(
        topic_id=topic_id, dead_queue_id=dead["id"], message_max_deliveries=1
    )
    for n in range(3):
        api.publish(topic_id, {"n": n}, None)
    delayed = http.post(
        f"/topics/{topic_id}/messages", json={"data": {"n": 3}, "delay_seconds": 60}
    )
    assert delayed.status_code == 201
    leased, lapsed = api.lease(queue["id"], limit=2)
    # Its only delivery lapses at once: it waits for the dead queue.
    response = http.put(
        f"/messages/{lapsed['id']}/deadline",
        params={"receipt": lapsed["receipt"]},
        json={"seconds": 0},
    )
    assert response.status_code == 200
    conn.execute(
        "UPDATE fastqueue.message SET created_at = created_at - interval '100 seconds'"
        " WHERE id = %s",
        (leased["id"],),
    )

    stats = api.stats(queue["id"])

    assert stats["num_undelivered_messages"] == 1
    assert 0 <= stats["oldest_unacked_message_age_seconds"] < 60
    assert stats["num_leased_messages"] == 1
    assert stats["num_delayed_messages"] == 1
    assert stats["num_dead_letter_pending_messages"] == 1
    assert 100 <= stats["oldest_message_age_seconds"] < 160


def test_stats_of_unknown_queue_answer_404(http: httpx.Client) -> None:
    assert http.get(f"/queues/{unique('missing')}/stats").status_code == 404


def test_purge_deletes_every_message(http: httpx.Client, api: Api) -> None:
    topic_id = api.create_topic()
    queue = api.create_queue(topic_id=topic_id)
    for n in range(3):
        api.publish(topic_id, {"n": n}, None)
    api.lease(queue["id"], limit=1)

    response = http.put(f"/queues/{queue['id']}/purge")

    assert response.status_code == 204
    assert response.content == b""
    assert api.stats(queue["id"])["num_undelivered_messages"] == 0
    assert api.lease(queue["id"]) == []


def test_purge_unknown_queue_answers_404(http: httpx.Client) -> None:
    assert http.put(f"/queues/{unique('missing')}/purge").status_code == 404


def test_redrive_moves_available_messages(http: httpx.Client, api: Api) -> None:
    topic_id = api.create_topic()
    source = api.create_queue(topic_id=topic_id)
    destination = api.create_queue()
    published = [api.publish(topic_id, {"n": n}, None)[0] for n in range(2)]

    response = http.put(
        f"/queues/{source['id']}/redrive",
        json={"destination_queue_id": destination["id"]},
    )

    assert response.status_code == 204
    moved = api.lease(destination["id"])
    assert sorted(m["id"] for m in moved) == sorted(m["id"] for m in published)
    assert {m["queue_id"] for m in moved} == {destination["id"]}
    assert api.lease(source["id"]) == []


def test_redrive_of_unknown_queue_answers_404(http: httpx.Client, api: Api) -> None:
    destination = api.create_queue()

    response = http.put(
        f"/queues/{unique('missing')}/redrive",
        json={"destination_queue_id": destination["id"]},
    )

    assert response.status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {"destination_queue_id": 5},
        {"destination_queue_id": "bad id"},
        {"destination_queue_id": "missing-destination-queue"},
        {"destination_queue_id": "SELF"},
    ],
)
def test_redrive_with_invalid_destination_answers_422(
    http: httpx.Client, api: Api, body: dict[str, Any]
) -> None:
    queue = api.create_queue()
    if body.get("destination_queue_id") == "SELF":
        body = {"destination_queue_id": queue["id"]}

    response = http.put(f"/queues/{queue['id']}/redrive", json=body)

    assert response.status_code == 422, response.text
