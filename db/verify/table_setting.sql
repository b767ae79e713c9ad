-- Verify fastqueue:table_setting on pg

BEGIN;

SELECT name, min_value, max_value, description
FROM fastqueue.setting
WHERE false;

SELECT 1 / count(*) FROM fastqueue.setting WHERE name = 'ack_deadline_seconds';

ROLLBACK;
