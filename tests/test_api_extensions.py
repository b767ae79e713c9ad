"""REST API beyond the original: receipts, batches, idempotent publish, per-message
delay, and the dead-letter tools (peek, one message, redrive back where it came from).

Time-dependent behaviour is tested by moving the messages' timestamps in the
database, never by sleeping.
"""

from __future__ import annotations

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any

import httpx
import psycopg
import pytest
from conftest import Api, StartServer, unique
from fastqueue.settings import SettingsError, load_settings

Message = dict[str, Any]
# Every wait in this file ends by then.
WAIT_SECONDS = 10.0


def lease_one(api: Api, queue_id: str) -> Message:
    [message] = api.lease(queue_id, limit=1)
    return message


def get_message(http: httpx.Client, message_id: str) -> Message:
    response = http.get(f"/messages/{message_id}")
    assert response.status_code == 200, response.text
    message: Message = response.json()
    return message


def publish_batch(
    http: httpx.Client, topic_id: str, messages: list[dict[str, Any]]
) -> list[Message]:
    response = http.post(
        f"/topics/{topic_id}/messages/batch", json={"messages": messages}
    )
    assert response.status_code == 201, response.text
    created: list[Message] = response.json()["data"]
    return created


def seconds_between(earlier: str, later: str) -> float:
    delta = datetime.fromisoformat(later) - datetime.fromisoformat(earlier)
    return delta.total_seconds()


def move_back(
    conn: psycopg.Connection[Any], message_ids: list[str], seconds: int
) -> None:
    """Make `seconds` pass for these messages: they become visible that much sooner."""
    conn.execute(
        "UPDATE fastqueue.message SET scheduled_at = scheduled_at - %s "
        "WHERE id = ANY (%s::uuid[])",
        (timedelta(seconds=seconds), message_ids),
    )


# --- receipts ----------------------------------------------------------------


def test_a_lease_gives_each_message_its_own_receipt(api: Api) -> None:
    topic_id = api.create_topic()
    queue = api.create_queue(topic_id=topic_id)
    published = [api.publish(topic_id, {"n": n}, None)[0] for n in range(3)]

    leased = api.lease(queue["id"])

    assert all(m["receipt"] is None for m in published)
    receipts = [uuid.UUID(m["receipt"]) for m in leased]
    assert len(set(receipts)) == 3


def test_ack_with_the_current_receipt_deletes_the_message(
    http: httpx.Client, api: Api
) -> None:
    topic_id = api.create_topic()
    queue = api.create_queue(topic_id=topic_id)
    api.publish(topic_id, {"n": 1}, None)
    message = lease_one(api, queue["id"])

    response = http.put(
        f"/messages/{message['id']}/ack", params={"receipt": message["receipt"]}
    )

    assert response.status_code == 204, response.text
    assert http.get(f"/messages/{message['id']}").status_code == 404


@pytest.mark.parametrize("action", ["ack", "nack"])
def test_a_stale_receipt_is_refused_with_409_and_changes_nothing(
    http: httpx.Client, api: Api, action: str
) -> None:
    topic_id = api.create_topic()
    queue = api.create_queue(topic_id=topic_id)
    api.publish(topic_id, {"n": 1}, None)
    first = lease_one(api, queue["id"])
    # The first consumer's lease ends early; a second consumer takes the message.
    given_back = http.put(f"/messages/{first['id']}/deadline", json={"seconds": 0})
    assert given_back.status_code == 200, given_back.text
    second = lease_one(api, queue["id"])
    assert second["id"] == first["id"]
    assert second["receipt"] != first["receipt"]

    response = http.put(
        f"/messages/{first['id']}/{action}", params={"receipt": first["receipt"]}
    )

    assert response.status_code == 409, response.text
    assert "stale" in response.json()["detail"]
    after = get_message(http, first["id"])
    assert after["scheduled_at"] == second["scheduled_at"]
    assert after["delivery_attempts"] == 2
    assert api.lease(queue["id"]) == []
    settled = http.put(
        f"/messages/{second['id']}/{action}", params={"receipt": second["receipt"]}
    )
    assert settled.status_code == 204, settled.text


