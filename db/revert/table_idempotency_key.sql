-- Revert fastqueue:table_idempotency_key from pg

BEGIN;

DROP TABLE fastqueue.idempotency_key;

COMMIT;
