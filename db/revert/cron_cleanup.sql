-- Revert fastqueue:cron_cleanup from pg

BEGIN;

DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'pg_cron') THEN
        IF EXISTS (SELECT FROM cron.job WHERE jobname = 'fastqueue-cleanup') THEN
            PERFORM cron.unschedule('fastqueue-cleanup');
        END IF;
    END IF;
END;
$$;

COMMIT;
