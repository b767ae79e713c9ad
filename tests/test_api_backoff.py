"""REST API: a queue's retry back-off and the delay of one nack.

How long a nacked message waits is read from its scheduled_at - updated_at, both
the instant of the nack; where a wait must be over, the message's timestamps are
moved in the database. Nothing here sleeps.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx
import psycopg
import pytest
from conftest import Api, unique

Message = dict[str, Any]


def lease_one(api: Api, queue_id: str) -> Message:
    [message] = api.lease(queue_id, limit=1)
    return message


def get_message(http: httpx.Client, message_id: str) -> Message:
    response = http.get(f"/messages/{message_id}")
    assert response.status_code == 200, response.text
    message: Message = response.json()
    return message


def wait_seconds(message: Message) -> float:
    """How long the message waits after the call that last changed it."""
    scheduled = datetime.fromisoformat(message["scheduled_at"])
    updated = datetime.fromisoformat(message["updated_at"])
    return (scheduled - updated).total_seconds()


def make_visible(conn: psycopg.Connection[Any], message_id: str) -> None:
    """As if the message's wait were over."""
    conn.execute(
        "UPDATE fastqueue.message SET scheduled_at = clock_timestamp() "
        "- interval '1 second' WHERE id = %s",
        (message_id,),
    )


def nack(http: httpx.Client, message: Message, **params: Any) -> httpx.Response:
    return http.put(f"/messages/{message['id']}/nack", params=params)


def backoff_queue(api: Api, **fields: Any) -> tuple[str, str]:
    """A topic and a queue of it with the given back-off fields."""
    topic_id = api.create_topic()
    queue = api.create_queue(topic_id=topic_id, **fields)
    return topic_id, queue["id"]


# --- the queue definition ----------------------------------------------------


def test_create_queue_keeps_the_back_off_and_answers_it_everywhere(
    http: httpx.Client, api: Api
) -> None:
    queue = api.create_queue(
        retry_min_backoff_seconds=10, retry_max_backoff_seconds=120
    )

    listed = http.get("/queues", params={"limit": 1000}).json()["data"]
    for answer in (queue, http.get(f"/queues/{queue['id']}").json()):
        assert answer["retry_min_backoff_seconds"] == 10
        assert answer["retry_max_backoff_seconds"] == 120
    [mine] = [q for q in listed if q["id"] == queue["id"]]
    assert mine["retry_max_backoff_seconds"] == 120


def test_a_queue_without_back_off_answers_both_fields_null(api: Api) -> None:
    queue = api.create_queue()

    assert queue["retry_min_backoff_seconds"] is None
    assert queue["retry_max_backoff_seconds"] is None


def test_a_minimum_alone_leaves_the_maximum_null(api: Api) -> None:
    queue = api.create_queue(retry_min_backoff_seconds=3)

    assert queue["retry_min_backoff_seconds"] == 3
    assert queue["retry_max_backoff_seconds"] is None


@pytest.mark.parametrize(
    ("fields", "detail"),
    [
        ({"retry_min_backoff_seconds": -1}, "retry_min_backoff_seconds"),
        ({"retry_min_backoff_seconds": 601}, "retry_min_backoff_seconds"),
        ({"retry_min_backoff_seconds": "x"}, "retry_min_backoff_seconds"),
        (
            {"retry_min_backoff_seconds": 1, "retry_max_backoff_seconds": 601},
            "retry_max_backoff_seconds",
        ),
        (
            {"retry_max_backoff_seconds": 60},
            "retry_max_backoff_seconds needs retry_min_backoff_seconds",
        ),
        (
            {"retry_min_backoff_seconds": 61, "retry_max_backoff_seconds": 60},
            "retry_min_backoff_seconds (61) must not exceed "
            "retry_max_backoff_seconds (60)",
        ),
    ],
)
def test_create_queue_with_an_invalid_back_off_answers_422(
    http: httpx.Client, api: Api, fields: dict[str, Any], detail: str
) -> None:
    queue_id = unique("queue")

    response = http.post("/queues", json={"id": queue_id, **fields})

    assert response.status_code == 422, response.text
    assert detail in response.json()["detail"]
    assert http.get(f"/queues/{queue_id}").status_code == 404


def test_put_without_the_back_off_clears_it(http: httpx.Client, api: Api) -> None:
    queue = api.create_queue(retry_min_backoff_seconds=1, retry_max_backoff_seconds=2)

    response = http.put(f"/queues/{queue['id']}", json={"ack_deadline_seconds": 40})

    assert response.status_code == 200, response.text
    assert response.json()["retry_min_backoff_seconds"] is None
    assert response.json()["retry_max_backoff_seconds"] is None


