-- Deploy fastqueue:type_cleanup_result to pg
-- requires: schema_fastqueue

BEGIN;

CREATE TYPE fastqueue.cleanup_result AS (
    expired bigint,
    dead_lettered bigint
);

COMMENT ON TYPE fastqueue.cleanup_result IS
    'Messages deleted because their retention ended, and messages moved to a dead queue.';

COMMIT;
