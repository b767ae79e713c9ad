-- Deploy fastqueue:function_peek to pg
-- requires: table_message
-- requires: type_message_info
-- requires: function_check_bound

BEGIN;

CREATE FUNCTION fastqueue.peek(p_queue_id text, p_limit integer DEFAULT 10)
RETURNS SETOF fastqueue.message_info
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, fastqueue, pg_temp
AS $$
DECLARE
    v_now timestamptz := clock_timestamp();
BEGIN
    PERFORM fastqueue._check_bound('list_limit', p_limit);
    PERFORM FROM fastqueue.queue WHERE id = p_queue_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'queue "%" not found', p_queue_id USING ERRCODE = 'FQ002';
    END IF;
    -- In the order a lease takes them; receipts stay private to their consumer.
    RETURN QUERY
    SELECT m.id, m.queue_id, m.data, m.attributes, m.delivery_attempts,
           m.expired_at, m.scheduled_at, m.created_at, m.updated_at,
           NULL::uuid, m.dead_lettered_from, m.dead_lettered_at
    FROM fastqueue.message AS m
    WHERE m.queue_id = p_queue_id
      AND m.expired_at > v_now
    ORDER BY m.scheduled_at, m.seq
    LIMIT p_limit;
END;
$$;

COMMENT ON FUNCTION fastqueue.peek(text, integer) IS
    'Returns up to p_limit unexpired messages of a queue, leased and delayed ones included, '
    'in the order a lease would take them, without leasing them (receipts are not shown). '
    'Raises FQ002 for an unknown queue and FQ202 for a limit outside list_limit.';

COMMIT;
