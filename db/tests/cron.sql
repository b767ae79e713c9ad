-- pgTAP: pg_cron runs fastqueue's cleanup every minute in this database, and purges its
-- own run records daily. pg_cron shows a role only the jobs it scheduled, so this file
-- runs as the role that deployed fastqueue.

BEGIN;

SELECT plan(7);

-- The extension is there to run the jobs.
SELECT has_extension('pg_cron', 'pg_cron is installed in this database');

-- Cleanup: every minute, the procedure that commits batch by batch. (current_database()
-- is a name, collated "C": it is compared as text in the collation of cron.job's columns.)
SELECT is(
    (SELECT count(*) FROM cron.job WHERE jobname = 'fastqueue-cleanup'),
    1::bigint,
    'there is one cleanup job'
);
SELECT results_eq(
    $$
    SELECT schedule, command, database, active
    FROM cron.job WHERE jobname = 'fastqueue-cleanup'
    $$,
    $$
    VALUES ('* * * * *', 'CALL fastqueue.run_cleanup()',
            current_database()::text COLLATE "default", true)
    $$,
    'the cleanup job calls fastqueue.run_cleanup() in this database every minute'
);
SELECT is(
    (SELECT nodeport FROM cron.job WHERE jobname = 'fastqueue-cleanup'),
    current_setting('port')::integer,
    'the cleanup job connects to this server'
);

-- Job history: once a day, records older than a week go.
SELECT is(
    (SELECT count(*) FROM cron.job WHERE jobname = 'fastqueue-purge-job-history'),
    1::bigint,
    'there is one job-history purge job'
);
SELECT results_eq(
    $$
    SELECT schedule, command, database, active
    FROM cron.job WHERE jobname = 'fastqueue-purge-job-history'
    $$,
    $$
    VALUES ('17 3 * * *',
            'DELETE FROM cron.job_run_details WHERE end_time < now() - interval ''7 days''',
            current_database()::text COLLATE "default", true)
    $$,
    'the purge job deletes run records older than 7 days, daily at 03:17'
);
SELECT lives_ok(
    (SELECT command FROM cron.job WHERE jobname = 'fastqueue-purge-job-history'),
    'the purge job''s command runs as the role that scheduled it'
);

SELECT * FROM finish();
ROLLBACK;
