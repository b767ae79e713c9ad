-- Deploy fastqueue:function_wake_waiters to pg
-- requires: table_queue_waiter
-- requires: function_filter_matches
-- Private: tell the listeners of a topic's armed queues that messages arrived.

BEGIN;

-- Called by publish and publish_batch after their INSERT, in the same transaction.
-- p_messages holds the published messages' attributes ([{"attributes": {...}}, ...]),
-- so that a queue whose filter takes none of them is not woken.
--
-- Coalescing: only armed rows are notified, and they are disarmed here, so after one
-- publish has woken a queue no later publish touches its row or notifies until a
-- waiter arms it again (NOTIFY takes a cluster-wide lock at commit: one per publish
-- would serialise publishers). The payload is the queue id, never the message.
--
-- Never waiting: a row another publisher is disarming right now (it holds the row
-- lock until it commits) is skipped, not waited for; we still see it armed in our
-- snapshot and notify too. So publishers never queue behind each other here, and if
-- that other publisher rolls back, our own notification stands.
--
-- Under REPEATABLE READ or SERIALIZABLE our snapshot may predate a waiter that armed
-- after it (see fastqueue.lease_wait for why READ COMMITTED cannot miss it): then
-- notify every matching queue of the topic, coalescing nothing.
CREATE FUNCTION fastqueue._wake_waiters(p_topic_id text, p_messages jsonb)
RETURNS integer
LANGUAGE plpgsql
VOLATILE
SET search_path = pg_catalog, fastqueue, pg_temp
AS $$
DECLARE
    v_notified integer;
BEGIN
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        SELECT count(pg_notify('fastqueue_wake', q.id)) INTO v_notified
        FROM fastqueue.queue AS q
        WHERE q.topic_id = p_topic_id
          AND (q.message_filters IS NULL OR EXISTS (
              SELECT FROM jsonb_array_elements(p_messages) AS e (message)
              WHERE fastqueue._filter_matches(
                  q.message_filters, nullif(e.message -> 'attributes', 'null'))));
        RETURN v_notified;
    END IF;

    WITH seen AS (
        SELECT w.queue_id, w.listener_pid
        FROM fastqueue.queue AS q
        JOIN fastqueue.queue_waiter AS w ON w.queue_id = q.id
        WHERE q.topic_id = p_topic_id
          AND w.armed
          AND (q.message_filters IS NULL OR EXISTS (
              SELECT FROM jsonb_array_elements(p_messages) AS e (message)
              WHERE fastqueue._filter_matches(
                  q.message_filters, nullif(e.message -> 'attributes', 'null'))))
    ), locked AS (
        SELECT w.queue_id, w.listener_pid
        FROM fastqueue.queue_waiter AS w
        JOIN seen AS s ON s.queue_id = w.queue_id AND s.listener_pid = w.listener_pid
        WHERE w.armed
        FOR UPDATE OF w SKIP LOCKED
    ), disarmed AS (
        UPDATE fastqueue.queue_waiter AS w
        SET armed = false
        FROM locked AS l
        WHERE w.queue_id = l.queue_id AND w.listener_pid = l.listener_pid
    )
    SELECT count(pg_notify('fastqueue_wake', s.queue_id)) INTO v_notified
    FROM (SELECT DISTINCT queue_id FROM seen) AS s;
    RETURN v_notified;
END;
$$;

COMMENT ON FUNCTION fastqueue._wake_waiters(text, jsonb) IS
    'Private: notifies channel fastqueue_wake (payload: the queue id) for each queue of '
    'the topic that has an armed waiter and takes one of the messages, and disarms those '
    'waiters. Returns the number of queues notified. Raises nothing.';

COMMIT;
