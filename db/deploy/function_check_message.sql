-- Deploy fastqueue:function_check_message to pg
-- requires: schema_fastqueue
-- requires: function_check_bound
-- Private helper: refuse a message that is not what consumers are promised.

BEGIN;

CREATE FUNCTION fastqueue._check_message(
    p_data jsonb,
    p_attributes jsonb,
    p_delay_seconds integer,
    p_position bigint DEFAULT NULL
)
RETURNS void
LANGUAGE plpgsql
STABLE
AS $$
DECLARE
    -- Within a batch, errors say which message they are about.
    v_which text := CASE WHEN p_position IS NOT NULL THEN format('message %s: ', p_position) END;
BEGIN
    IF jsonb_typeof(p_data) IS DISTINCT FROM 'object' THEN
        RAISE EXCEPTION '%data must be a JSON object', coalesce(v_which, '')
            USING ERRCODE = 'FQ206';
    END IF;
    -- A jsonpath, not a subquery over jsonb_each: this check runs on every publish.
    IF p_attributes IS NOT NULL AND (
        jsonb_typeof(p_attributes) <> 'object'
        OR jsonb_path_exists(p_attributes, '$.* ? (@.type() != "string")')) THEN
        RAISE EXCEPTION '%attributes must be a JSON object of strings', coalesce(v_which, '')
            USING ERRCODE = 'FQ206',
                  HINT = 'For example {"event_name": "created"}.';
    END IF;
    IF p_delay_seconds IS NOT NULL THEN
        PERFORM fastqueue._check_bound('message_delay_seconds', p_delay_seconds);
    END IF;
END;
$$;

COMMENT ON FUNCTION fastqueue._check_message(jsonb, jsonb, integer, bigint) IS
    'Raises FQ206 unless p_data is a JSON object and p_attributes is NULL or an object '
    'of strings, and FQ202 for a delay outside the message_delay_seconds setting. '
    'p_position, within a batch, prefixes the message with the position.';

COMMIT;
