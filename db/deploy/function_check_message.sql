-- Deploy fastqueue:function_check_message to pg
-- requires: schema_fastqueue
-- Private helper: refuse a message body that is not what consumers are promised.

BEGIN;

CREATE FUNCTION fastqueue._check_message(p_data jsonb, p_attributes jsonb)
RETURNS void
LANGUAGE plpgsql
IMMUTABLE
AS $$
BEGIN
    IF jsonb_typeof(p_data) IS DISTINCT FROM 'object' THEN
        RAISE EXCEPTION 'data must be a JSON object' USING ERRCODE = 'FQ206';
    END IF;
    IF p_attributes IS NOT NULL AND (
        jsonb_typeof(p_attributes) <> 'object'
        OR EXISTS (
            SELECT FROM jsonb_each(p_attributes) AS a (key, value)
            WHERE jsonb_typeof(a.value) <> 'string')) THEN
        RAISE EXCEPTION 'attributes must be a JSON object of strings'
            USING ERRCODE = 'FQ206',
                  HINT = 'For example {"event_name": "created"}.';
    END IF;
END;
$$;

COMMENT ON FUNCTION fastqueue._check_message(jsonb, jsonb) IS
    'Raises FQ206 unless p_data is a JSON object and p_attributes is NULL or an object '
    'of strings.';

COMMIT;
