-- Deploy fastqueue:function_create_topic to pg
-- requires: table_topic
-- requires: function_check_id

BEGIN;

CREATE FUNCTION fastqueue.create_topic(p_topic_id text)
RETURNS fastqueue.topic
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, fastqueue, pg_temp
AS $$
DECLARE
    v_topic fastqueue.topic;
BEGIN
    PERFORM fastqueue._check_id('topic', p_topic_id);

    INSERT INTO fastqueue.topic (id, created_at)
    VALUES (p_topic_id, clock_timestamp())
    ON CONFLICT (id) DO NOTHING
    RETURNING * INTO v_topic;

    IF NOT FOUND THEN
        RAISE EXCEPTION 'topic "%" already exists', p_topic_id USING ERRCODE = 'FQ101';
    END IF;
    RETURN v_topic;
END;
$$;

COMMENT ON FUNCTION fastqueue.create_topic(text) IS
    'Creates a topic and returns it. Raises FQ201 for an invalid id, FQ101 if it exists.';

COMMIT;
