-- Deploy fastqueue:function_check_id to pg
-- requires: schema_fastqueue
-- Private helper: refuse an id that is not 1 to 128 characters of A-Z a-z 0-9 - . _

BEGIN;

CREATE FUNCTION fastqueue._check_id(p_kind text, p_id text)
RETURNS void
LANGUAGE plpgsql
IMMUTABLE
AS $$
BEGIN
    -- In a bracket expression '-' goes first; '$' only matches at the very end.
    -- "." and ".." would name a path segment, not a resource, in a URL.
    IF p_id IS NULL OR p_id !~ '^[-a-zA-Z0-9._]{1,128}$' OR p_id IN ('.', '..') THEN
        RAISE EXCEPTION 'invalid % id', p_kind
            USING ERRCODE = 'FQ201',
                  HINT = 'An id is 1 to 128 characters of A-Z, a-z, 0-9, "-", "." and "_", '
                         'other than "." and "..".';
    END IF;
END;
$$;

COMMENT ON FUNCTION fastqueue._check_id(text, text) IS
    'Raises FQ201 unless p_id is a valid topic or queue id; p_kind names it in the message.';

COMMIT;
