-- Deploy fastqueue:function_claim_idempotency_key to pg
-- requires: table_idempotency_key
-- requires: function_check_bound
-- Private helper: claim an idempotency key, or find what its first use created.

BEGIN;

CREATE FUNCTION fastqueue._claim_idempotency_key(
    p_topic_id text,
    p_key text,
    p_now timestamptz,
    p_window_seconds integer
)
RETURNS jsonb
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
    v_claimed boolean;
    v_messages jsonb;
BEGIN
    IF length(p_key) NOT BETWEEN 1 AND 255 THEN
        RAISE EXCEPTION 'an idempotency key is 1 to 255 characters' USING ERRCODE = 'FQ211';
    END IF;
    PERFORM fastqueue._check_bound('idempotency_window_seconds', p_window_seconds);

    -- A concurrent publish with the same key makes this wait until it commits (and
    -- then find its messages) or rolls back (and then claim the key). A key whose
    -- window has passed is claimed again even before cleanup forgets it.
    INSERT INTO fastqueue.idempotency_key AS k (topic_id, key, created_at, expired_at)
    VALUES (p_topic_id, p_key, p_now, p_now + make_interval(secs => p_window_seconds))
    ON CONFLICT (topic_id, key) DO UPDATE
    SET created_at = excluded.created_at,
        expired_at = excluded.expired_at,
        messages = NULL
    WHERE k.expired_at <= p_now
    RETURNING true INTO v_claimed;
    IF v_claimed THEN
        RETURN NULL;
    END IF;

    SELECT k.messages INTO v_messages
    FROM fastqueue.idempotency_key AS k
    WHERE k.topic_id = p_topic_id AND k.key = p_key;
    RETURN v_messages;
END;
$$;

COMMENT ON FUNCTION fastqueue._claim_idempotency_key(text, text, timestamptz, integer) IS
    'Returns NULL when this call claimed the key for p_window_seconds (the caller then '
    'stores what it creates), or the messages (a JSON array of message_info) that the '
    'first publish with this key created. Raises FQ211 for a key that is not 1 to 255 '
    'characters and FQ202 for a window outside the idempotency_window_seconds setting.';

COMMIT;
