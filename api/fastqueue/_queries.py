"""Every SQL statement the Python code runs, by name.

Each HTTP handler runs exactly one of these. Queries that answer an HTTP request
have PostgreSQL build the JSON body, so Python passes the text through untouched;
lists are joined with string_agg to keep that text compact (json_agg puts a
newline between items). The session time zone is UTC, so timestamps come out as
RFC 3339 in UTC.
"""

from __future__ import annotations

from typing import Final, LiteralString

# --- start-up ----------------------------------------------------------------

# The routines the app and the worker call. Start-up refuses to go on unless the
# deployed schema has every one of them.
REQUIRED_ROUTINES: Final[tuple[LiteralString, ...]] = (
    "fastqueue.create_topic(text)",
    "fastqueue.get_topic(text)",
    "fastqueue.list_topics(integer, integer)",
    "fastqueue.delete_topic(text)",
    "fastqueue.publish(text, jsonb, jsonb, integer, text, integer)",
    "fastqueue.publish_batch(text, jsonb, text, integer)",
    "fastqueue.create_queue("
    "text, text, text, integer, integer, jsonb, integer, integer, integer, integer)",
    "fastqueue.get_queue(text)",
    "fastqueue.list_queues(integer, integer)",
    "fastqueue.update_queue("
    "text, text, text, integer, integer, jsonb, integer, integer, integer, integer)",
    "fastqueue.patch_queue(text, jsonb)",
    "fastqueue.delete_queue(text)",
    "fastqueue.get_queue_stats(text)",
    "fastqueue.purge_queue(text)",
    "fastqueue.redrive_queue(text, text, integer)",
    "fastqueue.lease(text, integer)",
    "fastqueue.lease_wait(text, integer, integer)",
    "fastqueue.forget_stale_waiters()",
    "fastqueue.ack(uuid, uuid)",
    "fastqueue.nack(uuid, uuid, integer)",
    "fastqueue.set_deadline(uuid, integer, uuid)",
    "fastqueue.ack_batch(jsonb)",
    "fastqueue.nack_batch(jsonb)",
    "fastqueue.peek(text, integer)",
    "fastqueue.get_message(uuid)",
    # A procedure: its INOUT parameters belong to its signature.
    "fastqueue.run_cleanup(integer, bigint, bigint)",
    "fastqueue.get_metrics()",
)

MISSING_ROUTINES: Final[LiteralString] = """
    SELECT coalesce(array_agg(r.signature ORDER BY r.signature), '{}')
    FROM unnest(%(signatures)s::text[]) AS r (signature)
    WHERE to_regprocedure(r.signature) IS NULL
"""

HEALTH: Final[LiteralString] = "SELECT true"

# --- topics ------------------------------------------------------------------

CREATE_TOPIC: Final[LiteralString] = """
    SELECT to_json(t)::text FROM fastqueue.create_topic(%(topic_id)s) AS t
"""

GET_TOPIC: Final[LiteralString] = """
    SELECT to_json(t)::text FROM fastqueue.get_topic(%(topic_id)s) AS t
"""

LIST_TOPICS: Final[LiteralString] = """
    SELECT '{"data":['
        || coalesce(string_agg(to_json(t)::text, ',' ORDER BY t.id), '')
        || ']}'
    FROM fastqueue.list_topics(%(offset)s::integer, %(limit)s::integer) AS t
"""

DELETE_TOPIC: Final[LiteralString] = "SELECT fastqueue.delete_topic(%(topic_id)s)"

PUBLISH: Final[LiteralString] = """
    SELECT '{"data":[' || coalesce(string_agg(to_json(m)::text, ','), '') || ']}'
    FROM fastqueue.publish(
        p_topic_id => %(topic_id)s,
        p_data => %(data)s::jsonb,
        p_attributes => %(attributes)s::jsonb,
        p_delay_seconds => %(delay_seconds)s::integer,
        p_idempotency_key => %(idempotency_key)s::text,
        p_idempotency_window_seconds => %(idempotency_window_seconds)s::integer
    ) AS m
"""

# The copies come out in the order of the messages given (and of the queues' ids
# within one message).
PUBLISH_BATCH: Final[LiteralString] = """
    SELECT '{"data":[' || coalesce(string_agg(to_json(m)::text, ','), '') || ']}'
    FROM fastqueue.publish_batch(
        p_topic_id => %(topic_id)s,
        p_messages => %(messages)s::jsonb,
        p_idempotency_key => %(idempotency_key)s::text,
        p_idempotency_window_seconds => %(idempotency_window_seconds)s::integer
    ) AS m
"""

# --- queues ------------------------------------------------------------------

CREATE_QUEUE: Final[LiteralString] = """
    SELECT to_json(q)::text
    FROM fastqueue.create_queue(
        p_queue_id => %(queue_id)s,
        p_topic_id => %(topic_id)s,
        p_dead_queue_id => %(dead_queue_id)s,
        p_ack_deadline_seconds => %(ack_deadline_seconds)s::integer,
        p_message_retention_seconds => %(message_retention_seconds)s::integer,
        p_message_filters => %(message_filters)s::jsonb,
        p_message_max_deliveries => %(message_max_deliveries)s::integer,
        p_delivery_delay_seconds => %(delivery_delay_seconds)s::integer,
        p_retry_min_backoff_seconds => %(retry_min_backoff_seconds)s::integer,
        p_retry_max_backoff_seconds => %(retry_max_backoff_seconds)s::integer
    ) AS q
"""

