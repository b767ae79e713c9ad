-- Deploy fastqueue:role_consumer to pg
-- requires: role_consumer@v1.0.0
-- requires: function_lease_wait
-- requires: function_forget_stale_waiters
-- Reworked: the consumer role may also long-poll. The released version created the
-- role and granted the rest (see role_consumer@v1.0.0.sql).

BEGIN;

GRANT EXECUTE ON FUNCTION fastqueue.lease_wait(text, integer, integer) TO fastqueue_consumer;
-- A long-polling client forgets the waiters of its own crashed listeners.
GRANT EXECUTE ON FUNCTION fastqueue.forget_stale_waiters() TO fastqueue_consumer;

COMMIT;
