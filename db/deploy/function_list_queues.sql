-- Deploy fastqueue:function_list_queues to pg
-- requires: table_queue
-- requires: function_check_bound

BEGIN;

CREATE FUNCTION fastqueue.list_queues(p_offset integer DEFAULT 0, p_limit integer DEFAULT 10)
RETURNS SETOF fastqueue.queue
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, fastqueue, pg_temp
AS $$
BEGIN
    PERFORM fastqueue._check_bound('list_offset', p_offset);
    PERFORM fastqueue._check_bound('list_limit', p_limit);
    RETURN QUERY
    SELECT * FROM fastqueue.queue ORDER BY id OFFSET p_offset LIMIT p_limit;
END;
$$;

COMMENT ON FUNCTION fastqueue.list_queues(integer, integer) IS
    'Returns one page of queues ordered by id. Raises FQ202 for an offset or limit '
    'outside the list_offset and list_limit settings.';

COMMIT;
