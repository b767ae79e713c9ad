-- Run once by the postgres image on a new data volume, as superuser, in the
-- database named by POSTGRES_DB (fastqueue): what scripts/setup does locally.
CREATE EXTENSION IF NOT EXISTS pg_cron;
CREATE EXTENSION IF NOT EXISTS pgtap;
GRANT USAGE ON SCHEMA cron TO fastqueue;
