-- Run once by the postgres image on a new data volume, as superuser, in the
-- database named by POSTGRES_DB (fastqueue): what scripts/setup does locally.
CREATE EXTENSION IF NOT EXISTS pg_cron;
CREATE EXTENSION IF NOT EXISTS pgtap;
GRANT USAGE ON SCHEMA cron TO fastqueue;

-- The roles of SQL callers (the Sqitch changes role_* grant them their functions) and
-- the API's login role, a member of the three. Made here as superuser so that the
-- deploying role needs no CREATEROLE (see db/deploy/role_admin.sql).
CREATE ROLE fastqueue_admin NOLOGIN;
CREATE ROLE fastqueue_publisher NOLOGIN;
CREATE ROLE fastqueue_consumer NOLOGIN;
CREATE ROLE fastqueue_api LOGIN PASSWORD 'fastqueue'
    IN ROLE fastqueue_admin, fastqueue_publisher, fastqueue_consumer;
