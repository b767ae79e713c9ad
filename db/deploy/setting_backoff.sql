-- Deploy fastqueue:setting_backoff to pg
-- requires: table_setting
-- Bounds of a queue's retry back-off and of the delay one nack asks for.

BEGIN;

-- Pub/Sub's bounds for the back-off; a nack may delay as long as a publish.
INSERT INTO fastqueue.setting (name, min_value, max_value, description) VALUES
    ('retry_min_backoff_seconds', 0, 600, 'back-off of a message nacked after one delivery'),
    ('retry_max_backoff_seconds', 0, 600, 'longest back-off of a nacked message'),
    ('nack_delay_seconds', 0, 900, 'delay one nack asks for, instead of the back-off');

COMMIT;
