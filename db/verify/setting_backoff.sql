-- Verify fastqueue:setting_backoff on pg

BEGIN;

SELECT 1 / (count(*) / 3)::integer
FROM fastqueue.setting
WHERE name IN ('retry_min_backoff_seconds', 'retry_max_backoff_seconds', 'nack_delay_seconds');

ROLLBACK;
