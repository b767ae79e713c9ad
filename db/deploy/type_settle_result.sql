-- Deploy fastqueue:type_settle_result to pg
-- requires: schema_fastqueue

BEGIN;

CREATE TYPE fastqueue.settle_result AS (
    settled uuid[],
    unknown uuid[],
    stale uuid[]
);

COMMENT ON TYPE fastqueue.settle_result IS
    'What a batch ack or nack did with each id: settled it, found no such message, or '
    'refused it because its receipt belongs to an earlier delivery.';

COMMIT;
