-- Revert fastqueue:setting_backoff from pg

BEGIN;

DELETE FROM fastqueue.setting
WHERE name IN ('retry_min_backoff_seconds', 'retry_max_backoff_seconds', 'nack_delay_seconds');

COMMIT;