@pytest.mark.parametrize("action", ["ack", "nack"])
def test_settling_without_a_receipt_still_works_by_id(
    http: httpx.Client, api: Api, action: str
) -> None:
    topic_id = api.create_topic()
    queue = api.create_queue(topic_id=topic_id)
    api.publish(topic_id, {"n": 1}, None)
    message = lease_one(api, queue["id"])

    assert http.put(f"/messages/{message['id']}/{action}").status_code == 204


@pytest.mark.parametrize("action", ["ack", "nack"])
def test_settling_with_a_malformed_receipt_answers_422(
    http: httpx.Client, action: str
) -> None:
    response = http.put(
        f"/messages/{uuid.uuid4()}/{action}", params={"receipt": "not-a-uuid"}
    )

    assert response.status_code == 422, response.text
    assert "receipt" in response.json()["detail"]


def test_deadline_moves_the_ack_deadline_of_a_leased_message(
    http: httpx.Client, api: Api
) -> None:
    topic_id = api.create_topic()
    queue = api.create_queue(topic_id=topic_id, ack_deadline_seconds=10)
    api.publish(topic_id, {"n": 1}, None)
    message = lease_one(api, queue["id"])

    response = http.put(
        f"/messages/{message['id']}/deadline",
        params={"receipt": message["receipt"]},
        json={"seconds": 300},
    )

    assert response.status_code == 200, response.text
    moved = response.json()
    assert moved["receipt"] == message["receipt"]
    assert moved["delivery_attempts"] == 1
    assert seconds_between(moved["updated_at"], moved["scheduled_at"]) == 300
    assert get_message(http, message["id"])["scheduled_at"] == moved["scheduled_at"]

    again = http.put(f"/messages/{message['id']}/deadline", json={"seconds": 0})
    assert again.status_code == 200, again.text
    assert lease_one(api, queue["id"])["delivery_attempts"] == 2


@pytest.mark.parametrize(
    "body", [{"seconds": -1}, {"seconds": 601}, {"seconds": "x"}, {}, {"s": 1}]
)
def test_deadline_out_of_bounds_answers_422(
    http: httpx.Client, api: Api, body: dict[str, Any]
) -> None:
    response = http.put(f"/messages/{uuid.uuid4()}/deadline", json=body)

    assert response.status_code == 422, response.text


def test_deadline_of_an_unknown_unleased_or_stale_message_is_refused(
    http: httpx.Client, api: Api
) -> None:
    topic_id = api.create_topic()
    queue = api.create_queue(topic_id=topic_id)
    [first] = api.publish(topic_id, {"n": 1}, None)
    [waiting] = api.publish(topic_id, {"n": 2}, None)
    leased = lease_one(api, queue["id"])
    body = {"seconds": 10}

    unknown = http.put(f"/messages/{uuid.uuid4()}/deadline", json=body)
    not_leased = http.put(f"/messages/{waiting['id']}/deadline", json=body)
    stale = http.put(
        f"/messages/{leased['id']}/deadline",
        params={"receipt": str(uuid.uuid4())},
        json=body,
    )

    assert leased["id"] == first["id"]
    assert unknown.status_code == 404, unknown.text
    assert not_leased.status_code == 409, not_leased.text
    assert "not leased" in not_leased.json()["detail"]
    assert stale.status_code == 409, stale.text
    assert "stale" in stale.json()["detail"]
    assert get_message(http, leased["id"])["scheduled_at"] == leased["scheduled_at"]


# --- batches -----------------------------------------------------------------


def test_batch_publish_answers_201_with_every_copy_in_order(
    http: httpx.Client, api: Api
) -> None:
    topic_id = api.create_topic()
    everything = api.create_queue("a", topic_id=topic_id)
    only_x = api.create_queue("b", topic_id=topic_id, message_filters={"k": ["x"]})

    created = publish_batch(
        http,
        topic_id,
        [
            {"data": {"n": 1}, "attributes": {"k": "x"}},
            {"data": {"n": 2}},
            {"data": {"n": 3.25, "none": None}, "attributes": None},
        ],
    )

    assert [(m["data"]["n"], m["queue_id"]) for m in created] == [
        (1, everything["id"]),
        (1, only_x["id"]),
        (2, everything["id"]),
        (3.25, everything["id"]),
    ]
    assert created[3]["data"] == {"n": 3.25, "none": None}
    assert len({m["created_at"] for m in created}) == 1
    assert [m["data"]["n"] for m in api.lease(everything["id"])] == [1, 2, 3.25]


