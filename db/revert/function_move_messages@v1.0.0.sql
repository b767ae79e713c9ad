-- Revert fastqueue:function_move_messages from pg

BEGIN;

DROP FUNCTION fastqueue._move_messages(uuid[], text, timestamptz, text);

COMMIT;
