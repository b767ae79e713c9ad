-- Revert fastqueue:role_publisher from pg
-- The role stays (other databases of the cluster may use it): take back what the
-- deploy granted.

BEGIN;

REVOKE EXECUTE ON FUNCTION fastqueue.publish(
    text, jsonb, jsonb, integer, text, integer
) FROM fastqueue_publisher;
REVOKE EXECUTE ON FUNCTION fastqueue.publish_batch(text, jsonb, text, integer)
    FROM fastqueue_publisher;
REVOKE USAGE ON SCHEMA fastqueue FROM fastqueue_publisher;

COMMIT;