def test_batch_publish_is_all_or_nothing(http: httpx.Client, api: Api) -> None:
    topic_id = api.create_topic()
    queue = api.create_queue(topic_id=topic_id)

    # msgspec lets the NUL through; PostgreSQL refuses it for the whole batch.
    response = http.post(
        f"/topics/{topic_id}/messages/batch",
        json={"messages": [{"data": {"n": 1}}, {"data": {"text": "nul \u0000"}}]},
    )

    assert response.status_code == 422, response.text
    assert api.stats(queue["id"])["num_undelivered_messages"] == 0


def test_batch_publish_of_1000_messages(http: httpx.Client, api: Api) -> None:
    topic_id = api.create_topic()
    queue = api.create_queue(topic_id=topic_id)

    created = publish_batch(http, topic_id, [{"data": {"i": i}} for i in range(1000)])

    assert [m["data"]["i"] for m in created] == list(range(1000))
    assert api.stats(queue["id"])["num_undelivered_messages"] == 1000


@pytest.mark.parametrize(
    "body",
    [
        {"messages": []},
        {"messages": [{"data": {}}] * 1001},
        {"messages": [{"data": {}, "extra": 1}]},
        {"messages": [{"data": []}]},
        {"messages": [{"data": {}, "attributes": {"n": 1}}]},
        {"messages": [{"data": {}, "delay_seconds": 901}]},
        {"messages": {"data": {}}},
        {"data": {}},
        [],
    ],
)
def test_batch_publish_of_an_invalid_body_answers_422(
    http: httpx.Client, api: Api, body: object
) -> None:
    topic_id = api.create_topic()
    queue = api.create_queue(topic_id=topic_id)

    response = http.post(f"/topics/{topic_id}/messages/batch", json=body)

    assert response.status_code == 422, response.text
    assert api.stats(queue["id"])["num_undelivered_messages"] == 0


def test_batch_publish_to_an_unknown_topic_answers_404(http: httpx.Client) -> None:
    response = http.post(
        f"/topics/{unique('missing')}/messages/batch",
        json={"messages": [{"data": {}}]},
    )

    assert response.status_code == 404, response.text


def test_batch_ack_says_what_it_did_with_each_message(
    http: httpx.Client, api: Api
) -> None:
    topic_id = api.create_topic()
    queue = api.create_queue(topic_id=topic_id)
    for n in range(3):
        api.publish(topic_id, {"n": n}, None)
    by_id, with_receipt, stale = api.lease(queue["id"])
    unknown = str(uuid.uuid4())

    response = http.put(
        "/messages/ack",
        json={
            "messages": [
                {"id": by_id["id"]},
                {"id": with_receipt["id"], "receipt": with_receipt["receipt"]},
                {"id": stale["id"], "receipt": str(uuid.uuid4())},
                {"id": unknown, "receipt": None},
            ]
        },
    )

    assert response.status_code == 200, response.text
    assert response.json() == {
        "settled": sorted([by_id["id"], with_receipt["id"]]),
        "unknown": [unknown],
        "stale": [stale["id"]],
    }
    assert http.get(f"/messages/{by_id['id']}").status_code == 404
    assert http.get(f"/messages/{with_receipt['id']}").status_code == 404
    assert get_message(http, stale["id"])["delivery_attempts"] == 1


def test_batch_nack_gives_messages_back(http: httpx.Client, api: Api) -> None:
    topic_id = api.create_topic()
    queue = api.create_queue(topic_id=topic_id)
    for n in range(3):
        api.publish(topic_id, {"n": n}, None)
    leased = api.lease(queue["id"])
    items = [{"id": m["id"], "receipt": m["receipt"]} for m in leased[:2]]

    response = http.put("/messages/nack", json={"messages": items})

    assert response.status_code == 200, response.text
    assert response.json() == {
        "settled": sorted(m["id"] for m in leased[:2]),
        "unknown": [],
        "stale": [],
    }
    again = api.lease(queue["id"])
    assert sorted(m["id"] for m in again) == sorted(m["id"] for m in leased[:2])
    assert all(m["delivery_attempts"] == 2 for m in again)


