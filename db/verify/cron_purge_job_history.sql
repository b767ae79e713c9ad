-- Verify fastqueue:cron_purge_job_history on pg

BEGIN;

DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'pg_cron') THEN
        IF NOT EXISTS (
            SELECT FROM cron.job
            WHERE jobname = 'fastqueue-purge-job-history' AND schedule = '17 3 * * *'
        ) THEN
            RAISE EXCEPTION 'the fastqueue-purge-job-history job is not scheduled';
        END IF;
    END IF;
END;
$$;

ROLLBACK;
