-- Deploy fastqueue:cron_purge_job_history to pg
-- requires: cron_cleanup
-- pg_cron records every run; keep a week of fastqueue's runs, not all of them.

BEGIN;

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'pg_cron') THEN
        RAISE NOTICE 'pg_cron is not installed in this database; no job history to purge';
        RETURN;
    END IF;
    -- Row-level security on cron.job_run_details limits this to the jobs of the
    -- role that scheduled it: fastqueue's own.
    PERFORM cron.schedule(
        'fastqueue-purge-job-history',
        '17 3 * * *',
        $job$DELETE FROM cron.job_run_details WHERE end_time < now() - interval '7 days'$job$);
END;
$$;

COMMIT;
