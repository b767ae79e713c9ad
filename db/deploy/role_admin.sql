-- Deploy fastqueue:role_admin to pg
-- requires: table_setting
-- requires: function_create_topic
-- requires: function_get_topic
-- requires: function_list_topics
-- requires: function_delete_topic
-- requires: function_create_queue
-- requires: function_get_queue
-- requires: function_list_queues
-- requires: function_update_queue
-- requires: function_patch_queue
-- requires: function_delete_queue
-- requires: function_purge_queue
-- requires: function_redrive_queue
-- requires: function_cleanup
-- requires: function_record_cleanup_run
-- requires: function_get_metrics
-- requires: procedure_run_cleanup
-- The administrator role: topics, queues, the settings table, purge, redrive
-- and cleanup.

BEGIN;

-- Who creates the role. Roles belong to the cluster, not to one database: the role may
-- exist already (made by set-up, or by this change deployed in another database), so it
-- is created only when missing and never dropped on revert. Creating it needs
-- CREATEROLE, which the deploying role does not get from us on purpose: on PostgreSQL 15
-- a CREATEROLE role may grant itself membership of any role but a superuser,
-- pg_execute_server_program and pg_write_server_files included, which is superuser in
-- all but name. So scripts/setup and docker/initdb-extensions.sql create the roles as
-- superuser before deploying, and here the deploying role only grants them what they
-- may run; it creates a missing role itself only where an administrator chose to give
-- it CREATEROLE, and otherwise stops with a hint.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'fastqueue_admin') THEN
        CREATE ROLE fastqueue_admin NOLOGIN;
        COMMENT ON ROLE fastqueue_admin IS
            'fastqueue: topics, queues, the settings table, purge, redrive and cleanup.';
    END IF;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE EXCEPTION 'role fastqueue_admin does not exist, and % may not create it', current_user
        USING ERRCODE = '42501',
              HINT = 'Create it as a superuser first (scripts/setup does): '
                  'CREATE ROLE fastqueue_admin NOLOGIN';
END;
$$;

-- Exactly the functions of this role, and the schema they live in; no table rights:
-- the functions are SECURITY DEFINER and do the reading and writing. A function that
-- is dropped and created again (rather than replaced) loses this grant: grant it again.
GRANT USAGE ON SCHEMA fastqueue TO fastqueue_admin;
GRANT EXECUTE ON FUNCTION fastqueue.create_topic(text) TO fastqueue_admin;
GRANT EXECUTE ON FUNCTION fastqueue.get_topic(text) TO fastqueue_admin;
GRANT EXECUTE ON FUNCTION fastqueue.list_topics(integer, integer) TO fastqueue_admin;
GRANT EXECUTE ON FUNCTION fastqueue.delete_topic(text) TO fastqueue_admin;
GRANT EXECUTE ON FUNCTION fastqueue.create_queue(
    text, text, text, integer, integer, jsonb, integer, integer
) TO fastqueue_admin;
GRANT EXECUTE ON FUNCTION fastqueue.get_queue(text) TO fastqueue_admin;
GRANT EXECUTE ON FUNCTION fastqueue.list_queues(integer, integer) TO fastqueue_admin;
GRANT EXECUTE ON FUNCTION fastqueue.update_queue(
    text, text, text, integer, integer, jsonb, integer, integer
) TO fastqueue_admin;
GRANT EXECUTE ON FUNCTION fastqueue.patch_queue(text, jsonb) TO fastqueue_admin;
GRANT EXECUTE ON FUNCTION fastqueue.delete_queue(text) TO fastqueue_admin;
GRANT EXECUTE ON FUNCTION fastqueue.purge_queue(text) TO fastqueue_admin;
GRANT EXECUTE ON FUNCTION fastqueue.redrive_queue(text, text, integer) TO fastqueue_admin;
GRANT EXECUTE ON FUNCTION fastqueue.cleanup(integer) TO fastqueue_admin;
GRANT EXECUTE ON FUNCTION fastqueue.record_cleanup_run(bigint, bigint) TO fastqueue_admin;
GRANT EXECUTE ON FUNCTION fastqueue.get_metrics() TO fastqueue_admin;
GRANT EXECUTE ON PROCEDURE fastqueue.run_cleanup(integer, bigint, bigint) TO fastqueue_admin;

-- The one table right of any fastqueue role: the bounds in fastqueue.setting are
-- the administrator's to read and change (the functions check them; the table's
-- CHECK keeps min_value <= max_value). Names and descriptions stay as deployed,
-- and no row is added or removed.
GRANT SELECT, UPDATE (min_value, max_value) ON fastqueue.setting TO fastqueue_admin;

COMMIT;
