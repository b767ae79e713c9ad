-- Deploy fastqueue:function_publish to pg
-- requires: table_message
-- requires: type_message_info
-- requires: function_check_message

BEGIN;

CREATE FUNCTION fastqueue.publish(p_topic_id text, p_data jsonb, p_attributes jsonb DEFAULT NULL)
RETURNS SETOF fastqueue.message_info
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, fastqueue, pg_temp
AS $$
DECLARE
    v_now timestamptz := clock_timestamp();
BEGIN
    PERFORM fastqueue._check_message(p_data, p_attributes);

    -- One statement fans the message out: every queue of the topic gets its copy,
    -- or none does. A filter matches when each of its keys is among the
    -- attributes with one of the listed values; no filter, or {}, takes everything.
    RETURN QUERY
    INSERT INTO fastqueue.message AS m
        (queue_id, data, attributes, scheduled_at, expired_at, created_at, updated_at)
    SELECT q.id, p_data, p_attributes,
           v_now + make_interval(secs => coalesce(q.delivery_delay_seconds, 0)),
           v_now + make_interval(secs => q.message_retention_seconds),
           v_now, v_now
    FROM fastqueue.queue AS q
    WHERE q.topic_id = p_topic_id
      AND (q.message_filters IS NULL OR NOT EXISTS (
            SELECT FROM jsonb_each(q.message_filters) AS f (key, accepted)
            WHERE NOT coalesce(f.accepted ? (p_attributes ->> f.key), false)))
    ORDER BY q.id
    RETURNING m.id, m.queue_id, m.data, m.attributes, m.delivery_attempts,
              m.expired_at, m.scheduled_at, m.created_at, m.updated_at;

    -- Only when nothing was created is it worth asking whether the topic exists.
    IF NOT FOUND AND NOT EXISTS (SELECT FROM fastqueue.topic WHERE id = p_topic_id) THEN
        RAISE EXCEPTION 'topic "%" not found', p_topic_id USING ERRCODE = 'FQ001';
    END IF;
END;
$$;

COMMENT ON FUNCTION fastqueue.publish(text, jsonb, jsonb) IS
    'Publishes a message to a topic: one copy to each of its queues whose filter matches, '
    'with that queue''s delivery delay and retention; returns the copies (none when no queue '
    'matches). Raises FQ001 for an unknown topic and FQ206 for data that is not a JSON object '
    'or attributes that are not an object of strings.';

COMMIT;
