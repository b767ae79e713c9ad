-- Deploy fastqueue:table_queue_tally to pg
-- requires: table_queue
-- requires: table_message
-- How many messages each queue holds, kept in shards, so that stats read a total
-- instead of counting a backlog. The queue functions add their own deltas; triggers
-- count every other write.

BEGIN;

-- Writers wait while the tallies are filled in, so that no message is counted twice
-- or missed.
LOCK TABLE fastqueue.queue, fastqueue.message IN SHARE MODE;

-- ---- the table ------------------------------------------------------------------
-- Each queue has 16 rows, one per shard; a session adds its deltas to the shard of
-- its backend, so concurrent publishers and consumers rarely wait for one another's
-- row lock. A shard alone may go negative (a message published by one session and
-- acked by another); their sum is the number of messages in the queue, expired ones
-- included. The rows are tiny and rewritten at every write: a low fillfactor keeps
-- the new versions on their page (HOT updates, no index entry).
CREATE TABLE fastqueue.queue_tally (
    queue_id text NOT NULL REFERENCES fastqueue.queue (id) ON DELETE CASCADE,
    shard smallint NOT NULL,
    messages bigint NOT NULL DEFAULT 0,
    CONSTRAINT queue_tally_pkey PRIMARY KEY (queue_id, shard),
    CONSTRAINT queue_tally_shard_range_check CHECK (shard BETWEEN 0 AND 15)
) WITH (fillfactor = 10);

COMMENT ON TABLE fastqueue.queue_tally IS
    'Messages of each queue, in 16 shards whose sum is the total. The functions that '
    'insert, delete or move messages add their deltas themselves and run with '
    'fastqueue.tally_by_caller = on; triggers on fastqueue.message count every other '
    'insert and delete, and truncation.';

-- ---- a queue's rows, made with the queue -----------------------------------------
-- The deltas are plain updates of existing rows: cheaper than an upsert, and a
-- delete cascading from a queue being deleted finds nothing to update.
CREATE FUNCTION fastqueue._tally_new_queue()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    INSERT INTO fastqueue.queue_tally (queue_id, shard)
    SELECT NEW.id, s FROM generate_series(0, 15) AS s;
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION fastqueue._tally_new_queue() IS
    'Trigger: gives a new queue its 16 tally rows, at zero.';

CREATE TRIGGER queue_tally_rows_trigger
AFTER INSERT ON fastqueue.queue
FOR EACH ROW EXECUTE FUNCTION fastqueue._tally_new_queue();

-- ---- deltas of inserts and deletes -----------------------------------------------
-- The queue functions (publish, acks, purge, cleanup, moves) update their queues'
-- rows in the statement that writes the messages, and run with the setting
-- fastqueue.tally_by_caller = on, which these triggers skip. A statement trigger
-- with a transition table cost a publish about 50 microseconds of CPU, a quarter of
-- its work; the skipped trigger costs almost nothing. Any other write, such as a
-- test's or an operator's own INSERT or DELETE, is still counted here, by one
-- update per statement.
CREATE FUNCTION fastqueue._tally_changed()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    -- Most statements touch one queue, so one row. A fan-out locks a row per queue in
    -- the order of the plan, which two statements of one shard share unless their
    -- plans differ; PostgreSQL would then break the deadlock by failing one of them.
    UPDATE fastqueue.queue_tally AS t
    SET messages = t.messages + d.messages
    FROM (
        SELECT c.queue_id,
               CASE TG_OP WHEN 'INSERT' THEN count(*) ELSE -count(*) END AS messages
        FROM changed AS c
        GROUP BY c.queue_id
        ORDER BY c.queue_id
    ) AS d
    WHERE t.queue_id = d.queue_id AND t.shard = pg_backend_pid() % 16;
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION fastqueue._tally_changed() IS
    'Trigger: adds the messages a statement inserted to, or deleted from, each queue''s '
    'tally, in the shard of the session; skipped where the caller counts them itself.';

CREATE TRIGGER message_tally_insert_trigger
AFTER INSERT ON fastqueue.message
REFERENCING NEW TABLE AS changed
FOR EACH STATEMENT
WHEN (current_setting('fastqueue.tally_by_caller', true) IS DISTINCT FROM 'on')
EXECUTE FUNCTION fastqueue._tally_changed();

CREATE TRIGGER message_tally_delete_trigger
AFTER DELETE ON fastqueue.message
REFERENCING OLD TABLE AS changed
FOR EACH STATEMENT
WHEN (current_setting('fastqueue.tally_by_caller', true) IS DISTINCT FROM 'on')
EXECUTE FUNCTION fastqueue._tally_changed();

CREATE FUNCTION fastqueue._tally_truncated()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    UPDATE fastqueue.queue_tally SET messages = 0 WHERE messages <> 0;
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION fastqueue._tally_truncated() IS
    'Trigger: a truncated message table leaves every queue at zero.';

CREATE TRIGGER message_tally_truncate_trigger
AFTER TRUNCATE ON fastqueue.message
FOR EACH STATEMENT EXECUTE FUNCTION fastqueue._tally_truncated();

-- ---- what exists already ---------------------------------------------------------
INSERT INTO fastqueue.queue_tally (queue_id, shard)
SELECT q.id, s FROM fastqueue.queue AS q CROSS JOIN generate_series(0, 15) AS s;

UPDATE fastqueue.queue_tally AS t
SET messages = c.messages
FROM (
    SELECT queue_id, count(*) AS messages FROM fastqueue.message GROUP BY queue_id
) AS c
WHERE t.queue_id = c.queue_id AND t.shard = 0;

COMMIT;
