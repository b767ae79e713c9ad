-- Deploy fastqueue:function_get_topic to pg
-- requires: table_topic

BEGIN;

CREATE FUNCTION fastqueue.get_topic(p_topic_id text)
RETURNS fastqueue.topic
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, fastqueue, pg_temp
AS $$
DECLARE
    v_topic fastqueue.topic;
BEGIN
    SELECT * INTO v_topic FROM fastqueue.topic WHERE id = p_topic_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'topic "%" not found', p_topic_id USING ERRCODE = 'FQ001';
    END IF;
    RETURN v_topic;
END;
$$;

COMMENT ON FUNCTION fastqueue.get_topic(text) IS
    'Returns one topic. Raises FQ001 if there is none with that id.';

COMMIT;
