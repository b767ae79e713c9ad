-- Deploy fastqueue:function_lease to pg
-- requires: table_message
-- requires: type_message_info
-- requires: function_check_bound
-- requires: function_move_messages
-- Reworked: plans its statements once. With a custom plan PostgreSQL planned the
-- lease anew at every call, a third of its CPU; the generic plan is the same walk
-- of the queue's scheduled index.

BEGIN;

CREATE OR REPLACE FUNCTION fastqueue.lease(p_queue_id text, p_limit integer DEFAULT 10)
RETURNS SETOF fastqueue.message_info
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, fastqueue, pg_temp
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
    v_now timestamptz := clock_timestamp();
    v_queue fastqueue.queue;
    v_capped uuid[];
BEGIN
    PERFORM fastqueue._check_bound('lease_limit', p_limit);
    SELECT * INTO v_queue FROM fastqueue.queue WHERE id = p_queue_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'queue "%" not found', p_queue_id USING ERRCODE = 'FQ002';
    END IF;

    -- Messages that used up their deliveries and reached the head of the queue
    -- go to the dead queue now; the lease below never hands them out anyway.
    IF v_queue.message_max_deliveries IS NOT NULL THEN
        SELECT array_agg(head.id) INTO v_capped
        FROM (
            SELECT m.id, m.delivery_attempts
            FROM fastqueue.message AS m
            WHERE m.queue_id = p_queue_id
              AND m.scheduled_at <= v_now
              AND m.expired_at > v_now
            ORDER BY m.scheduled_at, m.seq
            LIMIT p_limit
            FOR UPDATE SKIP LOCKED
        ) AS head
        WHERE head.delivery_attempts >= v_queue.message_max_deliveries;
        IF v_capped IS NOT NULL THEN
            PERFORM fastqueue._move_messages(
                v_capped, v_queue.dead_queue_id, v_now, v_queue.id);
        END IF;
    END IF;

    -- Lock the oldest visible messages, skipping those another consumer is
    -- taking right now. MATERIALIZED keeps the locking scan from running twice.
    RETURN QUERY
    WITH picked AS MATERIALIZED (
        SELECT m.id, m.scheduled_at, m.seq
        FROM fastqueue.message AS m
        WHERE m.queue_id = p_queue_id
          AND m.scheduled_at <= v_now
          AND m.expired_at > v_now
          AND m.delivery_attempts < coalesce(v_queue.message_max_deliveries, 2147483647)
        ORDER BY m.scheduled_at, m.seq
        LIMIT p_limit
        FOR UPDATE SKIP LOCKED
    ), leased AS (
        UPDATE fastqueue.message AS m
        SET delivery_attempts = m.delivery_attempts + 1,
            scheduled_at = v_now + make_interval(secs => v_queue.ack_deadline_seconds),
            updated_at = v_now,
            receipt = gen_random_uuid()
        FROM picked
        WHERE m.id = picked.id
        RETURNING m.*
    )
    SELECT l.id, l.queue_id, l.data, l.attributes, l.delivery_attempts,
           l.expired_at, l.scheduled_at, l.created_at, l.updated_at,
           l.receipt, l.dead_lettered_from, l.dead_lettered_at
    FROM leased AS l
    JOIN picked AS p ON p.id = l.id
    ORDER BY p.scheduled_at, p.seq;
END;
$$;

COMMENT ON FUNCTION fastqueue.lease(text, integer) IS
    'Leases up to p_limit available messages of a queue, oldest first: each one''s delivery '
    'count goes up by one, it gets a new receipt, and it stays hidden for the queue''s ack '
    'deadline. Messages past '
    'the max deliveries are never returned; those at the head move to the dead queue, so a '
    'lease may return fewer than are waiting. Raises FQ002 for an unknown queue and FQ202 '
    'for a limit outside the lease_limit setting.';

COMMIT;
