-- Deploy fastqueue:type_lease_wait_row to pg
-- requires: type_message_info
-- What fastqueue.lease_wait returns: leased messages, or how to wait for one.

BEGIN;

CREATE TYPE fastqueue.lease_wait_row AS (
    -- A leased message; NULL in the one row that says nothing was leased.
    message fastqueue.message_info,
    -- True when the caller's listener is armed for this queue and nothing was leased
    -- after arming: a publish from now on notifies it.
    armed boolean,
    -- When the next message of the queue that is not visible yet becomes visible
    -- (a delay or a lease ending), or NULL if none.
    next_visible_at timestamptz
);

COMMENT ON TYPE fastqueue.lease_wait_row IS
    'A row of fastqueue.lease_wait: a leased message, or (message NULL) whether the '
    'listener is armed and when the queue''s next message becomes visible.';

COMMIT;
