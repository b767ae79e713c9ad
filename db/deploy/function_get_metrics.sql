-- Deploy fastqueue:function_get_metrics to pg
-- requires: function_queue_stats
-- requires: table_cleanup_status

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
    -- The gauges of each queue are its stats, as get_queue_stats gives them, all read
    -- in one statement at one instant. Expired messages count nowhere: cleanup is
    -- about to delete them.
    SELECT coalesce(jsonb_agg(jsonb_build_object(
               'queue_id', q.id,
               'available', s.num_undelivered_messages,
               'leased', s.num_leased_messages,
               'delayed', s.num_delayed_messages,
               'dead_letter_pending', s.num_dead_letter_pending_messages,
               'oldest_available_age_seconds', s.oldest_unacked_message_age_seconds,
               'oldest_age_seconds', s.oldest_message_age_seconds
           ) ORDER BY q.id), '[]')
    INTO v_queues
    FROM fastqueue.queue AS q
    CROSS JOIN LATERAL fastqueue._queue_stats(q, v_now) AS s;

    SELECT to_jsonb(s) - 'id' INTO v_cleanup FROM fastqueue.cleanup_status AS s;

    RETURN jsonb_build_object('queues', v_queues, 'cleanup', v_cleanup);
END;
$$;

COMMENT ON FUNCTION fastqueue.get_metrics() IS
    'Returns {"queues": [...], "cleanup": ...}: for each queue its stats as '
    'get_queue_stats gives them (messages available, leased, delayed and waiting for the '
    'dead queue, the age in seconds of the oldest available one and of the oldest of any '
    'kind); and what the last cleanup run did and when it finished (null if none has run). '
    'Reads a few index ranges per queue: run it under a statement timeout.';

COMMIT;
