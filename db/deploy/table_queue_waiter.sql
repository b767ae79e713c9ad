-- Deploy fastqueue:table_queue_waiter to pg
-- requires: table_queue
-- Long polling: which queues have consumers waiting, per listening backend.

BEGIN;

-- One row per queue and per listening connection (an API process LISTENs on one
-- connection for all of its waiting requests). Publishers read this table to decide
-- whether to NOTIFY: only for armed rows, and they disarm what they notify, so a
-- burst of publishes costs one notification until a waiter arms the row again.
CREATE TABLE fastqueue.queue_waiter (
    queue_id text NOT NULL REFERENCES fastqueue.queue (id) ON DELETE CASCADE,
    -- pg_backend_pid() of the connection that LISTENs for this queue's wake-ups.
    listener_pid integer NOT NULL,
    armed boolean NOT NULL,
    armed_at timestamptz NOT NULL,
    CONSTRAINT queue_waiter_pkey PRIMARY KEY (queue_id, listener_pid)
);

COMMENT ON TABLE fastqueue.queue_waiter IS
    'Long-polling waiters: a listener (backend pid) to notify on channel fastqueue_wake '
    'when its queue gets a message while armed is true.';

COMMIT;
