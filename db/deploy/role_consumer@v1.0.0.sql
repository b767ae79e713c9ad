-- Deploy fastqueue:role_consumer to pg
-- requires: function_lease
-- requires: function_ack
-- requires: function_nack
-- requires: function_get_queue_stats
-- requires: function_ack_batch
-- requires: function_nack_batch
-- requires: function_set_deadline
-- requires: function_peek
-- requires: function_get_message
-- The consumer role: lease, ack and nack messages, and read queue stats.

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
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'fastqueue_consumer') THEN
        CREATE ROLE fastqueue_consumer NOLOGIN;
        COMMENT ON ROLE fastqueue_consumer IS
            'fastqueue: lease, ack and nack messages, and read queue stats.';
    END IF;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE EXCEPTION 'role fastqueue_consumer does not exist, and % may not create it', current_user
        USING ERRCODE = '42501',
              HINT = 'Create it as a superuser first (scripts/setup does): '
                  'CREATE ROLE fastqueue_consumer NOLOGIN';
END;
$$;

-- Exactly the functions of this role, and the schema they live in; no table rights:
-- the functions are SECURITY DEFINER and do the reading and writing. A function that
-- is dropped and created again (rather than replaced) loses this grant: grant it again.
GRANT USAGE ON SCHEMA fastqueue TO fastqueue_consumer;
GRANT EXECUTE ON FUNCTION fastqueue.lease(text, integer) TO fastqueue_consumer;
GRANT EXECUTE ON FUNCTION fastqueue.ack(uuid, uuid) TO fastqueue_consumer;
GRANT EXECUTE ON FUNCTION fastqueue.nack(uuid, uuid) TO fastqueue_consumer;
GRANT EXECUTE ON FUNCTION fastqueue.get_queue_stats(text) TO fastqueue_consumer;
GRANT EXECUTE ON FUNCTION fastqueue.ack_batch(jsonb) TO fastqueue_consumer;
GRANT EXECUTE ON FUNCTION fastqueue.nack_batch(jsonb) TO fastqueue_consumer;
GRANT EXECUTE ON FUNCTION fastqueue.set_deadline(uuid, integer, uuid) TO fastqueue_consumer;
-- Reading a message without leasing it: a consumer sees message contents anyway.
GRANT EXECUTE ON FUNCTION fastqueue.peek(text, integer) TO fastqueue_consumer;
GRANT EXECUTE ON FUNCTION fastqueue.get_message(uuid) TO fastqueue_consumer;

COMMIT;
