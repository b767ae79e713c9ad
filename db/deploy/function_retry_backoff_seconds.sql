-- Deploy fastqueue:function_retry_backoff_seconds to pg
-- requires: schema_fastqueue
-- Private helper: how long a nacked message waits, from its queue's back-off and
-- its delivery count.

BEGIN;

CREATE FUNCTION fastqueue._retry_backoff_seconds(
    p_min_seconds integer,
    p_max_seconds integer,
    p_delivery_attempts integer
)
RETURNS integer
LANGUAGE sql
IMMUTABLE
AS $$
    -- min * 2^(attempts - 1), capped at max (600 without one). Past 31 doublings any
    -- minimum above 0 exceeds every integer cap, so the shift stops there and the
    -- bigint cannot overflow.
    SELECT CASE WHEN p_min_seconds IS NOT NULL THEN
        least(
            coalesce(p_max_seconds, 600)::bigint,
            p_min_seconds::bigint << least(greatest(p_delivery_attempts - 1, 0), 31)
        )::integer
    END;
$$;

COMMENT ON FUNCTION fastqueue._retry_backoff_seconds(integer, integer, integer) IS
    'Seconds a message nacked after p_delivery_attempts deliveries waits: '
    'min(p_max_seconds, p_min_seconds * 2^(p_delivery_attempts - 1)), with 600 for a NULL '
    'p_max_seconds; NULL when p_min_seconds is NULL (no back-off).';

COMMIT;
