-- Deploy fastqueue:type_message_info to pg
-- requires: schema_fastqueue
-- What the message functions return: a message as its consumers see it.

BEGIN;

CREATE TYPE fastqueue.message_info AS (
    id uuid,
    queue_id text,
    data jsonb,
    attributes jsonb,
    delivery_attempts integer,
    expired_at timestamptz,
    scheduled_at timestamptz,
    created_at timestamptz,
    updated_at timestamptz,
    receipt uuid,
    dead_lettered_from text,
    dead_lettered_at timestamptz
);

COMMENT ON TYPE fastqueue.message_info IS
    'A message of one queue; scheduled_at is when it is visible (again) to consumers; '
    'receipt identifies the current delivery (only a lease returns it).';

COMMIT;
