-- Deploy fastqueue:function_record_cleanup_run to pg
-- requires: table_cleanup_status

BEGIN;

CREATE FUNCTION fastqueue.record_cleanup_run(p_expired bigint, p_dead_lettered bigint)
RETURNS void
LANGUAGE sql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, fastqueue, pg_temp
AS $$
    INSERT INTO fastqueue.cleanup_status AS s (finished_at, expired, dead_lettered)
    VALUES (clock_timestamp(), p_expired, p_dead_lettered)
    ON CONFLICT (id) DO UPDATE
    SET finished_at = excluded.finished_at,
        expired = excluded.expired,
        dead_lettered = excluded.dead_lettered;
$$;

COMMENT ON FUNCTION fastqueue.record_cleanup_run(bigint, bigint) IS
    'Records that a cleanup run finished now, having expired and dead-lettered the given '
    'numbers of messages. Called by fastqueue.run_cleanup.';

COMMIT;
