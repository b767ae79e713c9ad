-- Deploy fastqueue:table_cleanup_status to pg
-- requires: schema_fastqueue
-- What the last complete cleanup run did, for monitoring.

BEGIN;

CREATE TABLE fastqueue.cleanup_status (
    -- One row at most.
    id boolean PRIMARY KEY DEFAULT true,
    finished_at timestamptz NOT NULL,
    expired bigint NOT NULL,
    dead_lettered bigint NOT NULL,
    CONSTRAINT cleanup_status_single_row_check CHECK (id)
);

COMMENT ON TABLE fastqueue.cleanup_status IS
    'The last complete run of fastqueue.run_cleanup: when it finished and what it did.';

COMMIT;
