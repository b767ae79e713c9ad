-- Verify fastqueue:type_message_info on pg

BEGIN;

SELECT 'fastqueue.message_info'::regtype;

ROLLBACK;
