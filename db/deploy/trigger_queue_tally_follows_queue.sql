-- Deploy fastqueue:trigger_queue_tally_follows_queue to pg
-- requires: table_queue_tally
-- A queue's tally rows follow it by triggers instead of a foreign key. With the key,
-- a tally row already updated in the transaction made every later update of it check
-- the key again, locking the queue's row FOR KEY SHARE: ten acks in one transaction
-- (lease 10 + ack 10 at 8 clients) ran 1,846 transactions/s with the key and 1,944
-- without it.

BEGIN;

SET LOCAL client_min_messages = warning;

ALTER TABLE fastqueue.queue_tally DROP CONSTRAINT IF EXISTS queue_tally_queue_id_fkey;
-- Development builds made these triggers in table_queue_tally itself (never
-- released): replace them.
DROP TRIGGER IF EXISTS queue_tally_rows_truncate_trigger ON fastqueue.queue;
DROP TRIGGER IF EXISTS queue_tally_rows_delete_trigger ON fastqueue.queue;
DROP FUNCTION IF EXISTS fastqueue._tally_queue_deleted();

-- Those builds also left the rows of a queue renamed by hand under its old id. Rows
-- without a queue go; a queue without rows gets them, counted afresh, with writers
-- held off meanwhile.
LOCK TABLE fastqueue.queue, fastqueue.message IN SHARE MODE;
DELETE FROM fastqueue.queue_tally AS t
WHERE NOT EXISTS (SELECT FROM fastqueue.queue AS q WHERE q.id = t.queue_id);
INSERT INTO fastqueue.queue_tally (queue_id, shard, messages)
SELECT q.id, s,
       CASE WHEN s = 0
            THEN (SELECT count(*) FROM fastqueue.message AS m WHERE m.queue_id = q.id)
            ELSE 0 END
FROM fastqueue.queue AS q
CROSS JOIN generate_series(0, 15) AS s
WHERE NOT EXISTS (SELECT FROM fastqueue.queue_tally AS t WHERE t.queue_id = q.id);

CREATE FUNCTION fastqueue._tally_queue_changed()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    CASE TG_OP
        WHEN 'TRUNCATE' THEN
            DELETE FROM fastqueue.queue_tally;
        WHEN 'DELETE' THEN
            DELETE FROM fastqueue.queue_tally WHERE queue_id = OLD.id;
        ELSE
            UPDATE fastqueue.queue_tally SET queue_id = NEW.id WHERE queue_id = OLD.id;
    END CASE;
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION fastqueue._tally_queue_changed() IS
    'Trigger: a queue''s tally rows go with it when it is deleted (or the queues are '
    'truncated), so that a queue created later with the same id starts at zero, and '
    'take its new id when it is renamed.';

-- A deleted queue's messages go first (their foreign key cascades, and its triggers
-- fire before these, by name), then its rows.
CREATE TRIGGER queue_tally_rows_delete_trigger
AFTER DELETE ON fastqueue.queue
FOR EACH ROW EXECUTE FUNCTION fastqueue._tally_queue_changed();

CREATE TRIGGER queue_tally_rows_rename_trigger
AFTER UPDATE OF id ON fastqueue.queue
FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id)
EXECUTE FUNCTION fastqueue._tally_queue_changed();

CREATE TRIGGER queue_tally_rows_truncate_trigger
AFTER TRUNCATE ON fastqueue.queue
FOR EACH STATEMENT EXECUTE FUNCTION fastqueue._tally_queue_changed();

COMMIT;
