-- Revert fastqueue:procedure_run_cleanup from pg

BEGIN;

DROP PROCEDURE fastqueue.run_cleanup(integer, bigint, bigint);

COMMIT;