@pytest.mark.parametrize("action", ["ack", "nack"])
@pytest.mark.parametrize(
    "messages",
    [
        [],
        [{"id": "00000000-0000-4000-8000-000000000001"}] * 2,
        [{"id": str(uuid.UUID(int=n))} for n in range(1001)],
        [{"id": "not-a-uuid"}],
        [{"id": "00000000-0000-4000-8000-000000000001", "receipt": "stale"}],
        [{"id": "00000000-0000-4000-8000-000000000001", "queue": "q"}],
        [{"receipt": "00000000-0000-4000-8000-000000000001"}],
        ["00000000-0000-4000-8000-000000000001"],
    ],
)
def test_batch_settle_of_an_invalid_body_answers_422(
    http: httpx.Client, action: str, messages: list[Any]
) -> None:
    response = http.put(f"/messages/{action}", json={"messages": messages})

    assert response.status_code == 422, response.text
    assert response.json()["detail"]


# --- idempotent publish ------------------------------------------------------


def test_a_retry_with_the_same_key_answers_the_first_messages(
    http: httpx.Client, api: Api
) -> None:
    topic_id = api.create_topic()
    queue = api.create_queue(topic_id=topic_id)
    body = {"data": {"order": 7}, "attributes": {"kind": "order"}}
    headers = {"Idempotency-Key": unique("order")}

    first = http.post(f"/topics/{topic_id}/messages", json=body, headers=headers)
    retry = http.post(f"/topics/{topic_id}/messages", json=body, headers=headers)

    assert first.status_code == retry.status_code == 201
    assert retry.content == first.content
    assert api.stats(queue["id"])["num_undelivered_messages"] == 1


def test_a_retried_batch_answers_the_first_messages(
    http: httpx.Client, api: Api
) -> None:
    topic_id = api.create_topic()
    queue = api.create_queue(topic_id=topic_id)
    body = {"messages": [{"data": {"n": n}} for n in range(5)]}
    headers = {"idempotency-key": unique("batch")}
    path = f"/topics/{topic_id}/messages/batch"

    first = http.post(path, json=body, headers=headers)
    retry = http.post(path, json=body, headers=headers)

    assert first.status_code == retry.status_code == 201
    assert retry.content == first.content
    assert api.stats(queue["id"])["num_undelivered_messages"] == 5


def test_other_keys_or_no_key_publish_again(http: httpx.Client, api: Api) -> None:
    topic_id = api.create_topic()
    queue = api.create_queue(topic_id=topic_id)
    path = f"/topics/{topic_id}/messages"

    for headers in ({"Idempotency-Key": "a"}, {"Idempotency-Key": "b"}, {}, {}):
        assert http.post(path, json={"data": {}}, headers=headers).status_code == 201

    assert api.stats(queue["id"])["num_undelivered_messages"] == 4


@pytest.mark.parametrize("key", ["", "k" * 256])
def test_an_invalid_idempotency_key_answers_422(
    http: httpx.Client, api: Api, key: str
) -> None:
    topic_id = api.create_topic()

    response = http.post(
        f"/topics/{topic_id}/messages",
        json={"data": {}},
        headers={"Idempotency-Key": key},
    )

    assert response.status_code == 422, response.text


def test_concurrent_publishes_with_one_key_create_one_set_of_messages(
    http: httpx.Client, api: Api
) -> None:
    topic_id = api.create_topic()
    queues = [api.create_queue(topic_id=topic_id)["id"] for _ in range(2)]
    path = f"/topics/{topic_id}/messages/batch"
    body = {"messages": [{"data": {"n": n}} for n in range(10)]}
    headers = {"Idempotency-Key": unique("race")}
    callers = 8
    barrier = threading.Barrier(callers)

    def publish() -> httpx.Response:
        barrier.wait(timeout=WAIT_SECONDS)
        return http.post(path, json=body, headers=headers)

    with ThreadPoolExecutor(callers) as pool:
        responses = list(pool.map(lambda _: publish(), range(callers)))

    assert {r.status_code for r in responses} == {201}
    assert len({r.content for r in responses}) == 1
    for queue_id in queues:
        assert api.stats(queue_id)["num_undelivered_messages"] == 10


