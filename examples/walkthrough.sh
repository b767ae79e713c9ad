#!/usr/bin/env bash
# The original fastqueue README's walkthrough, run with curl against a server:
# topic, queue, publish, stats, consume, nack, ack, filtered queue, dead queue,
# redrive, delay queue and metrics. Every answer's status and key fields are
# checked; the script stops with a non-zero exit at the first surprise.
#
# usage: examples/walkthrough.sh        (needs curl and python3)
#   FASTQUEUE_URL   the server (http://127.0.0.1:8000)
# Ids get a unique suffix, so the script can run again on the same database;
# it deletes what it created at the end.
set -euo pipefail

base=${FASTQUEUE_URL:-http://127.0.0.1:8000}
suffix=$(date +%s)-$$
events=events-$suffix
all_events=all-events-$suffix
filtered=filtered-events-$suffix
dead=all-events-dead-$suffix
delayed=delayed-events-$suffix

body=$(mktemp)
trap 'rm -f "$body"' EXIT

fail() {
    printf 'FAILED: %s\n' "$*" >&2
    exit 1
}

# call METHOD PATH EXPECTED_STATUS [JSON_BODY]: the answer lands in $body.
call() {
    local method=$1 path=$2 expected=$3 data=${4-} status
    local args=(-sS -o "$body" -w '%{http_code}' -X "$method" -H 'accept: application/json')
    if [ -n "$data" ]; then
        args+=(-H 'content-type: application/json' --data "$data")
    fi
    status=$(curl "${args[@]}" "$base$path") || fail "$method $path: no answer from $base"
    if [ "$status" != "$expected" ]; then
        fail "$method $path answered $status, expected $expected: $(cat "$body")"
    fi
    printf 'ok  %-6s %-55s %s\n' "$method" "$path" "$status"
}

# field PATH: a field of the last JSON answer, by dotted path (data.0.id);
# a final "#" gives the length of a list.
field() {
    python3 - "$body" "$1" <<'EOF'
import json
import sys

value = json.load(open(sys.argv[1]))
for key in filter(None, sys.argv[2].split(".")):
    if key == "#":
        value = len(value)
    elif isinstance(value, list):
        value = value[int(key)]
    else:
        value = value[key]
print(value if isinstance(value, str) else json.dumps(value))
EOF
}

# expect PATH VALUE: the field must have this value (JSON text unless a string).
expect() {
    local actual
    actual=$(field "$1") || fail "the answer has no field $1: $(cat "$body")"
    [ "$actual" = "$2" ] || fail "field $1 is $actual, expected $2"
}

echo "== topic"
call POST /topics 201 "{\"id\": \"$events\"}"
expect id "$events"
call GET "/topics?limit=1000" 200
call GET "/topics/$events" 200
expect id "$events"

echo "== queue"
call POST /queues 201 "{\"id\": \"$all_events\", \"topic_id\": \"$events\",
    \"ack_deadline_seconds\": 30, \"message_retention_seconds\": 1209600}"
expect topic_id "$events"
expect dead_queue_id null

echo "== publish"
event1='{"data": {"event_name": "event1", "success": true},
    "attributes": {"event_name": "event1"}}'
call POST "/topics/$events/messages" 201 "$event1"
expect data.# 1
expect data.0.queue_id "$all_events"
expect data.0.delivery_attempts 0
message=$(field data.0.id)
call GET "/queues/$all_events/stats" 200
expect num_undelivered_messages 1

echo "== consume, nack, consume, ack"
call GET "/queues/$all_events/messages" 200
expect data.0.id "$message"
expect data.0.delivery_attempts 1
call PUT "/messages/$message/nack" 204
call GET "/queues/$all_events/messages" 200
expect data.0.id "$message"
expect data.0.delivery_attempts 2
call PUT "/messages/$message/ack" 204
call GET "/queues/$all_events/messages" 200
expect data.# 0
call PUT "/messages/$message/ack" 404

echo "== filtered queue"
call POST /queues 201 "{\"id\": \"$filtered\", \"topic_id\": \"$events\",
    \"message_filters\": {\"event_name\": [\"event2\"]}}"
expect message_filters.event_name.0 event2
call POST "/topics/$events/messages" 201 "$event1"
expect data.# 1
expect data.0.queue_id "$all_events"
call POST "/topics/$events/messages" 201 '{"data": {"event_name": "event2", "success": true},
    "attributes": {"event_name": "event2"}}'
expect data.# 2

echo "== dead queue"
call POST /queues 201 "{\"id\": \"$dead\"}"
call PUT "/queues/$all_events" 200 "{\"topic_id\": \"$events\",
    \"dead_queue_id\": \"$dead\", \"message_max_deliveries\": 2}"
expect dead_queue_id "$dead"
expect message_max_deliveries 2
for attempt in 1 2; do
    call GET "/queues/$all_events/messages" 200
    expect data.# 2
    expect data.0.delivery_attempts "$attempt"
    first=$(field data.0.id)
    second=$(field data.1.id)
    call PUT "/messages/$first/nack" 204
    call PUT "/messages/$second/nack" 204
done
call GET "/queues/$all_events/stats" 200
expect num_undelivered_messages 0
call GET "/queues/$dead/stats" 200
expect num_undelivered_messages 2

echo "== redrive"
call PUT "/queues/$dead/redrive" 204 "{\"destination_queue_id\": \"$all_events\"}"
call GET "/queues/$all_events/stats" 200
expect num_undelivered_messages 2
call GET "/queues/$dead/stats" 200
expect num_undelivered_messages 0

echo "== delay queue (2 seconds)"
call POST /queues 201 "{\"id\": \"$delayed\", \"topic_id\": \"$events\",
    \"delivery_delay_seconds\": 2}"
call POST "/topics/$events/messages" 201 '{"data": {"event_name": "event3", "success": true},
    "attributes": {"event_name": "event3"}}'
call GET "/queues/$delayed/messages" 200
expect data.# 0
for _ in 1 2 3 4 5 6 7 8 9 10; do
    sleep 1
    call GET "/queues/$delayed/messages" 200
    [ "$(field data.#)" = 0 ] || break
done
expect data.# 1
expect data.0.data.event_name event3

echo "== metrics"
status=$(curl -sS -o "$body" -w '%{http_code}' "$base/metrics") || fail "GET /metrics: no answer"
case $status in
    200) grep -q '^fastqueue_http_requests_total' "$body" \
            || fail "/metrics lacks fastqueue_http_requests_total"
        echo "ok  GET    /metrics 200" ;;
    404) echo "--  GET    /metrics 404 (fastqueue_enable_prometheus_metrics is off)" ;;
    *) fail "GET /metrics answered $status" ;;
esac

echo "== clean up"
for queue in "$delayed" "$filtered" "$all_events" "$dead"; do
    call DELETE "/queues/$queue" 204
done
call DELETE "/topics/$events" 204
call GET "/topics/$events" 404

echo "walkthrough passed"
