-- Revert fastqueue:cron_purge_job_history from pg

BEGIN;

DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'pg_cron') THEN
        IF EXISTS (SELECT FROM cron.job WHERE jobname = 'fastqueue-purge-job-history') THEN
            PERFORM cron.unschedule('fastqueue-purge-job-history');
        END IF;
    END IF;
END;
$$;

COMMIT;
