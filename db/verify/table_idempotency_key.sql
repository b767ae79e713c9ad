-- Verify fastqueue:table_idempotency_key on pg

BEGIN;

SELECT topic_id, key, created_at, expired_at, messages
FROM fastqueue.idempotency_key
WHERE false;

ROLLBACK;