def test_put_sets_the_back_off(http: httpx.Client, api: Api) -> None:
    queue = api.create_queue()
    body = {"retry_min_backoff_seconds": 0, "retry_max_backoff_seconds": 0}

    response = http.put(f"/queues/{queue['id']}", json=body)

    assert response.status_code == 200, response.text
    assert response.json()["retry_min_backoff_seconds"] == 0
    assert response.json()["retry_max_backoff_seconds"] == 0


def test_patch_keeps_or_changes_the_back_off(http: httpx.Client, api: Api) -> None:
    queue = api.create_queue(retry_min_backoff_seconds=1, retry_max_backoff_seconds=8)
    url = f"/queues/{queue['id']}"

    kept = http.patch(url, json={"ack_deadline_seconds": 9})
    changed = http.patch(url, json={"retry_min_backoff_seconds": 4})

    assert kept.status_code == 200, kept.text
    assert kept.json()["retry_min_backoff_seconds"] == 1
    assert kept.json()["retry_max_backoff_seconds"] == 8
    assert changed.status_code == 200, changed.text
    assert changed.json()["retry_min_backoff_seconds"] == 4
    assert changed.json()["retry_max_backoff_seconds"] == 8


def test_patch_clears_the_back_off_with_both_fields(
    http: httpx.Client, api: Api
) -> None:
    queue = api.create_queue(retry_min_backoff_seconds=1, retry_max_backoff_seconds=8)
    url = f"/queues/{queue['id']}"

    alone = http.patch(url, json={"retry_min_backoff_seconds": None})
    both = http.patch(
        url,
        json={"retry_min_backoff_seconds": None, "retry_max_backoff_seconds": None},
    )

    assert alone.status_code == 422, alone.text
    assert "Give both, or clear both" in alone.json()["detail"]
    assert both.status_code == 200, both.text
    assert both.json()["retry_min_backoff_seconds"] is None
    assert both.json()["retry_max_backoff_seconds"] is None


def test_a_queue_read_with_get_can_be_put_back(http: httpx.Client, api: Api) -> None:
    queue = api.create_queue(retry_min_backoff_seconds=2, retry_max_backoff_seconds=9)
    body = http.get(f"/queues/{queue['id']}").json()
    for field in ("id", "created_at", "updated_at"):
        del body[field]

    response = http.put(f"/queues/{queue['id']}", json=body)

    assert response.status_code == 200, response.text
    assert response.json()["retry_max_backoff_seconds"] == 9


# --- nack --------------------------------------------------------------------


def test_nack_waits_out_the_back_off_doubling_with_each_delivery(
    http: httpx.Client, api: Api, conn: psycopg.Connection[Any]
) -> None:
    topic_id, queue_id = backoff_queue(
        api, retry_min_backoff_seconds=5, retry_max_backoff_seconds=12
    )
    api.publish(topic_id, {"n": 1}, None)
    waits = []
    for _ in range(3):
        message = lease_one(api, queue_id)
        assert nack(http, message, receipt=message["receipt"]).status_code == 204
        after = get_message(http, message["id"])
        waits.append(wait_seconds(after))
        assert api.lease(queue_id) == []
        make_visible(conn, message["id"])

    assert waits == [5, 10, 12]


def test_a_message_in_its_back_off_is_not_available(
    http: httpx.Client, api: Api
) -> None:
    topic_id, queue_id = backoff_queue(api, retry_min_backoff_seconds=30)
    api.publish(topic_id, {"n": 1}, None)
    message = lease_one(api, queue_id)

    assert nack(http, message).status_code == 204

    assert api.stats(queue_id)["num_undelivered_messages"] == 0
    assert get_message(http, message["id"])["receipt"] is None
    assert api.lease(queue_id) == []


def test_nack_with_a_delay_holds_the_message_back_that_long(
    http: httpx.Client, api: Api
) -> None:
    topic_id, queue_id = backoff_queue(api)
    api.publish(topic_id, {"n": 1}, None)
    message = lease_one(api, queue_id)

    response = nack(http, message, receipt=message["receipt"], delay_seconds=120)

    assert response.status_code == 204, response.text
    assert wait_seconds(get_message(http, message["id"])) == 120
    assert api.lease(queue_id) == []


def test_the_delay_of_a_nack_wins_over_the_back_off(
    http: httpx.Client, api: Api
) -> None:
    topic_id, queue_id = backoff_queue(api, retry_min_backoff_seconds=60)
    api.publish(topic_id, {"n": 1}, None)
    message = lease_one(api, queue_id)

    assert nack(http, message, delay_seconds=0).status_code == 204

    again = lease_one(api, queue_id)
    assert again["id"] == message["id"]
    assert again["delivery_attempts"] == 2


