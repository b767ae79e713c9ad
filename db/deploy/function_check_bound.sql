-- Deploy fastqueue:function_check_bound to pg
-- requires: table_setting
-- Private helper: refuse a number outside the bounds of fastqueue.setting.

BEGIN;

CREATE FUNCTION fastqueue._check_bound(p_name text, p_value integer)
RETURNS void
LANGUAGE plpgsql
STABLE
AS $$
DECLARE
    v_setting fastqueue.setting;
BEGIN
    SELECT * INTO STRICT v_setting FROM fastqueue.setting WHERE name = p_name;
    IF p_value IS NULL OR p_value NOT BETWEEN v_setting.min_value AND v_setting.max_value THEN
        RAISE EXCEPTION '% must be between % and %, got %',
                p_name, v_setting.min_value, v_setting.max_value, coalesce(p_value::text, 'null')
            USING ERRCODE = 'FQ202';
    END IF;
END;
$$;

COMMENT ON FUNCTION fastqueue._check_bound(text, integer) IS
    'Raises FQ202 unless p_value lies within the bounds of setting p_name (NULL is refused).';

COMMIT;
