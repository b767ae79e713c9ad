-- Revert fastqueue:function_nack_one from pg

BEGIN;

DROP FUNCTION fastqueue._nack_one(uuid, uuid, timestamptz);

COMMIT;
