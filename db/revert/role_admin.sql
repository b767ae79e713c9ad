-- Revert fastqueue:role_admin from pg
-- The role stays (other databases of the cluster may use it): take back what the
-- deploy granted.

BEGIN;

REVOKE SELECT, UPDATE (min_value, max_value) ON fastqueue.setting FROM fastqueue_admin;
REVOKE EXECUTE ON FUNCTION fastqueue.create_topic(text) FROM fastqueue_admin;
REVOKE EXECUTE ON FUNCTION fastqueue.get_topic(text) FROM fastqueue_admin;
REVOKE EXECUTE ON FUNCTION fastqueue.list_topics(integer, integer) FROM fastqueue_admin;
REVOKE EXECUTE ON FUNCTION fastqueue.delete_topic(text) FROM fastqueue_admin;
REVOKE EXECUTE ON FUNCTION fastqueue.create_queue(
    text, text, text, integer, integer, jsonb, integer, integer
) FROM fastqueue_admin;
REVOKE EXECUTE ON FUNCTION fastqueue.get_queue(text) FROM fastqueue_admin;
REVOKE EXECUTE ON FUNCTION fastqueue.list_queues(integer, integer) FROM fastqueue_admin;
REVOKE EXECUTE ON FUNCTION fastqueue.update_queue(
    text, text, text, integer, integer, jsonb, integer, integer
) FROM fastqueue_admin;
REVOKE EXECUTE ON FUNCTION fastqueue.patch_queue(text, jsonb) FROM fastqueue_admin;
REVOKE EXECUTE ON FUNCTION fastqueue.delete_queue(text) FROM fastqueue_admin;
REVOKE EXECUTE ON FUNCTION fastqueue.purge_queue(text) FROM fastqueue_admin;
REVOKE EXECUTE ON FUNCTION fastqueue.redrive_queue(text, text, integer) FROM fastqueue_admin;
REVOKE EXECUTE ON FUNCTION fastqueue.cleanup(integer) FROM fastqueue_admin;
REVOKE EXECUTE ON FUNCTION fastqueue.record_cleanup_run(bigint, bigint) FROM fastqueue_admin;
REVOKE EXECUTE ON FUNCTION fastqueue.get_metrics() FROM fastqueue_admin;
REVOKE EXECUTE ON PROCEDURE fastqueue.run_cleanup(integer, bigint, bigint) FROM fastqueue_admin;
REVOKE USAGE ON SCHEMA fastqueue FROM fastqueue_admin;

COMMIT;
