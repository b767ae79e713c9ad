-- Revert fastqueue:schema_fastqueue from pg

BEGIN;

ALTER DEFAULT PRIVILEGES GRANT EXECUTE ON ROUTINES TO PUBLIC;
DROP SCHEMA fastqueue;

COMMIT;
