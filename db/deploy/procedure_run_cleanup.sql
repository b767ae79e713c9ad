-- Deploy fastqueue:procedure_run_cleanup to pg
-- requires: function_cleanup
-- requires: function_record_cleanup_run

BEGIN;

-- A procedure, so that each batch commits on its own and no transaction runs long.
-- Transaction control rules out SECURITY DEFINER and SET here; fastqueue.cleanup
-- does the privileged work.
CREATE PROCEDURE fastqueue.run_cleanup(
    p_batch_size integer DEFAULT 1000,
    INOUT expired bigint DEFAULT 0,
    INOUT dead_lettered bigint DEFAULT 0
)
LANGUAGE plpgsql
AS $$
DECLARE
    v_batch fastqueue.cleanup_result;
BEGIN
    -- At most 1000 batches a call: cleanup runs again a minute later anyway.
    FOR i IN 1 .. 1000 LOOP
        v_batch := fastqueue.cleanup(p_batch_size);
        expired := expired + v_batch.expired;
        dead_lettered := dead_lettered + v_batch.dead_lettered;
        COMMIT;
        EXIT WHEN v_batch.expired < p_batch_size AND v_batch.dead_lettered < p_batch_size;
    END LOOP;
    PERFORM fastqueue.record_cleanup_run(expired, dead_lettered);
END;
$$;

COMMENT ON PROCEDURE fastqueue.run_cleanup(integer, bigint, bigint) IS
    'Runs fastqueue.cleanup in batches, committing after each, until a batch finds less '
    'than a full batch of work; returns the totals and records them with '
    'fastqueue.record_cleanup_run. Must be called outside a transaction block (CALL in '
    'autocommit mode, or from pg_cron).';

COMMIT;
