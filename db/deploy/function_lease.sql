-- Deploy fastqueue:function_lease to pg
-- requires: table_message
-- requires: type_message_info
-- requires: function_check_bound
-- requires: function_move_messages
-- Reworked: plans its statements once (with a custom plan PostgreSQL planned the
-- lease anew at every call, a third of its CPU; the generic plan is the same walk
-- of the queue's scheduled index), and starts where the session's last lease found
-- the head of the queue instead of walking the dead index entries before it.
-- A plan made once lives as long as the session or until the table is analyzed
-- again: one made while the table looked empty would scan and sort every message.
-- Without sequential scans and sorts the index walk is the only plan left.

BEGIN;

CREATE OR REPLACE FUNCTION fastqueue.lease(p_queue_id text, p_limit integer DEFAULT 10)
RETURNS SETOF fastqueue.message_info
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, fastqueue, pg_temp
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off
SET enable_sort = off
AS $$
DECLARE
    v_now timestamptz := clock_timestamp();
    v_queue fastqueue.queue;
    v_capped uuid[];
    v_ids uuid[];
    v_first timestamptz;
    -- This session's hint (see below): until when it holds, where to start, and for
    -- which queue.
    v_hint text[] := string_to_array(current_setting('fastqueue.lease_hint', true), ',');
    v_from timestamptz := '-infinity';
BEGIN
    PERFORM fastqueue._check_bound('lease_limit', p_limit);
    SELECT * INTO v_queue FROM fastqueue.queue WHERE id = p_queue_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'queue "%" not found', p_queue_id USING ERRCODE = 'FQ002';
    END IF;

    -- ---- where to start looking ------------------------------------------------
    -- Every lease moves its messages' index entries, and every ack deletes one: the
    -- old entries stay at the head of the queue's index until vacuum, and a lease
    -- that starts at the head walks all of them (0.4 ms per lease of 10 after a few
    -- seconds of 15,000 leases/s). So a session remembers, for one second and one
    -- queue, the oldest scheduled time its leases found, and starts there. A message
    -- behind that point can only be one that another lease had locked and then
    -- rolled back, or one that a slow publish committed late: it waits at most the
    -- second until the session looks from the head again. A lease that finds
    -- nothing from the remembered point looks from the head at once, so an empty
    -- answer always means an empty queue (long polling relies on that).
    -- The times are kept as seconds since the epoch, whatever the session's DateStyle;
    -- a millisecond off the start covers their rounding. A hint that does not parse,
    -- or ends more than a second ahead (the clock went back), is ignored.
    IF v_hint[3] = p_queue_id
       AND v_hint[1] ~ '^[0-9]{1,12}(\.[0-9]{1,9})?$'
       AND v_hint[2] ~ '^[0-9]{1,12}(\.[0-9]{1,9})?$' THEN
        IF v_hint[1]::numeric - extract(epoch FROM v_now) BETWEEN 0 AND 1 THEN
            v_from := to_timestamp(v_hint[2]::double precision) - interval '1 millisecond';
        END IF;
    END IF;
    IF v_from = '-infinity' THEN
        v_hint := NULL;
    END IF;

    -- Messages that used up their deliveries and reached the head of the queue
    -- go to the dead queue now; the lease below never hands them out anyway.
    IF v_queue.message_max_deliveries IS NOT NULL THEN
        SELECT array_agg(head.id) INTO v_capped
        FROM (
            SELECT m.id, m.delivery_attempts
            FROM fastqueue.message AS m
            WHERE m.queue_id = p_queue_id
              AND m.scheduled_at >= v_from
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
    -- taking right now.
    LOOP
        SELECT array_agg(head.id ORDER BY head.scheduled_at, head.seq), min(head.scheduled_at)
        INTO v_ids, v_first
        FROM (
            SELECT m.id, m.scheduled_at, m.seq
            FROM fastqueue.message AS m
            WHERE m.queue_id = p_queue_id
              AND m.scheduled_at >= v_from
              AND m.scheduled_at <= v_now
              AND m.expired_at > v_now
              AND m.delivery_attempts < coalesce(v_queue.message_max_deliveries, 2147483647)
            ORDER BY m.scheduled_at, m.seq
            LIMIT p_limit
            FOR UPDATE SKIP LOCKED
        ) AS head;
        EXIT WHEN v_ids IS NOT NULL OR v_from = '-infinity';
        v_from := '-infinity';
        v_hint := NULL;
    END LOOP;
    IF v_ids IS NULL THEN
        RETURN;
    END IF;
    -- A hint found at the head holds for a second; one found from a hint keeps its end.
    PERFORM set_config(
        'fastqueue.lease_hint',
        concat_ws(',',
            coalesce(v_hint[1], (extract(epoch FROM v_now) + 1)::text),
            extract(epoch FROM v_first),
            p_queue_id),
        false);

    RETURN QUERY
    WITH leased AS (
        UPDATE fastqueue.message AS m
        SET delivery_attempts = m.delivery_attempts + 1,
            scheduled_at = v_now + make_interval(secs => v_queue.ack_deadline_seconds),
            updated_at = v_now,
            receipt = gen_random_uuid()
        WHERE m.id = ANY (v_ids)
        RETURNING m.*
    )
    SELECT l.id, l.queue_id, l.data, l.attributes, l.delivery_attempts,
           l.expired_at, l.scheduled_at, l.created_at, l.updated_at,
           l.receipt, l.dead_lettered_from, l.dead_lettered_at
    FROM leased AS l
    JOIN unnest(v_ids) WITH ORDINALITY AS o (id, position) ON o.id = l.id
    ORDER BY o.position;
END;
$$;

COMMENT ON FUNCTION fastqueue.lease(text, integer) IS
    'Leases up to p_limit available messages of a queue, oldest first: each one''s delivery '
    'count goes up by one, it gets a new receipt, and it stays hidden for the queue''s ack '
    'deadline. Messages past '
    'the max deliveries are never returned; those at the head move to the dead queue, so a '
    'lease may return fewer than are waiting. For a second, a session starts where its last '
    'lease of the queue found the head (kept in the setting fastqueue.lease_hint): a message '
    'behind that point, given back by a rolled-back lease or committed late, waits up to that '
    'second unless nothing else is found. Raises FQ002 for an unknown queue and FQ202 '
    'for a limit outside the lease_limit setting.';

COMMIT;
