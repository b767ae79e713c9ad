-- Deploy fastqueue:function_filter_matches to pg
-- requires: schema_fastqueue
-- Private helper: whether a queue's filter lets a message's attributes through.

BEGIN;

CREATE FUNCTION fastqueue._filter_matches(p_filters jsonb, p_attributes jsonb)
RETURNS boolean
LANGUAGE sql
IMMUTABLE
AS $$
    -- Every key of the filter must be among the attributes, with one of the
    -- listed values. No filter, or {}, takes everything; no attributes match
    -- only such a filter.
    SELECT p_filters IS NULL OR NOT EXISTS (
        SELECT FROM jsonb_each(p_filters) AS f (key, accepted)
        WHERE NOT coalesce(f.accepted ? (p_attributes ->> f.key), false)
    );
$$;

COMMENT ON FUNCTION fastqueue._filter_matches(jsonb, jsonb) IS
    'True when the filter p_filters ({"name": ["value", ...], ...}) lets a message with '
    'attributes p_attributes through: each name present with one of its values.';

COMMIT;
