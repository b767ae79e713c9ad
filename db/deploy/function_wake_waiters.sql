-- Deploy fastqueue:function_wake_waiters to pg
-- requires: table_queue_waiter
-- requires: function_filter_matches
-- requires: function_wake_queues
-- Private: tell the listeners of a topic's armed queues that messages arrived.

BEGIN;

-- Called by publish and publish_batch after their INSERT, in the same transaction.
-- p_messages holds the published messages' attributes ([{"attributes": {...}}, ...]),
-- so that a queue whose filter takes none of them is not woken.
--
-- Coalescing: only armed waiters are notified, and fastqueue._wake_queues disarms
-- them, so after one publish has woken a queue no later publish notifies it until a
-- waiter arms it again (NOTIFY takes a cluster-wide lock at commit: one per publish
-- would serialise publishers). Most publishes find no armed waiter: this costs them
-- one look at the topic's queues, and filters are matched only for armed ones.
--
-- Under REPEATABLE READ or SERIALIZABLE our snapshot may predate a waiter that armed
-- after it (see fastqueue.lease_wait for why READ COMMITTED cannot miss it): then
-- every matching queue of the topic is notified, coalescing nothing.
-- No SET search_path: it is not SECURITY DEFINER, every name in it is qualified or
-- in pg_catalog, and a SET clause costs each call (and so each publish) a few
-- microseconds.
CREATE FUNCTION fastqueue._wake_waiters(p_topic_id text, p_messages jsonb)
RETURNS integer
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_every boolean := current_setting('transaction_isolation') <> 'read committed';
    v_queue_ids text[];
BEGIN
    -- The common case, and the cheapest look: nobody waits on any queue.
    IF NOT v_every AND NOT EXISTS (SELECT FROM fastqueue.queue_waiter WHERE armed) THEN
        RETURN 0;
    END IF;
    -- MATERIALIZED: look for armed waiters first, match filters only for those.
    WITH armed AS MATERIALIZED (
        SELECT q.id, q.message_filters
        FROM fastqueue.queue AS q
        WHERE q.topic_id = p_topic_id
          AND (v_every OR EXISTS (
              SELECT FROM fastqueue.queue_waiter AS w WHERE w.queue_id = q.id AND w.armed))
    )
    SELECT array_agg(a.id) INTO v_queue_ids
    FROM armed AS a
    WHERE a.message_filters IS NULL
       OR EXISTS (
           SELECT FROM jsonb_array_elements(p_messages) AS e (message)
           WHERE fastqueue._filter_matches(
               a.message_filters, nullif(e.message -> 'attributes', 'null')));
    IF v_queue_ids IS NULL THEN
        RETURN 0;
    END IF;
    RETURN fastqueue._wake_queues(v_queue_ids);
END;
$$;

COMMENT ON FUNCTION fastqueue._wake_waiters(text, jsonb) IS
    'Private: notifies channel fastqueue_wake (payload: the queue id) for each queue of '
    'the topic that has an armed waiter and takes one of the messages, and disarms those '
    'waiters (see fastqueue._wake_queues). Returns the number of queues notified. Raises '
    'nothing.';

COMMIT;