def test_a_second_session_waits_for_the_first_with_the_same_key(
    db_url: str, api: Api
) -> None:
    topic_id = api.create_topic()
    queue = api.create_queue(topic_id=topic_id)
    key = unique("session")
    publish = (
        "SELECT id FROM fastqueue.publish(%s, '{}', p_idempotency_key => %s) "
        "ORDER BY id"
    )
    with (
        psycopg.connect(db_url) as first,
        psycopg.connect(db_url, autocommit=True) as second,
        psycopg.connect(db_url, autocommit=True) as observer,
        ThreadPoolExecutor(1) as pool,
    ):
        # The first session publishes inside a transaction it has not committed.
        first_ids = first.execute(publish, (topic_id, key)).fetchall()
        second_pid = second.info.backend_pid
        retried = pool.submit(
            lambda: second.execute(publish, (topic_id, key)).fetchall()
        )
        deadline = time.monotonic() + WAIT_SECONDS
        waiting = False
        while not waiting and time.monotonic() < deadline and not retried.done():
            row = observer.execute(
                "SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = %s",
                (second_pid,),
            ).fetchone()
            waiting = bool(row and row[0])
            time.sleep(0.02)
        assert waiting, "the second session did not wait for the first one's key"
        first.commit()
        second_ids = retried.result(timeout=WAIT_SECONDS)

    assert second_ids == first_ids
    assert api.stats(queue["id"])["num_undelivered_messages"] == 1


def test_the_window_comes_from_the_setting(
    start_server: StartServer, api: Api, conn: psycopg.Connection[Any]
) -> None:
    server = start_server(idempotency_window_seconds="7")
    topic_id = api.create_topic()
    api.create_queue(topic_id=topic_id)
    key = unique("window")

    with httpx.Client(base_url=server.url, timeout=10) as client:
        response = client.post(
            f"/topics/{topic_id}/messages",
            json={"data": {}},
            headers={"Idempotency-Key": key},
        )
    row = conn.execute(
        "SELECT extract(epoch FROM expired_at - created_at)::integer "
        "FROM fastqueue.idempotency_key WHERE topic_id = %s AND key = %s",
        (topic_id, key),
    ).fetchone()

    assert response.status_code == 201, response.text
    assert row == (7,)


def test_a_key_whose_window_passed_publishes_anew(
    http: httpx.Client, api: Api, conn: psycopg.Connection[Any]
) -> None:
    topic_id = api.create_topic()
    queue = api.create_queue(topic_id=topic_id)
    key = unique("late")
    path = f"/topics/{topic_id}/messages"
    headers = {"Idempotency-Key": key}
    first = http.post(path, json={"data": {}}, headers=headers)
    conn.execute(
        "UPDATE fastqueue.idempotency_key SET expired_at = clock_timestamp() "
        "WHERE topic_id = %s AND key = %s",
        (topic_id, key),
    )

    late = http.post(path, json={"data": {}}, headers=headers)

    assert late.status_code == 201, late.text
    assert late.json()["data"][0]["id"] != first.json()["data"][0]["id"]
    assert api.stats(queue["id"])["num_undelivered_messages"] == 2


@pytest.mark.parametrize("value", ["0", "86401", "soon"])
def test_an_invalid_window_setting_is_refused(value: str) -> None:
    environ = {
        "fastqueue_database_url": "postgresql://127.0.0.1/fastqueue",
        "fastqueue_idempotency_window_seconds": value,
    }

    with pytest.raises(SettingsError, match="idempotency_window_seconds"):
        load_settings(environ, env_file=None)


# --- per-message delay -------------------------------------------------------


def test_a_message_delay_hides_it_whatever_the_queue_says(
    http: httpx.Client, api: Api, conn: psycopg.Connection[Any]
) -> None:
    topic_id = api.create_topic()
    plain = api.create_queue("plain", topic_id=topic_id)
    slow = api.create_queue("slow", topic_id=topic_id, delivery_delay_seconds=900)

    response = http.post(
        f"/topics/{topic_id}/messages", json={"data": {"n": 1}, "delay_seconds": 60}
    )

    assert response.status_code == 201, response.text
    copies = response.json()["data"]
    assert [seconds_between(m["created_at"], m["scheduled_at"]) for m in copies] == [
        60,
        60,
    ]
    assert api.lease(plain["id"]) == []
    assert api.stats(slow["id"])["num_undelivered_messages"] == 0
    move_back(conn, [m["id"] for m in copies], 60)
    assert [m["data"] for m in api.lease(plain["id"])] == [{"n": 1}]
    assert [m["data"] for m in api.lease(slow["id"])] == [{"n": 1}]


