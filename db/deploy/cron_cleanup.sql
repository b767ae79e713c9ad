-- Deploy fastqueue:cron_cleanup to pg
-- requires: procedure_run_cleanup
-- Run the cleanup every minute inside the database, where pg_cron is installed.

BEGIN;

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'pg_cron') THEN
        RAISE NOTICE 'pg_cron is not installed in this database; '
            'run "fastqueue worker" to clean up expired and dead-lettered messages';
        RETURN;
    END IF;
    -- Scheduling an existing job name again replaces its schedule and command.
    PERFORM cron.schedule('fastqueue-cleanup', '* * * * *', 'CALL fastqueue.run_cleanup()');
END;
$$;

COMMIT;
