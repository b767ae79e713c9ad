"""REST API: bad requests get a clear 4xx, an absent database a quick 503."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

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


# --- hostile input ------------------------------------------------------------------
# What a careless or malicious client may send: each gets a clear 4xx, never a 500,
# and nothing it sends is stored other than as sent.

JSON = {"content-type": "application/json"}
TEN_MB = 10 * 1024 * 1024


def _publish_raw(
    http: httpx.Client, topic_id: str, content: bytes | str
) -> httpx.Response:
    return http.post(f"/topics/{topic_id}/messages", content=content, headers=JSON)


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/topics", {"id": "nul\u0000"}),
        ("/queues", {"id": "q", "message_filters": {"k": ["a\u0000"]}}),
        ("/queues", {"id": "q", "message_filters": {"k\u0000": ["a"]}}),
        ("PUBLISH", {"data": {}, "attributes": {"k": "nul \u0000"}}),
        ("PUBLISH", {"data": {"k\u0000": 1}}),
    ],
)
def test_nul_characters_answer_422(
    http: httpx.Client, api: Api, path: str, body: dict[str, object]
) -> None:
    if path == "PUBLISH":
        path = f"/topics/{api.create_topic()}/messages"

    response = http.post(path, json=body)

    assert response.status_code == 422, response.text


def test_a_nul_character_in_message_data_is_named_in_the_detail(
    http: httpx.Client, api: Api
) -> None:
    topic = api.create_topic()

    response = http.post(f"/topics/{topic}/messages", json={"data": {"k": "\u0000"}})

    assert response.status_code == 422, response.text
    assert "NUL" in response.json()["detail"]


def test_a_long_id_is_not_echoed_in_full(http: httpx.Client) -> None:
    response = http.get("/topics/" + "t" * 5000)

    assert response.status_code == 404
    assert len(response.json()["detail"]) <= 500


@pytest.mark.parametrize("path", ["/topics/%00", "/queues/a%00b/stats"])
def test_nul_character_in_a_path_id_answers_422(http: httpx.Client, path: str) -> None:
    response = http.get(path)

    assert response.status_code == 422, response.text
    assert "NUL" in response.json()["detail"]


@pytest.mark.parametrize("target", ["PUBLISH", "/queues"])
def test_json_nested_10000_deep_answers_422(
    http: httpx.Client, api: Api, target: str
) -> None:
    deep = '{"a": ' * 10_000 + "1" + "}" * 10_000
    if target == "PUBLISH":
        path, body = f"/topics/{api.create_topic()}/messages", '{"data": ' + deep + "}"
    else:
        path, body = target, '{"id": "q", "message_filters": ' + deep + "}"

    response = http.post(path, content=body, headers=JSON)

    assert response.status_code == 422, response.text
    assert "nested too deeply" in response.json()["detail"]


@pytest.mark.parametrize("path", ["PUBLISH", "/topics", "/queues"])
def test_string_of_10_mb_answers_413(http: httpx.Client, api: Api, path: str) -> None:
    body: dict[str, object]
    if path == "PUBLISH":
        path = f"/topics/{api.create_topic()}/messages"
        body = {"data": {"text": "x" * TEN_MB}}
    else:
        body = {"id": "x" * TEN_MB}

    response = http.post(path, json=body)

    assert response.status_code == 413, response.text
    assert "detail" in response.json()


def test_100000_attributes_answer_413_over_the_body_limit(
    http: httpx.Client, api: Api
) -> None:
    attributes = {f"a{n}": "v" for n in range(100_000)}

    response = http.post(
        f"/topics/{api.create_topic()}/messages",
        json={"data": {}, "attributes": attributes},
    )

    assert response.status_code == 413, response.text


@pytest.fixture(scope="module")
def roomy(start_server: StartServer) -> Iterator[httpx.Client]:
    """A server whose body limit lets 10 MB and 100,000 attributes through."""
    server = start_server(max_body_bytes=str(32 * 1024 * 1024))
    with httpx.Client(base_url=server.url, timeout=60) as client:
        yield client


def test_big_bodies_under_a_raised_limit_are_stored_exactly(
    roomy: httpx.Client,
) -> None:
    helper = Api(roomy)
    try:
        topic_id = helper.create_topic()
        queue = helper.create_queue(topic_id=topic_id)
        attributes = {f"a{n}": f"v{n}" for n in range(100_000)}
        text = "é" * (TEN_MB // 2)
        helper.publish(topic_id, {"text": text}, attributes)

        [message] = helper.lease(queue["id"])

        assert message["data"] == {"text": text}
        assert message["attributes"] == attributes
    finally:
        helper.cleanup()


# Numbers a double cannot hold: too big, too small, or with too many digits. They
# are stored and returned digit for digit, or refused when even PostgreSQL's numeric
# cannot hold them.
EXACT_NUMBERS = [
    "1e400",
    "-1e400",
    "1e-400",
    "0.1000000000000000055511151231257827",
    "123456789012345678901234567890123456789",
    "-0.0",
    "2.5E+3",
]


def test_numbers_beyond_double_range_are_returned_exactly(
    http: httpx.Client, api: Api
) -> None:
    topic_id = api.create_topic()
    queue = api.create_queue(topic_id=topic_id)
    fields = ", ".join(f'"n{i}": {number}' for i, number in enumerate(EXACT_NUMBERS))

    published = _publish_raw(http, topic_id, '{"data": {' + fields + "}}")
    leased = http.get(f"/queues/{queue['id']}/messages")

    assert published.status_code == 201, published.text
    for response in (published, leased):
        [message] = json.loads(response.text, parse_float=Decimal)["data"]
        for i, number in enumerate(EXACT_NUMBERS):
            assert Decimal(str(message["data"][f"n{i}"])) == Decimal(number), number


@pytest.mark.parametrize("number", ["1e200000", "-1e200000", "1e-20000"])
def test_numbers_beyond_what_postgresql_holds_answer_422(
    http: httpx.Client, api: Api, number: str
) -> None:
    topic_id = api.create_topic()
    queue = api.create_queue(topic_id=topic_id)

    response = _publish_raw(http, topic_id, '{"data": {"n": ' + number + "}}")

    assert response.status_code == 422, response.text
    assert api.stats(queue["id"])["num_undelivered_messages"] == 0


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/topics", '{"id": "first", "id": "second"}'),
        ("PUBLISH", '{"data": {"a": 1, "a": 2}}'),
        ("PUBLISH", '{"data": {"a": 1}, "data": {"b": 2}}'),
        ("PUBLISH", '{"data": {}, "attributes": {"k": "x", "k": "y"}}'),
        ("/queues", '{"id": "q", "message_filters": {"k": ["a"], "k": ["b"]}}'),
    ],
)
def test_duplicate_keys_answer_422(
    http: httpx.Client, api: Api, path: str, body: str
) -> None:
    if path == "PUBLISH":
        topic_id = api.create_topic()
        queue = api.create_queue(topic_id=topic_id)
        path = f"/topics/{topic_id}/messages"

    response = http.post(path, content=body, headers=JSON)

    assert response.status_code == 422, response.text
    assert "appears twice" in response.json()["detail"]
    if path.endswith("/messages"):
        assert api.stats(queue["id"])["num_undelivered_messages"] == 0


@pytest.mark.parametrize(
    "content",
    [b'{"data": {"text": "\xff"}}', b'{"data": {"\xc3\x28": 1}}', b'{"data": {}}\xed'],
)
def test_invalid_utf8_answers_422(http: httpx.Client, api: Api, content: bytes) -> None:
    response = _publish_raw(http, api.create_topic(), content)

    assert response.status_code == 422, response.text


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data", "xml"],
)
def test_a_body_not_declared_as_json_answers_415(
    http: httpx.Client, content_type: str
) -> None:
    topic_id = unique("ctype")

    response = http.post(
        "/topics",
        content=json.dumps({"id": topic_id}),
        headers={"content-type": content_type},
    )

    assert response.status_code == 415, response.text
    assert "application/json" in response.json()["detail"]
    assert http.get(f"/topics/{topic_id}").status_code == 404


@pytest.mark.parametrize(
    "content_type",
    [None, "application/json; charset=utf-8", "application/merge-patch+json"],
)
def test_a_body_without_content_type_or_with_a_json_one_is_read(
    http: httpx.Client, api: Api, content_type: str | None
) -> None:
    topic_id = unique("ctype")
    request = http.build_request("POST", "/topics", content=f'{{"id": "{topic_id}"}}')
    request.headers.pop("content-type", None)
    if content_type is not None:
        request.headers["content-type"] = content_type

    response = http.send(request)

    assert response.status_code == 201, response.text
    api.adopt_topic(topic_id)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/queues"),
        ("PUT", "/queues/QUEUE"),
        ("PATCH", "/queues/QUEUE"),
        ("PUT", "/queues/QUEUE/redrive"),
        ("POST", "/topics/TOPIC/messages"),
    ],
)
def test_an_empty_body_answers_422(
    http: httpx.Client, api: Api, method: str, path: str
) -> None:
    topic_id = api.create_topic()
    queue = api.create_queue(topic_id=topic_id)
    path = path.replace("QUEUE", queue["id"]).replace("TOPIC", topic_id)

    response = http.request(method, path, content=b"", headers=JSON)

    assert response.status_code == 422, response.text
    assert "a JSON object is required" in response.json()["detail"]


HOSTILE_IDS = [
    "a'; DROP TABLE fastqueue.topic; --",
    'q" OR 1=1 --',
    "x%' OR '1'='1",
    "../../etc/passwd",
    "a/b",
    "t\u043epic",  # a Cyrillic o
    "\uff54opic",  # a full-width t
    "topic\u200b",  # a zero-width space
    "x" * 129,
    "",
]


@pytest.mark.parametrize("bad_id", HOSTILE_IDS)
def test_hostile_ids_are_refused_on_create(http: httpx.Client, bad_id: str) -> None:
    for path, body in (
        ("/topics", {"id": bad_id}),
        ("/queues", {"id": bad_id}),
        ("/queues", {"id": unique("q"), "topic_id": bad_id}),
        ("/queues", {"id": unique("q"), "dead_queue_id": bad_id}),
    ):
        response = http.post(path, json=body)
        assert response.status_code == 422, (path, body, response.text)


@pytest.mark.parametrize("bad_id", HOSTILE_IDS[:-1])
def test_hostile_ids_in_paths_find_nothing(http: httpx.Client, bad_id: str) -> None:
    quoted = httpx.URL("/").copy_with(path="/x/" + bad_id).raw_path.decode()[3:]
    quoted = quoted.replace("/", "%2F")
    for method, path in (
        ("GET", f"/topics/{quoted}"),
        ("DELETE", f"/topics/{quoted}"),
        ("GET", f"/queues/{quoted}"),
        ("GET", f"/queues/{quoted}/stats"),
        ("GET", f"/queues/{quoted}/messages"),
        ("PUT", f"/queues/{quoted}/purge"),
        ("POST", f"/topics/{quoted}/messages"),
    ):
        body: dict[str, object] | None = {"data": {}} if method == "POST" else None
        response = http.request(method, path, json=body)
        assert response.status_code in (404, 422), (method, path, response.text)
        assert response.json()["detail"]


def test_an_id_of_128_characters_is_fine(http: httpx.Client, api: Api) -> None:
    topic_id = (unique("long") + "x" * 128)[:128]

    response = http.post("/topics", json={"id": topic_id})

    assert response.status_code == 201, response.text
    api.adopt_topic(topic_id)
    assert http.get(f"/topics/{topic_id}").status_code == 200


@pytest.mark.parametrize("limit", ["100000000000000000000", "1.5", "", "0x10", "ten"])
def test_lease_limit_that_is_not_a_small_whole_number_answers_422(
    http: httpx.Client, api: Api, limit: str
) -> None:
    queue = api.create_queue()

    response = http.get(f"/queues/{queue['id']}/messages", params={"limit": limit})

    assert response.status_code == 422, response.text


@pytest.mark.parametrize(
    "params", [{"limit": "99999999999999999999"}, {"offset": "1.5"}]
)
def test_list_paging_that_is_not_a_small_whole_number_answers_422(
    http: httpx.Client, params: dict[str, str]
) -> None:
    for path in ("/topics", "/queues"):
        assert http.get(path, params=params).status_code == 422


def test_a_queue_cannot_be_its_own_dead_queue(http: httpx.Client, api: Api) -> None:
    queue_id = unique("self")
    own = {"dead_queue_id": queue_id, "message_max_deliveries": 1}

    created = http.post("/queues", json={"id": queue_id, **own})
    queue = api.create_queue()
    patched = http.patch(
        f"/queues/{queue['id']}",
        json={"dead_queue_id": queue["id"], "message_max_deliveries": 1},
    )
    replaced = http.put(
        f"/queues/{queue['id']}",
        json={"dead_queue_id": queue["id"], "message_max_deliveries": 1},
    )

    assert created.status_code == 422, created.text
    assert patched.status_code == 422, patched.text
    assert replaced.status_code == 422, replaced.text
    assert http.get(f"/queues/{queue_id}").status_code == 404


def test_a_longer_cycle_of_dead_queues_is_refused(http: httpx.Client, api: Api) -> None:
    first = api.create_queue()
    second = api.create_queue(dead_queue_id=first["id"], message_max_deliveries=1)
    third = api.create_queue(dead_queue_id=second["id"], message_max_deliveries=1)

    response = http.put(
        f"/queues/{first['id']}",
        json={"dead_queue_id": third["id"], "message_max_deliveries": 2},
    )

    assert response.status_code == 422, response.text
    assert "cycle" in response.json()["detail"]


def test_redrive_to_itself_or_an_unknown_queue_moves_nothing(
    http: httpx.Client, api: Api
) -> None:
    topic_id = api.create_topic()
    queue = api.create_queue(topic_id=topic_id)
    api.publish(topic_id, {"n": 1}, None)

    to_itself = http.put(
        f"/queues/{queue['id']}/redrive", json={"destination_queue_id": queue["id"]}
    )
    to_nowhere = http.put(
        f"/queues/{queue['id']}/redrive",
        json={"destination_queue_id": unique("nowhere")},
    )

    assert to_itself.status_code == 422, to_itself.text
    assert "itself" in to_itself.json()["detail"]
    assert to_nowhere.status_code == 422, to_nowhere.text
    assert api.stats(queue["id"])["num_undelivered_messages"] == 1


@pytest.mark.parametrize("kind", ["topics", "queues"])
def test_concurrent_creates_and_deletes_of_one_id_never_answer_500(
    http: httpx.Client, kind: str
) -> None:
    the_id = unique(f"race-{kind}")
    callers = 16

    def create(_: int) -> int:
        return http.post(f"/{kind}", json={"id": the_id}).status_code

    def create_or_delete(n: int) -> int:
        if n % 2:
            return http.delete(f"/{kind}/{the_id}").status_code
        return create(n)

    try:
        with ThreadPoolExecutor(callers) as pool:
            creates = list(pool.map(create, range(callers)))
        with ThreadPoolExecutor(callers) as pool:
            mixed = list(pool.map(create_or_delete, range(4 * callers)))
        exists_at_end = http.get(f"/{kind}/{the_id}").status_code
    finally:
        http.delete(f"/{kind}/{the_id}")

    assert sorted(creates) == [201] + [409] * (callers - 1)
    assert set(mixed) <= {201, 409, 204, 404}, mixed
    # It existed before the mixed round: every 201 and 204 flipped that, in turn.
    flips = mixed.count(201) - mixed.count(204)
    assert flips in (0, -1), mixed
    assert exists_at_end == (200 if flips == 0 else 404)
