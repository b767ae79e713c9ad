-- Revert fastqueue:function_get_metrics from pg
-- Back to the release's version, which counts by scanning the messages.

BEGIN;

CREATE OR REPLACE FUNCTION fastqueue.get_metrics()
RETURNS jsonb
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, fastqueue, pg_temp
AS $$
DECLARE
    v_now timestamptz := clock_timestamp();
    v_queues jsonb;
    v_cleanup jsonb;
BEGIN
    -- One pass over the messages, grouped by queue; queues without messages
    -- report zeros. Expired messages count nowhere: cleanup is about to delete them.
    -- TODO: read per-queue counters instead once the messages table is too large
    -- to scan at every scrape.
    SELECT coalesce(jsonb_agg(jsonb_build_object(
               'queue_id', q.id,
               'available', coalesce(c.available, 0),
               'leased', coalesce(c.leased, 0),
               'delayed', coalesce(c.delayed, 0),
               'dead_letter_pending', coalesce(c.capped, 0),
               'oldest_available_age_seconds', coalesce(c.oldest_age, 0)
           ) ORDER BY q.id), '[]')
    INTO v_queues
    FROM fastqueue.queue AS q
    LEFT JOIN LATERAL (
        SELECT count(*) FILTER (WHERE m.scheduled_at <= v_now AND NOT m.capped) AS available,
               count(*) FILTER (WHERE m.scheduled_at > v_now
                                  AND m.receipt IS NOT NULL) AS leased,
               count(*) FILTER (WHERE m.scheduled_at > v_now
                                  AND m.receipt IS NULL) AS delayed,
               count(*) FILTER (WHERE m.scheduled_at <= v_now AND m.capped) AS capped,
               floor(extract(epoch FROM v_now - min(m.created_at)
                   FILTER (WHERE m.scheduled_at <= v_now AND NOT m.capped)))::bigint
                   AS oldest_age
        FROM (
            SELECT msg.scheduled_at, msg.receipt, msg.created_at,
                   msg.delivery_attempts >= coalesce(q.message_max_deliveries, 2147483647)
                       AS capped
            FROM fastqueue.message AS msg
            WHERE msg.queue_id = q.id
              AND msg.expired_at > v_now
        ) AS m
    ) AS c ON true;

    SELECT to_jsonb(s) - 'id' INTO v_cleanup FROM fastqueue.cleanup_status AS s;

    RETURN jsonb_build_object('queues', v_queues, 'cleanup', v_cleanup);
END;
$$;

COMMENT ON FUNCTION fastqueue.get_metrics() IS
    'Returns {"queues": [...], "cleanup": ...}: for each queue its messages available, '
    'leased, delayed and waiting for the dead queue, and the age in seconds of the oldest '
    'available one; and what the last cleanup run did and when it finished (null if none '
    'has run). Reads every unexpired message: run it under a statement timeout.';

COMMIT;