GET_QUEUE: Final[LiteralString] = """
    SELECT to_json(q)::text FROM fastqueue.get_queue(%(queue_id)s) AS q
"""

LIST_QUEUES: Final[LiteralString] = """
    SELECT '{"data":['
        || coalesce(string_agg(to_json(q)::text, ',' ORDER BY q.id), '')
        || ']}'
    FROM fastqueue.list_queues(%(offset)s::integer, %(limit)s::integer) AS q
"""

UPDATE_QUEUE: Final[LiteralString] = """
    SELECT to_json(q)::text
    FROM fastqueue.update_queue(
        p_queue_id => %(queue_id)s,
        p_topic_id => %(topic_id)s,
        p_dead_queue_id => %(dead_queue_id)s,
        p_ack_deadline_seconds => %(ack_deadline_seconds)s::integer,
        p_message_retention_seconds => %(message_retention_seconds)s::integer,
        p_message_filters => %(message_filters)s::jsonb,
        p_message_max_deliveries => %(message_max_deliveries)s::integer,
        p_delivery_delay_seconds => %(delivery_delay_seconds)s::integer,
        p_retry_min_backoff_seconds => %(retry_min_backoff_seconds)s::integer,
        p_retry_max_backoff_seconds => %(retry_max_backoff_seconds)s::integer
    ) AS q
"""

PATCH_QUEUE: Final[LiteralString] = """
    SELECT to_json(q)::text
    FROM fastqueue.patch_queue(%(queue_id)s, %(changes)s::jsonb) AS q
"""

DELETE_QUEUE: Final[LiteralString] = "SELECT fastqueue.delete_queue(%(queue_id)s)"

GET_QUEUE_STATS: Final[LiteralString] = """
    SELECT to_json(s)::text FROM fastqueue.get_queue_stats(%(queue_id)s) AS s
"""

PURGE_QUEUE: Final[LiteralString] = "SELECT fastqueue.purge_queue(%(queue_id)s)"

REDRIVE_QUEUE: Final[LiteralString] = """
    SELECT fastqueue.redrive_queue(
        %(queue_id)s, %(destination_queue_id)s::text, %(limit)s::integer
    )
"""

# --- messages ----------------------------------------------------------------

LEASE: Final[LiteralString] = """
    SELECT '{"data":[' || coalesce(string_agg(to_json(m)::text, ','), '') || ']}'
    FROM fastqueue.lease(%(queue_id)s, %(limit)s::integer) AS m
"""

# One attempt of a long poll (see fastqueue.waiting): the JSON body, how many
# messages it holds, whether the listener is armed, and the seconds until the
# queue's next hidden message shows (NULL if none), by the database's clock.
LEASE_WAIT: Final[LiteralString] = """
    SELECT '{"data":['
            || coalesce(
                string_agg(to_json(r.message)::text, ',')
                    FILTER (WHERE (r.message).id IS NOT NULL),
                '')
            || ']}',
        count((r.message).id),
        coalesce(bool_or(r.armed), false),
        extract(epoch FROM min(r.next_visible_at) - clock_timestamp())::float8
    FROM fastqueue.lease_wait(
        %(queue_id)s, %(limit)s::integer, %(listener_pid)s::integer
    ) AS r
"""

# The long-poll listener's connection: the channel fastqueue.lease_wait arms.
LISTEN_WAKE: Final[LiteralString] = "LISTEN fastqueue_wake"

FORGET_STALE_WAITERS: Final[LiteralString] = "SELECT fastqueue.forget_stale_waiters()"

ACK: Final[LiteralString] = "SELECT fastqueue.ack(%(message_id)s, %(receipt)s::uuid)"

NACK: Final[LiteralString] = """
    SELECT fastqueue.nack(
        %(message_id)s, %(receipt)s::uuid, %(delay_seconds)s::integer
    )
"""

SET_DEADLINE: Final[LiteralString] = """
    SELECT to_json(m)::text
    FROM fastqueue.set_deadline(
        %(message_id)s, %(seconds)s::integer, %(receipt)s::uuid
    ) AS m
"""

ACK_BATCH: Final[LiteralString] = """
    SELECT to_json(r)::text FROM fastqueue.ack_batch(%(messages)s::jsonb) AS r
"""

NACK_BATCH: Final[LiteralString] = """
    SELECT to_json(r)::text FROM fastqueue.nack_batch(%(messages)s::jsonb) AS r
"""

GET_MESSAGE: Final[LiteralString] = """
    SELECT to_json(m)::text FROM fastqueue.get_message(%(message_id)s) AS m
"""

PEEK: Final[LiteralString] = """
    SELECT '{"data":[' || coalesce(string_agg(to_json(m)::text, ','), '') || ']}'
    FROM fastqueue.peek(%(queue_id)s, %(limit)s::integer) AS m
"""

# --- upkeep and metrics ------------------------------------------------------

# Commits after each batch, so it must run outside a transaction block (autocommit);
# answers one row with the totals: expired, dead_lettered.
RUN_CLEANUP: Final[LiteralString] = "CALL fastqueue.run_cleanup()"

# Scoped to the transaction that runs GET_METRICS, so a slow scrape cannot hold
# a pooled connection for long.
SET_LOCAL_STATEMENT_TIMEOUT: Final[LiteralString] = """
    SELECT set_config('statement_timeout', %(milliseconds)s, true)
"""

# One JSON document: {"queues": [per-queue gauges], "cleanup": last run or null}.
GET_METRICS: Final[LiteralString] = "SELECT fastqueue.get_metrics()::text"
