-- Revert fastqueue:role_consumer from pg
-- Back to the released grants: no long polling.

BEGIN;

REVOKE EXECUTE ON FUNCTION fastqueue.lease_wait(text, integer, integer) FROM fastqueue_consumer;
REVOKE EXECUTE ON FUNCTION fastqueue.forget_stale_waiters() FROM fastqueue_consumer;

COMMIT;