@pytest.mark.parametrize("action", ["ack", "nack"])
def test_the_receipt_of_a_delayed_nack_is_stale(
    http: httpx.Client, api: Api, action: str
) -> None:
    topic_id, queue_id = backoff_queue(api)
    api.publish(topic_id, {"n": 1}, None)
    message = lease_one(api, queue_id)
    assert nack(http, message, receipt=message["receipt"], delay_seconds=60).is_success
    before = get_message(http, message["id"])

    response = http.put(
        f"/messages/{message['id']}/{action}", params={"receipt": message["receipt"]}
    )

    assert response.status_code == 409, response.text
    assert get_message(http, message["id"]) == before


@pytest.mark.parametrize("delay", ["-1", "901", "soon", "1.5"])
def test_nack_with_a_delay_out_of_bounds_answers_422(
    http: httpx.Client, api: Api, delay: str
) -> None:
    topic_id, queue_id = backoff_queue(api)
    api.publish(topic_id, {"n": 1}, None)
    message = lease_one(api, queue_id)
    before = get_message(http, message["id"])

    response = nack(http, message, delay_seconds=delay)

    assert response.status_code == 422, response.text
    assert "delay_seconds" in response.json()["detail"]
    assert get_message(http, message["id"]) == before


def test_the_last_allowed_delivery_goes_to_the_dead_queue_at_once(
    http: httpx.Client, api: Api
) -> None:
    dead = api.create_queue("dead")
    topic_id, queue_id = backoff_queue(
        api,
        dead_queue_id=dead["id"],
        message_max_deliveries=1,
        retry_min_backoff_seconds=60,
    )
    api.publish(topic_id, {"n": 1}, None)
    message = lease_one(api, queue_id)

    assert nack(http, message, delay_seconds=300).status_code == 204

    after = get_message(http, message["id"])
    assert after["queue_id"] == dead["id"]
    assert wait_seconds(after) == 0


def test_nack_batch_items_may_carry_their_own_delay(
    http: httpx.Client, api: Api
) -> None:
    topic_id, queue_id = backoff_queue(api, retry_min_backoff_seconds=5)
    for n in range(2):
        api.publish(topic_id, {"n": n}, None)
    first, second = api.lease(queue_id)

    response = http.put(
        "/messages/nack",
        json={
            "messages": [
                {"id": first["id"], "receipt": first["receipt"], "delay_seconds": 9},
                {"id": second["id"]},
            ]
        },
    )

    assert response.status_code == 200, response.text
    assert sorted(response.json()["settled"]) == sorted([first["id"], second["id"]])
    assert wait_seconds(get_message(http, first["id"])) == 9
    assert wait_seconds(get_message(http, second["id"])) == 5


@pytest.mark.parametrize(
    ("path", "delay"), [("/messages/nack", 901), ("/messages/ack", 5)]
)
def test_a_batch_delay_that_is_out_of_bounds_or_on_an_ack_answers_422(
    http: httpx.Client, api: Api, path: str, delay: int
) -> None:
    topic_id, queue_id = backoff_queue(api)
    api.publish(topic_id, {"n": 1}, None)
    message = lease_one(api, queue_id)
    before = get_message(http, message["id"])

    response = http.put(
        path, json={"messages": [{"id": message["id"], "delay_seconds": delay}]}
    )

    assert response.status_code == 422, response.text
    assert "delay_seconds" in response.json()["detail"]
    assert get_message(http, message["id"]) == before


# --- documentation -----------------------------------------------------------


def test_openapi_documents_the_back_off_and_the_nack_delay(
    http: httpx.Client,
) -> None:
    schema = http.get("/openapi.json").json()
    components = schema["components"]["schemas"]
    nack_parameters = {
        p["name"]: p
        for p in schema["paths"]["/messages/{message_id}/nack"]["put"]["parameters"]
    }

    for name in ("Queue", "QueueIn", "QueueUpdate", "QueuePatch"):
        properties = components[name]["properties"]
        for field in ("retry_min_backoff_seconds", "retry_max_backoff_seconds"):
            assert properties[field]["minimum"] == 0, (name, field)
            assert properties[field]["maximum"] == 600, (name, field)
    for name in ("PublishIn", "NackItem"):
        assert components[name]["properties"]["delay_seconds"]["minimum"] == 0, name
    delay = nack_parameters["delay_seconds"]
    assert delay["required"] is False
    assert "back-off" in delay["description"]
    assert "delay_seconds" in components["NackItem"]["properties"]
