-- Revert fastqueue:function_patch_queue from pg

BEGIN;

DROP FUNCTION fastqueue.patch_queue(text, jsonb);

COMMIT;
