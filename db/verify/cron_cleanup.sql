-- Verify fastqueue:cron_cleanup on pg

BEGIN;

DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'pg_cron') THEN
        IF NOT EXISTS (
            SELECT FROM cron.job
            WHERE jobname = 'fastqueue-cleanup'
              AND schedule = '* * * * *'
              AND command = 'CALL fastqueue.run_cleanup()'
        ) THEN
            RAISE EXCEPTION 'the fastqueue-cleanup job is not scheduled';
        END IF;
    END IF;
END;
$$;

ROLLBACK;
