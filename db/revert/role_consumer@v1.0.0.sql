-- Revert fastqueue:role_consumer from pg
-- The role stays (other databases of the cluster may use it): take back what the
-- deploy granted.

BEGIN;

REVOKE EXECUTE ON FUNCTION fastqueue.lease(text, integer) FROM fastqueue_consumer;
REVOKE EXECUTE ON FUNCTION fastqueue.ack(uuid, uuid) FROM fastqueue_consumer;
REVOKE EXECUTE ON FUNCTION fastqueue.nack(uuid, uuid) FROM fastqueue_consumer;
REVOKE EXECUTE ON FUNCTION fastqueue.get_queue_stats(text) FROM fastqueue_consumer;
REVOKE EXECUTE ON FUNCTION fastqueue.ack_batch(jsonb) FROM fastqueue_consumer;
REVOKE EXECUTE ON FUNCTION fastqueue.nack_batch(jsonb) FROM fastqueue_consumer;
REVOKE EXECUTE ON FUNCTION fastqueue.set_deadline(uuid, integer, uuid) FROM fastqueue_consumer;
REVOKE EXECUTE ON FUNCTION fastqueue.peek(text, integer) FROM fastqueue_consumer;
REVOKE EXECUTE ON FUNCTION fastqueue.get_message(uuid) FROM fastqueue_consumer;
REVOKE USAGE ON SCHEMA fastqueue FROM fastqueue_consumer;

COMMIT;
