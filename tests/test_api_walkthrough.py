"""The original fastqueue README's walkthrough, end to end over HTTP.

Ids carry a unique suffix so that the walkthrough can run next to other tests;
the delay queue uses the shortest delay allowed and polls for a bounded time.
"""

from __future__ import annotations

import time
from datetime import datetime

import httpx
from conftest import Api, unique

POLL_SECONDS = 10.0


def _status(response: httpx.Response, expected: int) -> httpx.Response:
    assert response.status_code == expected, response.text
    return response


def test_readme_walkthrough(http: httpx.Client, api: Api) -> None:  # noqa: PLR0915
    suffix = unique("wt")
    events, all_events = f"events-{suffix}", f"all-events-{suffix}"
    filtered, dead = f"filtered-events-{suffix}", f"all-events-dead-{suffix}"
    delayed = f"delayed-events-{suffix}"
    api.adopt_topic(events)
    for queue_id in (all_events, filtered, dead, delayed):
        api.adopt_queue(queue_id)

    # Create a topic, and see it listed.
    topic = _status(http.post("/topics", json={"id": events}), 201).json()
    assert topic["id"] == events
    listed = http.get("/topics", params={"limit": 1000}).json()["data"]
    assert events in {t["id"] for t in listed}

    # Create a queue of the topic.
    queue = _status(
        http.post(
            "/queues",
            json={
                "id": all_events,
                "topic_id": events,
                "ack_deadline_seconds": 30,
                "message_retention_seconds": 1209600,
            },
        ),
        201,
    ).json()
    assert queue["topic_id"] == events
    assert queue["dead_queue_id"] is None

    # Publish a message; it reaches the queue.
    event1 = {"data": {"event_name": "event1", "success": True}}
    event1["attributes"] = {"event_name": "event1"}
    [message] = _status(
        http.post(f"/topics/{events}/messages", json=event1), 201
    ).json()["data"]
    assert message["queue_id"] == all_events
    assert message["delivery_attempts"] == 0
    assert api.stats(all_events)["num_undelivered_messages"] == 1

    # Consume, nack, consume again, ack: the queue is then empty.
    [leased] = api.lease(all_events)
    assert (leased["id"], leased["delivery_attempts"]) == (message["id"], 1)
    _status(http.put(f"/messages/{leased['id']}/nack"), 204)
    [leased] = api.lease(all_events)
    assert (leased["id"], leased["delivery_attempts"]) == (message["id"], 2)
    _status(http.put(f"/messages/{leased['id']}/ack"), 204)
    assert api.lease(all_events) == []

    # A filtered queue receives only the messages its filter accepts.
    _status(
        http.post(
            "/queues",
            json={
                "id": filtered,
                "topic_id": events,
                "ack_deadline_seconds": 30,
                "message_retention_seconds": 1209600,
                "message_filters": {"event_name": ["event2"]},
            },
        ),
        201,
    )
    first = _status(http.post(f"/topics/{events}/messages", json=event1), 201)
    assert [m["queue_id"] for m in first.json()["data"]] == [all_events]
    event2 = {
        "data": {"event_name": "event2", "success": True},
        "attributes": {"event_name": "event2"},
    }
    second = _status(http.post(f"/topics/{events}/messages", json=event2), 201)
    assert sorted(m["queue_id"] for m in second.json()["data"]) == sorted(
        [all_events, filtered]
    )

    # A dead queue takes the messages delivered twice without an ack.
    _status(http.post("/queues", json={"id": dead}), 201)
    replaced = _status(
        http.put(
            f"/queues/{all_events}",
            json={
                "topic_id": events,
                "ack_deadline_seconds": 30,
                "message_retention_seconds": 1209600,
                "dead_queue_id": dead,
                "message_max_deliveries": 2,
            },
        ),
        200,
    ).json()
    assert (replaced["dead_queue_id"], replaced["message_max_deliveries"]) == (dead, 2)
    for attempt in (1, 2):
        leased_now = api.lease(all_events)
        assert len(leased_now) == 2
        assert {m["delivery_attempts"] for m in leased_now} == {attempt}
        for m in leased_now:
            _status(http.put(f"/messages/{m['id']}/nack"), 204)
    stats = api.stats(all_events)
    assert stats["num_undelivered_messages"] == 0
    assert stats["oldest_unacked_message_age_seconds"] == 0
    assert api.stats(dead)["num_undelivered_messages"] == 2

    # Redrive moves them back from the dead queue.
    _status(
        http.put(f"/queues/{dead}/redrive", json={"destination_queue_id": all_events}),
        204,
    )
    assert api.stats(all_events)["num_undelivered_messages"] == 2
    assert api.stats(dead)["num_undelivered_messages"] == 0

    # A delay queue hides new messages for its delivery delay.
    _status(
        http.post(
            "/queues",
            json={"id": delayed, "topic_id": events, "delivery_delay_seconds": 1},
        ),
        201,
    )
    event3 = {
        "data": {"event_name": "event3", "success": True},
        "attributes": {"event_name": "event3"},
    }
    published = _status(http.post(f"/topics/{events}/messages", json=event3), 201)
    [copy] = [m for m in published.json()["data"] if m["queue_id"] == delayed]
    created = datetime.fromisoformat(copy["created_at"])
    scheduled = datetime.fromisoformat(copy["scheduled_at"])
    assert (scheduled - created).total_seconds() == 1
    early = api.lease(delayed)
    if early:
        # Only possible when this machine took over a second since publishing.
        assert datetime.now(created.tzinfo) >= scheduled
    deadline = time.monotonic() + POLL_SECONDS
    while not early and time.monotonic() < deadline:
        time.sleep(0.2)
        early = api.lease(delayed)
    assert [m["id"] for m in early] == [copy["id"]]
    assert early[0]["delivery_attempts"] == 1

    # Metrics show the queues.
    metrics = _status(http.get("/metrics"), 200)
    assert metrics.headers["content-type"].startswith("text/plain")
    assert "fastqueue_http_requests_total" in metrics.text