def test_a_delay_of_zero_skips_the_queue_delay(http: httpx.Client, api: Api) -> None:
    topic_id = api.create_topic()
    queue = api.create_queue(topic_id=topic_id, delivery_delay_seconds=900)

    response = http.post(
        f"/topics/{topic_id}/messages", json={"data": {}, "delay_seconds": 0}
    )

    assert response.status_code == 201, response.text
    assert len(api.lease(queue["id"])) == 1


def test_each_message_of_a_batch_has_its_own_delay(
    http: httpx.Client, api: Api
) -> None:
    topic_id = api.create_topic()
    queue = api.create_queue(topic_id=topic_id, delivery_delay_seconds=30)

    created = publish_batch(
        http,
        topic_id,
        [
            {"data": {"n": 1}, "delay_seconds": 0},
            {"data": {"n": 2}},
            {"data": {"n": 3}, "delay_seconds": 900},
        ],
    )

    delays = [seconds_between(m["created_at"], m["scheduled_at"]) for m in created]
    assert delays == [0, 30, 900]
    assert [m["data"] for m in api.lease(queue["id"])] == [{"n": 1}]


@pytest.mark.parametrize("delay", [-1, 901, 1.5, "soon"])
def test_a_delay_out_of_bounds_answers_422(
    http: httpx.Client, api: Api, delay: object
) -> None:
    topic_id = api.create_topic()

    response = http.post(
        f"/topics/{topic_id}/messages", json={"data": {}, "delay_seconds": delay}
    )

    assert response.status_code == 422, response.text


# --- dead-letter tools -------------------------------------------------------


def dead_letter(api: Api, topic_id: str, queue_id: str, data: dict[str, Any]) -> str:
    """Publish a message that fails its only delivery; returns its id."""
    [message] = api.publish(topic_id, data, None)
    assert lease_one(api, queue_id)["id"] == message["id"]
    response = api.http.put(f"/messages/{message['id']}/nack")
    assert response.status_code == 204, response.text
    message_id: str = message["id"]
    return message_id


def test_a_dead_lettered_message_says_where_and_when_it_came_from(
    http: httpx.Client, api: Api
) -> None:
    topic_id = api.create_topic()
    dead = api.create_queue("dead")
    queue = api.create_queue(
        topic_id=topic_id, dead_queue_id=dead["id"], message_max_deliveries=1
    )

    message_id = dead_letter(api, topic_id, queue["id"], {"n": 1})

    message = get_message(http, message_id)
    assert message["queue_id"] == dead["id"]
    assert message["dead_lettered_from"] == queue["id"]
    assert message["dead_lettered_at"] == message["updated_at"]
    assert message["receipt"] is None
    [leased] = api.lease(dead["id"])
    assert leased["dead_lettered_from"] == queue["id"]


def test_peek_shows_messages_without_leasing_them(http: httpx.Client, api: Api) -> None:
    topic_id = api.create_topic()
    queue = api.create_queue(topic_id=topic_id)
    published = [api.publish(topic_id, {"n": n}, None)[0] for n in range(3)]
    leased = lease_one(api, queue["id"])

    response = http.get(f"/queues/{queue['id']}/messages/peek")
    limited = http.get(f"/queues/{queue['id']}/messages/peek", params={"limit": 1})

    assert response.status_code == 200, response.text
    shown = response.json()["data"]
    assert [m["id"] for m in shown] == [m["id"] for m in published[1:]] + [leased["id"]]
    assert all(m["receipt"] is None for m in shown)
    assert [m["delivery_attempts"] for m in shown] == [0, 0, 1]
    assert [m["id"] for m in limited.json()["data"]] == [published[1]["id"]]
    assert api.stats(queue["id"])["num_undelivered_messages"] == 2
    assert [m["id"] for m in api.lease(queue["id"])] == [m["id"] for m in published[1:]]


def test_get_message_shows_a_leased_message_without_its_receipt(
    http: httpx.Client, api: Api
) -> None:
    topic_id = api.create_topic()
    queue = api.create_queue(topic_id=topic_id)
    api.publish(topic_id, {"n": 1}, None)
    leased = lease_one(api, queue["id"])

    shown = get_message(http, leased["id"])

    assert shown == {**leased, "receipt": None}
    assert api.lease(queue["id"]) == []


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/queues/MISSING/messages/peek", 404),
        ("/queues/QUEUE/messages/peek?limit=0", 422),
        ("/queues/QUEUE/messages/peek?limit=1001", 422),
        ("/messages/00000000-0000-4000-8000-000000000000", 404),
        ("/messages/not-a-uuid", 422),
    ],
)
def test_look_errors(http: httpx.Client, api: Api, path: str, status: int) -> None:
    queue = api.create_queue()
    path = path.replace("MISSING", unique("missing")).replace("QUEUE", queue["id"])

    response = http.get(path)

    assert response.status_code == status, response.text


