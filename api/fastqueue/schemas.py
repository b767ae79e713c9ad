"""The JSON shapes of the REST API, for validation and for the OpenAPI schema.

Request bodies are checked here so that the docs state every field and bound;
the SQL functions check them again and stay the authority. Responses are built
by PostgreSQL: their structs below only document them.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec
from msgspec import UNSET, Meta, Struct, UnsetType

__all__ = [
    "BatchPublishIn",
    "DeadlineIn",
    "ErrorBody",
    "Health",
    "Message",
    "MessageList",
    "NackBatchIn",
    "NackItem",
    "PublishIn",
    "Queue",
    "QueueIn",
    "QueueList",
    "QueuePatch",
    "QueueStats",
    "QueueUpdate",
    "RedriveIn",
    "SettleBatchIn",
    "SettleItem",
    "SettleResult",
    "Topic",
    "TopicIn",
    "TopicList",
]

# "." and ".." would name a path segment in a URL, not a resource.
ID_PATTERN = r"^(?!\.\.?$)[-a-zA-Z0-9._]+$"
# `$` alone would let a final newline through: ids must match as a whole.
_ID_FULL = re.compile(r"(?!\.\.?$)[-a-zA-Z0-9._]{1,128}")

Id = Annotated[
    str,
    Meta(
        min_length=1,
        max_length=128,
        pattern=ID_PATTERN,
        description="1 to 128 characters of A-Z, a-z, 0-9, '-', '.' and '_', "
        "other than '.' and '..'.",
        examples=["events"],
    ),
]
AckDeadline = Annotated[
    int,
    Meta(ge=1, le=600, description="Seconds a leased message stays hidden."),
]
Retention = Annotated[
    int,
    Meta(ge=600, le=1_209_600, description="Seconds a message is kept."),
]
MaxDeliveries = Annotated[
    int,
    Meta(
        ge=1,
        le=1000,
        description="Deliveries after which a message goes to the dead queue; "
        "given together with dead_queue_id.",
    ),
]
DeliveryDelay = Annotated[
    int,
    Meta(ge=1, le=900, description="Seconds a new message stays hidden."),
]
Filters = Annotated[
    dict[str, Annotated[list[str], Meta(min_length=1)]],
    Meta(
        description="Attribute name to accepted values: a message passes when each "
        "named attribute has one of its values. Null or {} takes everything.",
        examples=[{"event_name": ["created", "deleted"]}],
    ),
]
Attributes = Annotated[
    dict[str, str],
    Meta(description="String attributes that queue filters match on."),
]
Timestamp = Annotated[datetime, Meta(description="RFC 3339, in UTC.")]
MessageDelay = Annotated[
    int,
    Meta(
        ge=0,
        le=900,
        description="0 to 900 seconds this message stays hidden after "
        "publication; overrides the delivery delay of every queue it goes to.",
    ),
]
Receipt = Annotated[
    UUID,
    Meta(description="The receipt of one delivery, as the lease returned it."),
]
RetryMinBackoff = Annotated[
    int,
    Meta(
        ge=0,
        le=600,
        description="0 to 600 seconds. Turns on the retry back-off: a message nacked "
        "after its n-th delivery becomes deliverable again after "
        "min(retry_max_backoff_seconds, retry_min_backoff_seconds * 2^(n - 1)) "
        "seconds instead of at once. Null: no back-off.",
    ),
]
RetryMaxBackoff = Annotated[
    int,
    Meta(
        ge=0,
        le=600,
        description="0 to 600 seconds, at least retry_min_backoff_seconds: the "
        "longest back-off. Needs retry_min_backoff_seconds; null caps the back-off "
        "at 600 seconds.",
    ),
]
NackDelay = Annotated[
    int,
    Meta(
        ge=0,
        le=900,
        description="0 to 900 seconds before the message is deliverable again, "
        "instead of the queue's retry back-off; 0 gives it back at once.",
    ),
]


def _check_ids(*ids: str | UnsetType | None) -> None:
    for value in ids:
        if isinstance(value, str) and not _ID_FULL.fullmatch(value):
            raise ValueError(
                "an id is 1 to 128 characters of A-Z, a-z, 0-9, '-', '.' and '_', "
                "other than '.' and '..'"
            )


# --- requests ----------------------------------------------------------------


class TopicIn(Struct, forbid_unknown_fields=True):
    """A topic to create."""

    id: Id

    def __post_init__(self) -> None:
        _check_ids(self.id)


class PublishIn(Struct, forbid_unknown_fields=True):
    """A message to publish to a topic."""

    data: Annotated[dict[str, Any], Meta(description="The message: a JSON object.")]
    attributes: Attributes | None = None
    delay_seconds: MessageDelay | None = None


class BatchPublishIn(Struct, forbid_unknown_fields=True):
    """Messages to publish to a topic in one statement: all of them or none."""

    messages: Annotated[
        list[PublishIn],
        Meta(
            min_length=1,
            max_length=1000,
            description="1 to 1000 messages, published in order.",
        ),
    ]


class SettleItem(Struct, forbid_unknown_fields=True):
    """A message to ack or nack, and the receipt of its delivery if known."""

    id: UUID
    receipt: Receipt | None = None


class SettleBatchIn(Struct, forbid_unknown_fields=True):
    """Messages to ack at once; each is settled or not on its own."""

    messages: Annotated[
        list[SettleItem],
        Meta(
            min_length=1,
            max_length=1000,
            description="1 to 1000 messages, each named once.",
        ),
    ]


class NackItem(Struct, forbid_unknown_fields=True):
    """A message to nack, the receipt of its delivery if known, and its own delay."""

    id: UUID
    receipt: Receipt | None = None
    delay_seconds: NackDelay | None = None


class NackBatchIn(Struct, forbid_unknown_fields=True):
    """Messages to nack at once; each is settled or not on its own."""

    messages: Annotated[
        list[NackItem],
        Meta(
            min_length=1,
            max_length=1000,
            description="1 to 1000 messages, each named once.",
        ),
    ]


class DeadlineIn(Struct, forbid_unknown_fields=True):
    """A new ack deadline for a leased message."""

    seconds: Annotated[
        int,
        Meta(
            ge=0,
            le=600,
            description="Seconds from now until the message is visible again; "
            "0 gives it back at once, keeping its delivery count.",
        ),
    ]


class QueueUpdate(Struct, forbid_unknown_fields=True, kw_only=True):
    """A whole queue definition: omitted fields take their defaults."""

    topic_id: Id | None = None
    dead_queue_id: Id | None = None
    ack_deadline_seconds: AckDeadline = 30
    message_retention_seconds: Retention = 1_209_600
    message_filters: Filters | None = None
    message_max_deliveries: MaxDeliveries | None = None
    delivery_delay_seconds: DeliveryDelay | None = None
    retry_min_backoff_seconds: RetryMinBackoff | None = None
    retry_max_backoff_seconds: RetryMaxBackoff | None = None

    def __post_init__(self) -> None:
        _check_ids(self.topic_id, self.dead_queue_id)


class QueueIn(Struct, forbid_unknown_fields=True, kw_only=True):
    """A queue to create: omitted fields take their defaults."""

    id: Id
    topic_id: Id | None = None
    dead_queue_id: Id | None = None
    ack_deadline_seconds: AckDeadline = 30
    message_retention_seconds: Retention = 1_209_600
    message_filters: Filters | None = None
    message_max_deliveries: MaxDeliveries | None = None
    delivery_delay_seconds: DeliveryDelay | None = None
    retry_min_backoff_seconds: RetryMinBackoff | None = None
    retry_max_backoff_seconds: RetryMaxBackoff | None = None

    def __post_init__(self) -> None:
        _check_ids(self.id, self.topic_id, self.dead_queue_id)


class QueuePatch(Struct, forbid_unknown_fields=True, omit_defaults=True):
    """Some fields of a queue: those given change (null clears), the rest stay."""

    topic_id: Id | UnsetType | None = UNSET
    dead_queue_id: Id | UnsetType | None = UNSET
    ack_deadline_seconds: AckDeadline | UnsetType = UNSET
    message_retention_seconds: Retention | UnsetType = UNSET
    message_filters: Filters | UnsetType | None = UNSET
    message_max_deliveries: MaxDeliveries | UnsetType | None = UNSET
    delivery_delay_seconds: DeliveryDelay | UnsetType | None = UNSET
    retry_min_backoff_seconds: RetryMinBackoff | UnsetType | None = UNSET
    retry_max_backoff_seconds: RetryMaxBackoff | UnsetType | None = UNSET

    def __post_init__(self) -> None:
        _check_ids(self.topic_id, self.dead_queue_id)


class RedriveIn(Struct, forbid_unknown_fields=True):
    """Where a redrive moves the available messages of a queue, and how many."""

    destination_queue_id: (
        Annotated[
            Id,
            Meta(
                description="Without it, each message goes back to the queue it "
                "was dead-lettered from (if that queue still exists)."
            ),
        ]
        | None
    ) = None
    limit: (
        Annotated[
            int,
            Meta(
                ge=1,
                le=2_147_483_647,
                description="Most messages to move, oldest first; all without it.",
            ),
        ]
        | None
    ) = None

    def __post_init__(self) -> None:
        _check_ids(self.destination_queue_id)


# --- responses ---------------------------------------------------------------


class Topic(Struct):
    id: Id
    created_at: Timestamp


class TopicList(Struct):
    data: list[Topic]


class Queue(Struct):
    id: Id
    topic_id: Id | None
    dead_queue_id: Id | None
    ack_deadline_seconds: AckDeadline
    message_retention_seconds: Retention
    message_filters: Filters | None
    message_max_deliveries: MaxDeliveries | None
    delivery_delay_seconds: DeliveryDelay | None
    created_at: Timestamp
    updated_at: Timestamp
    retry_min_backoff_seconds: RetryMinBackoff | None
    retry_max_backoff_seconds: RetryMaxBackoff | None


class QueueList(Struct):
    data: list[Queue]


class QueueStats(Struct):
    """A queue's messages by kind; expired ones, which cleanup is about to delete,
    count nowhere."""

    num_undelivered_messages: Annotated[
        int,
        Meta(
            ge=0,
            description="Messages available now: not leased, delayed, expired or "
            "waiting for the dead queue.",
        ),
    ]
    oldest_unacked_message_age_seconds: Annotated[
        int,
        Meta(
            ge=0,
            description="Age in whole seconds of the oldest available message, from "
            "its creation; 0 if none.",
        ),
    ]
    num_leased_messages: Annotated[
        int,
        Meta(ge=0, description="Messages leased to a consumer, within their deadline."),
    ]
    num_delayed_messages: Annotated[
        int,
        Meta(
            ge=0,
            description="Messages not leased and not yet visible (a delivery delay).",
        ),
    ]
    num_dead_letter_pending_messages: Annotated[
        int,
        Meta(
            ge=0,
            description="Messages past their max deliveries, not leased, waiting to "
            "move to the dead queue.",
        ),
    ]
    oldest_message_age_seconds: Annotated[
        int,
        Meta(
            ge=0,
            description="Age in whole seconds of the oldest message of any kind "
            "(available, leased, delayed or waiting for the dead queue); 0 if none.",
        ),
    ]


class Message(Struct):
    id: UUID
    queue_id: Id
    data: dict[str, Any]
    attributes: Attributes | None
    delivery_attempts: Annotated[int, Meta(ge=0)]
    expired_at: Annotated[datetime, Meta(description="When retention ends.")]
    scheduled_at: Annotated[
        datetime, Meta(description="When the message is (again) deliverable.")
    ]
    created_at: Timestamp
    updated_at: Timestamp
    receipt: Annotated[
        UUID | None,
        Meta(
            description="Identifies this delivery: only a lease returns it. Ack, "
            "nack and deadline changes that give it are refused once the message "
            "was given back or leased again."
        ),
    ]
    dead_lettered_from: Annotated[
        Id | None,
        Meta(description="The queue this message was last dead-lettered from."),
    ]
    dead_lettered_at: Annotated[
        datetime | None, Meta(description="When it moved to the dead queue.")
    ]


class MessageList(Struct):
    data: list[Message]


class SettleResult(Struct):
    settled: Annotated[
        list[UUID], Meta(description="Acked (deleted) or given back, by id.")
    ]
    unknown: Annotated[list[UUID], Meta(description="No such message, by id.")]
    stale: Annotated[
        list[UUID],
        Meta(description="Left alone: the receipt was not the current one."),
    ]


class ErrorBody(Struct):
    detail: Annotated[str, Meta(description="What went wrong, for a person.")]


class Health(Struct):
    success: bool


# Decimals (exact numbers of a message's data, see fastqueue.body) go out as
# JSON numbers, as they came in, not as strings.
_ENCODER = msgspec.json.Encoder(decimal_format="number")


def encode_json(value: object) -> str:
    """JSON text of `value` (UNSET fields left out), for a jsonb parameter."""
    return _ENCODER.encode(value).decode()
