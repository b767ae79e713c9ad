-- Deploy fastqueue:function_list_topics to pg
-- requires: table_topic
-- requires: function_check_bound

BEGIN;

CREATE FUNCTION fastqueue.list_topics(p_offset integer DEFAULT 0, p_limit integer DEFAULT 10)
RETURNS SETOF fastqueue.topic
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, fastqueue, pg_temp
AS $$
BEGIN
    PERFORM fastqueue._check_bound('list_offset', p_offset);
    PERFORM fastqueue._check_bound('list_limit', p_limit);
    RETURN QUERY
    SELECT * FROM fastqueue.topic ORDER BY id OFFSET p_offset LIMIT p_limit;
END;
$$;

COMMENT ON FUNCTION fastqueue.list_topics(integer, integer) IS
    'Returns one page of topics ordered by id. Raises FQ202 for an offset or limit '
    'outside the list_offset and list_limit settings.';

COMMIT;