def test_redrive_without_a_destination_sends_each_message_back(
    http: httpx.Client, api: Api
) -> None:
    topic_id = api.create_topic()
    dead = api.create_queue("dead")
    sources = [
        api.create_queue(
            topic_id=topic_id,
            dead_queue_id=dead["id"],
            message_max_deliveries=1,
            message_filters={"to": [str(n)]},
        )["id"]
        for n in range(2)
    ]
    moved = []
    for n, source in enumerate(sources):
        [message] = api.publish(topic_id, {"n": n}, {"to": str(n)})
        assert lease_one(api, source)["id"] == message["id"]
        assert http.put(f"/messages/{message['id']}/nack").status_code == 204
        moved.append(message["id"])

    response = http.put(f"/queues/{dead['id']}/redrive", json={})

    assert response.status_code == 204, response.text
    for message_id, source in zip(moved, sources, strict=True):
        message = get_message(http, message_id)
        assert message["queue_id"] == source
        assert message["dead_lettered_from"] is None
        assert message["delivery_attempts"] == 0
    assert api.stats(dead["id"])["num_undelivered_messages"] == 0


def test_redrive_with_a_limit_moves_the_oldest_first(
    http: httpx.Client, api: Api
) -> None:
    topic_id = api.create_topic()
    source = api.create_queue("source", topic_id=topic_id)
    destination = api.create_queue("destination")
    published = [api.publish(topic_id, {"n": n}, None)[0] for n in range(3)]

    response = http.put(
        f"/queues/{source['id']}/redrive",
        json={"destination_queue_id": destination["id"], "limit": 2},
    )

    assert response.status_code == 204, response.text
    assert [m["id"] for m in api.lease(destination["id"])] == [
        m["id"] for m in published[:2]
    ]
    assert [m["id"] for m in api.lease(source["id"])] == [published[2]["id"]]


@pytest.mark.parametrize(
    "body", [{"limit": 0}, {"limit": -1}, {"limit": "many"}, {"extra": 1}]
)
def test_redrive_with_an_invalid_limit_answers_422(
    http: httpx.Client, api: Api, body: dict[str, Any]
) -> None:
    queue = api.create_queue()

    response = http.put(f"/queues/{queue['id']}/redrive", json=body)

    assert response.status_code == 422, response.text


# --- documentation -----------------------------------------------------------


def test_the_openapi_schema_documents_the_new_routes_and_their_bounds(
    http: httpx.Client,
) -> None:
    schema = http.get("/openapi.json").json()
    paths = schema["paths"]
    components = schema["components"]["schemas"]

    assert {
        ("post", "/topics/{topic_id}/messages/batch"),
        ("put", "/messages/ack"),
        ("put", "/messages/nack"),
        ("put", "/messages/{message_id}/deadline"),
        ("get", "/messages/{message_id}"),
        ("get", "/queues/{queue_id}/messages/peek"),
    } <= {(method, path) for path, item in paths.items() for method in item}
    batch = components["BatchPublishIn"]["properties"]["messages"]
    assert (batch["minItems"], batch["maxItems"]) == (1, 1000)
    settle = components["SettleBatchIn"]["properties"]["messages"]
    assert (settle["minItems"], settle["maxItems"]) == (1, 1000)
    seconds = components["DeadlineIn"]["properties"]["seconds"]
    assert (seconds["minimum"], seconds["maximum"]) == (0, 600)
    delay = components["PublishIn"]["properties"]["delay_seconds"]
    assert delay["maximum"] == 900
    assert delay["description"].startswith("0 to 900 seconds")
    header = {
        p["name"]: p for p in paths["/topics/{topic_id}/messages"]["post"]["parameters"]
    }["Idempotency-Key"]
    assert (header["in"], header["schema"]["maxLength"]) == ("header", 255)
    ack = paths["/messages/{message_id}/ack"]["put"]
    assert "409" in ack["responses"]
    assert any(p["name"] == "receipt" for p in ack["parameters"])
