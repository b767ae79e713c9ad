--
-- PostgreSQL database dump
--



SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: fastqueue; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA fastqueue;


--
-- Name: SCHEMA fastqueue; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON SCHEMA fastqueue IS 'fastqueue: topics, queues and messages. Call the functions; the tables are private.';


--
-- Name: cleanup_result; Type: TYPE; Schema: fastqueue; Owner: -
--

CREATE TYPE fastqueue.cleanup_result AS (
	expired bigint,
	dead_lettered bigint
);


--
-- Name: TYPE cleanup_result; Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON TYPE fastqueue.cleanup_result IS 'Messages deleted because their retention ended, and messages moved to a dead queue.';


--
-- Name: message_info; Type: TYPE; Schema: fastqueue; Owner: -
--

CREATE TYPE fastqueue.message_info AS (
	id uuid,
	queue_id text,
	data jsonb,
	attributes jsonb,
	delivery_attempts integer,
	expired_at timestamp with time zone,
	scheduled_at timestamp with time zone,
	created_at timestamp with time zone,
	updated_at timestamp with time zone,
	receipt uuid,
	dead_lettered_from text,
	dead_lettered_at timestamp with time zone
);


--
-- Name: TYPE message_info; Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON TYPE fastqueue.message_info IS 'A message of one queue; scheduled_at is when it is visible (again) to consumers; receipt identifies the current delivery (only a lease returns it).';


--
-- Name: lease_wait_row; Type: TYPE; Schema: fastqueue; Owner: -
--

CREATE TYPE fastqueue.lease_wait_row AS (
	message fastqueue.message_info,
	armed boolean,
	next_visible_at timestamp with time zone
);


--
-- Name: TYPE lease_wait_row; Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON TYPE fastqueue.lease_wait_row IS 'A row of fastqueue.lease_wait: a leased message, or (message NULL) whether the listener is armed and when the queue''s next message becomes visible.';


--
-- Name: queue_stats; Type: TYPE; Schema: fastqueue; Owner: -
--

CREATE TYPE fastqueue.queue_stats AS (
	num_undelivered_messages bigint,
	oldest_unacked_message_age_seconds bigint,
	num_leased_messages bigint,
	num_delayed_messages bigint,
	num_dead_letter_pending_messages bigint,
	oldest_message_age_seconds bigint
);


--
-- Name: TYPE queue_stats; Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON TYPE fastqueue.queue_stats IS 'Messages of a queue available now and the age in whole seconds of the oldest of them; messages leased, delayed, and waiting for the dead queue; and the age of the oldest unexpired message of any kind.';


--
-- Name: settle_result; Type: TYPE; Schema: fastqueue; Owner: -
--

CREATE TYPE fastqueue.settle_result AS (
	settled uuid[],
	unknown uuid[],
	stale uuid[]
);


--
-- Name: TYPE settle_result; Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON TYPE fastqueue.settle_result IS 'What a batch ack or nack did with each id: settled it, found no such message, or refused it because its receipt belongs to an earlier delivery.';


--
-- Name: _check_bound(text, integer); Type: FUNCTION; Schema: fastqueue; Owner: -
--

CREATE FUNCTION fastqueue._check_bound(p_name text, p_value integer) RETURNS void
    LANGUAGE plpgsql STABLE
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


--
-- Name: FUNCTION _check_bound(p_name text, p_value integer); Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON FUNCTION fastqueue._check_bound(p_name text, p_value integer) IS 'Raises FQ202 unless p_value lies within the bounds of setting p_name (NULL is refused).';


--
-- Name: _check_id(text, text); Type: FUNCTION; Schema: fastqueue; Owner: -
--

CREATE FUNCTION fastqueue._check_id(p_kind text, p_id text) RETURNS void
    LANGUAGE plpgsql IMMUTABLE
    AS $_$
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
$_$;


--
-- Name: FUNCTION _check_id(p_kind text, p_id text); Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON FUNCTION fastqueue._check_id(p_kind text, p_id text) IS 'Raises FQ201 unless p_id is a valid topic or queue id; p_kind names it in the message.';


--
-- Name: _check_message(jsonb, jsonb, integer, bigint); Type: FUNCTION; Schema: fastqueue; Owner: -
--

CREATE FUNCTION fastqueue._check_message(p_data jsonb, p_attributes jsonb, p_delay_seconds integer, p_position bigint DEFAULT NULL::bigint) RETURNS void
    LANGUAGE plpgsql STABLE
    AS $_$
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
$_$;


--
-- Name: FUNCTION _check_message(p_data jsonb, p_attributes jsonb, p_delay_seconds integer, p_position bigint); Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON FUNCTION fastqueue._check_message(p_data jsonb, p_attributes jsonb, p_delay_seconds integer, p_position bigint) IS 'Raises FQ206 unless p_data is a JSON object and p_attributes is NULL or an object of strings, and FQ202 for a delay outside the message_delay_seconds setting. p_position, within a batch, prefixes the message with the position.';


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: queue; Type: TABLE; Schema: fastqueue; Owner: -
--

CREATE TABLE fastqueue.queue (
    id text NOT NULL,
    topic_id text,
    dead_queue_id text,
    ack_deadline_seconds integer NOT NULL,
    message_retention_seconds integer NOT NULL,
    message_filters jsonb,
    message_max_deliveries integer,
    delivery_delay_seconds integer,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    retry_min_backoff_seconds integer,
    retry_max_backoff_seconds integer,
    CONSTRAINT queue_dead_queue_not_self_check CHECK ((dead_queue_id <> id)),
    CONSTRAINT queue_dead_queue_with_max_deliveries_check CHECK (((dead_queue_id IS NULL) = (message_max_deliveries IS NULL))),
    CONSTRAINT queue_id_format_check CHECK (((id ~ '^[-a-zA-Z0-9._]{1,128}$'::text) AND (id <> ALL (ARRAY['.'::text, '..'::text])))),
    CONSTRAINT queue_message_filters_object_check CHECK (((message_filters IS NULL) OR (jsonb_typeof(message_filters) = 'object'::text))),
    CONSTRAINT queue_retry_backoff_order_check CHECK ((retry_min_backoff_seconds <= retry_max_backoff_seconds)),
    CONSTRAINT queue_retry_max_backoff_with_min_check CHECK (((retry_max_backoff_seconds IS NULL) OR (retry_min_backoff_seconds IS NOT NULL)))
);


--
-- Name: TABLE queue; Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON TABLE fastqueue.queue IS 'A named resource that receives messages from a topic and hands them to consumers.';


--
-- Name: COLUMN queue.retry_min_backoff_seconds; Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON COLUMN fastqueue.queue.retry_min_backoff_seconds IS 'Seconds a message nacked after its first delivery waits; doubles with each delivery. NULL: a nacked message is visible again at once.';


--
-- Name: COLUMN queue.retry_max_backoff_seconds; Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON COLUMN fastqueue.queue.retry_max_backoff_seconds IS 'The longest back-off of a nack; NULL: 600 seconds.';


--
-- Name: _check_queue(fastqueue.queue); Type: FUNCTION; Schema: fastqueue; Owner: -
--

CREATE FUNCTION fastqueue._check_queue(p_queue fastqueue.queue) RETURNS void
    LANGUAGE plpgsql
    AS $$
DECLARE
    v_seen text[];
    v_next text;
BEGIN
    PERFORM fastqueue._check_id('queue', p_queue.id);
    PERFORM fastqueue._check_bound('ack_deadline_seconds', p_queue.ack_deadline_seconds);
    PERFORM fastqueue._check_bound(
        'message_retention_seconds', p_queue.message_retention_seconds);
    IF p_queue.delivery_delay_seconds IS NOT NULL THEN
        PERFORM fastqueue._check_bound('delivery_delay_seconds', p_queue.delivery_delay_seconds);
    END IF;

    -- The back-off starts at its minimum: a maximum alone would describe nothing. Without
    -- a maximum the cap is 600 seconds, as in fastqueue._retry_backoff_seconds.
    IF p_queue.retry_min_backoff_seconds IS NOT NULL THEN
        PERFORM fastqueue._check_bound(
            'retry_min_backoff_seconds', p_queue.retry_min_backoff_seconds);
    END IF;
    IF p_queue.retry_max_backoff_seconds IS NOT NULL THEN
        PERFORM fastqueue._check_bound(
            'retry_max_backoff_seconds', p_queue.retry_max_backoff_seconds);
        IF p_queue.retry_min_backoff_seconds IS NULL THEN
            RAISE EXCEPTION 'retry_max_backoff_seconds needs retry_min_backoff_seconds'
                USING ERRCODE = 'FQ212',
                      HINT = 'Give both, or clear both to turn the back-off off.';
        END IF;
    END IF;
    IF p_queue.retry_min_backoff_seconds > coalesce(p_queue.retry_max_backoff_seconds, 600) THEN
        RAISE EXCEPTION 'retry_min_backoff_seconds (%) must not exceed '
                'retry_max_backoff_seconds (%)',
                p_queue.retry_min_backoff_seconds,
                coalesce(p_queue.retry_max_backoff_seconds::text, 'null, meaning 600')
            USING ERRCODE = 'FQ212';
    END IF;

    IF p_queue.topic_id IS NOT NULL
       AND NOT EXISTS (SELECT FROM fastqueue.topic WHERE id = p_queue.topic_id) THEN
        RAISE EXCEPTION 'topic "%" does not exist', p_queue.topic_id USING ERRCODE = 'FQ207';
    END IF;

    -- A filter maps attribute names to the non-empty list of values it accepts.
    IF p_queue.message_filters IS NOT NULL AND (
        jsonb_typeof(p_queue.message_filters) <> 'object'
        OR EXISTS (
            SELECT FROM jsonb_each(p_queue.message_filters) AS f (key, accepted)
            WHERE CASE
                WHEN jsonb_typeof(f.accepted) <> 'array' THEN true
                WHEN jsonb_array_length(f.accepted) = 0 THEN true
                ELSE EXISTS (
                    SELECT FROM jsonb_array_elements(f.accepted) AS v (value)
                    WHERE jsonb_typeof(v.value) <> 'string')
            END)) THEN
        RAISE EXCEPTION 'message_filters must map attribute names to lists of strings'
            USING ERRCODE = 'FQ205',
                  HINT = 'For example {"event_name": ["created", "deleted"]}.';
    END IF;

    IF (p_queue.dead_queue_id IS NULL) <> (p_queue.message_max_deliveries IS NULL) THEN
        RAISE EXCEPTION 'dead_queue_id and message_max_deliveries must be given together'
            USING ERRCODE = 'FQ203';
    END IF;
    IF p_queue.dead_queue_id IS NULL THEN
        RETURN;
    END IF;
    PERFORM fastqueue._check_bound('message_max_deliveries', p_queue.message_max_deliveries);
    IF p_queue.dead_queue_id = p_queue.id THEN
        RAISE EXCEPTION 'queue "%" cannot be its own dead queue', p_queue.id
            USING ERRCODE = 'FQ204';
    END IF;
    IF NOT EXISTS (SELECT FROM fastqueue.queue WHERE id = p_queue.dead_queue_id) THEN
        RAISE EXCEPTION 'dead queue "%" does not exist', p_queue.dead_queue_id
            USING ERRCODE = 'FQ208';
    END IF;
    -- Follow the chain of dead queues from the new one; reaching this queue means
    -- a message could be dead-lettered round in a circle. FOR SHARE makes a caller
    -- under REPEATABLE READ fail to serialize rather than miss a newer link.
    v_seen := ARRAY[p_queue.id];
    v_next := p_queue.dead_queue_id;
    WHILE v_next IS NOT NULL AND NOT v_next = ANY (v_seen) LOOP
        v_seen := v_seen || v_next;
        SELECT q.dead_queue_id INTO v_next
        FROM fastqueue.queue AS q
        WHERE q.id = v_next
        FOR SHARE;
    END LOOP;
    IF v_next = p_queue.id THEN
        RAISE EXCEPTION 'dead queue "%" would close a cycle of dead queues through "%"',
                p_queue.dead_queue_id, p_queue.id
            USING ERRCODE = 'FQ204';
    END IF;
END;
$$;


--
-- Name: FUNCTION _check_queue(p_queue fastqueue.queue); Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON FUNCTION fastqueue._check_queue(p_queue fastqueue.queue) IS 'Raises unless the queue definition is valid: FQ201 id, FQ202 bounds, FQ203 dead queue without max deliveries or the reverse, FQ204 own or cyclic dead queue, FQ205 filters, FQ207 unknown topic, FQ208 unknown dead queue, FQ212 a retry back-off whose maximum lacks a minimum or lies below it. The caller holds fastqueue._lock_queue_changes().';


--
-- Name: _check_settle_batch(jsonb, boolean); Type: FUNCTION; Schema: fastqueue; Owner: -
--

CREATE FUNCTION fastqueue._check_settle_batch(p_messages jsonb, p_with_delay boolean DEFAULT false) RETURNS void
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
    v_keys text[] := CASE WHEN p_with_delay THEN ARRAY['id', 'receipt', 'delay_seconds']
                          ELSE ARRAY['id', 'receipt'] END;
    -- How the error describes an item; for an ack, as v1.0.0 did.
    v_shape text := CASE WHEN p_with_delay THEN 'id, receipt and delay_seconds'
                         ELSE 'id and receipt' END;
    v_position bigint;
    v_repeated uuid;
    v_delay integer;
BEGIN
    IF jsonb_typeof(p_messages) IS DISTINCT FROM 'array' THEN
        RAISE EXCEPTION 'messages must be a JSON array' USING ERRCODE = 'FQ206';
    END IF;
    PERFORM fastqueue._check_bound('batch_size', jsonb_array_length(p_messages));

    -- Each item: an object of a message id, an optional receipt and, for a nack, an
    -- optional delay.
    SELECT e.position INTO v_position
    FROM jsonb_array_elements(p_messages) WITH ORDINALITY AS e (item, position)
    WHERE jsonb_typeof(e.item) IS DISTINCT FROM 'object'
       OR jsonb_typeof(e.item -> 'id') IS DISTINCT FROM 'string'
       OR jsonb_typeof(coalesce(e.item -> 'receipt', 'null')) NOT IN ('string', 'null')
       OR jsonb_typeof(coalesce(e.item -> 'delay_seconds', 'null')) NOT IN ('number', 'null')
       OR e.item - v_keys <> '{}'
    ORDER BY e.position
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'message %: must be an object of %', v_position, v_shape
            USING ERRCODE = 'FQ206';
    END IF;

    -- A delay that is not a whole number fails its cast with 22P02.
    FOR v_delay IN
        SELECT (e.item ->> 'delay_seconds')::integer
        FROM jsonb_array_elements(p_messages) AS e (item)
        WHERE e.item ->> 'delay_seconds' IS NOT NULL
    LOOP
        PERFORM fastqueue._check_bound('nack_delay_seconds', v_delay);
    END LOOP;

    -- One outcome per message: two receipts for one id would have two.
    SELECT (e.item ->> 'id')::uuid INTO v_repeated
    FROM jsonb_array_elements(p_messages) AS e (item)
    GROUP BY 1
    HAVING count(*) > 1
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'message "%" appears more than once', v_repeated
            USING ERRCODE = 'FQ206';
    END IF;
END;
$$;


--
-- Name: FUNCTION _check_settle_batch(p_messages jsonb, p_with_delay boolean); Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON FUNCTION fastqueue._check_settle_batch(p_messages jsonb, p_with_delay boolean) IS 'Raises FQ206 unless p_messages is a JSON array of objects {"id": uuid, "receipt": uuid} (receipt optional; with p_with_delay also "delay_seconds", optional) naming each id once, FQ202 for a size outside batch_size or a delay outside nack_delay_seconds, and 22P02 for an id that is not a UUID or a delay that is not an integer.';


--
-- Name: _claim_idempotency_key(text, text, timestamp with time zone, integer); Type: FUNCTION; Schema: fastqueue; Owner: -
--

CREATE FUNCTION fastqueue._claim_idempotency_key(p_topic_id text, p_key text, p_now timestamp with time zone, p_window_seconds integer) RETURNS jsonb
    LANGUAGE plpgsql
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


--
-- Name: FUNCTION _claim_idempotency_key(p_topic_id text, p_key text, p_now timestamp with time zone, p_window_seconds integer); Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON FUNCTION fastqueue._claim_idempotency_key(p_topic_id text, p_key text, p_now timestamp with time zone, p_window_seconds integer) IS 'Returns NULL when this call claimed the key for p_window_seconds (the caller then stores what it creates), or the messages (a JSON array of message_info) that the first publish with this key created. Raises FQ211 for a key that is not 1 to 255 characters and FQ202 for a window outside the idempotency_window_seconds setting.';


--
-- Name: _filter_matches(jsonb, jsonb); Type: FUNCTION; Schema: fastqueue; Owner: -
--

CREATE FUNCTION fastqueue._filter_matches(p_filters jsonb, p_attributes jsonb) RETURNS boolean
    LANGUAGE sql IMMUTABLE
    AS $$
    -- Every key of the filter must be among the attributes, with one of the
    -- listed values. No filter, or {}, takes everything; no attributes match
    -- only such a filter.
    SELECT p_filters IS NULL OR NOT EXISTS (
        SELECT FROM jsonb_each(p_filters) AS f (key, accepted)
        WHERE NOT coalesce(f.accepted ? (p_attributes ->> f.key), false)
    );
$$;


--
-- Name: FUNCTION _filter_matches(p_filters jsonb, p_attributes jsonb); Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON FUNCTION fastqueue._filter_matches(p_filters jsonb, p_attributes jsonb) IS 'True when the filter p_filters ({"name": ["value", ...], ...}) lets a message with attributes p_attributes through: each name present with one of its values.';


--
-- Name: _lock_queue_changes(); Type: FUNCTION; Schema: fastqueue; Owner: -
--

CREATE FUNCTION fastqueue._lock_queue_changes() RETURNS void
    LANGUAGE sql
    AS $$
    -- Held until commit. Two sessions that each add one dead-queue edge could
    -- otherwise close a cycle that neither sees, a patch could undo a concurrent
    -- one, and a delete could miss a reference added meanwhile. Definitions
    -- change rarely; publish, lease and ack never take this lock.
    SELECT pg_advisory_xact_lock(4721000001);
$$;


--
-- Name: FUNCTION _lock_queue_changes(); Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON FUNCTION fastqueue._lock_queue_changes() IS 'Takes the transaction-level advisory lock that every change to a topic or queue definition holds until commit.';


--
-- Name: _move_messages(uuid[], text, timestamp with time zone, text); Type: FUNCTION; Schema: fastqueue; Owner: -
--

CREATE FUNCTION fastqueue._move_messages(p_message_ids uuid[], p_destination_id text, p_now timestamp with time zone, p_dead_lettered_from text DEFAULT NULL::text) RETURNS bigint
    LANGUAGE plpgsql
    AS $$
DECLARE
    v_sources text[];
    v_moved bigint;
    v_delta record;
BEGIN
    -- The id and created_at stay; the delivery count, retention and delivery
    -- delay start over with the destination's settings. A move to a dead queue
    -- records where from and when; any other move clears that record. The caller
    -- locked the rows, so `before` reads the queue each one leaves.
    WITH moved AS (
        UPDATE fastqueue.message AS m
        SET queue_id = q.id,
            delivery_attempts = 0,
            scheduled_at = p_now + make_interval(secs => coalesce(q.delivery_delay_seconds, 0)),
            expired_at = p_now + make_interval(secs => q.message_retention_seconds),
            updated_at = p_now,
            receipt = NULL,
            dead_lettered_from = p_dead_lettered_from,
            dead_lettered_at = CASE WHEN p_dead_lettered_from IS NOT NULL THEN p_now END
        FROM (
            -- A destination being deleted is waited for, then nothing moves.
            SELECT * FROM fastqueue.queue WHERE id = p_destination_id FOR KEY SHARE
        ) AS q,
        fastqueue.message AS before
        WHERE m.id = ANY (p_message_ids)
          AND before.id = m.id
        RETURNING before.queue_id AS source_id
    )
    SELECT array_agg(source_id) INTO v_sources FROM moved;
    v_moved := coalesce(cardinality(v_sources), 0);

    -- No trigger sees a move (an update trigger would tax every lease): the
    -- tallies change here, once per queue, in queue order.
    FOR v_delta IN
        SELECT d.queue_id, sum(d.messages) AS messages
        FROM (
            SELECT s.source_id AS queue_id, -1 AS messages
            FROM unnest(v_sources) AS s (source_id)
            UNION ALL
            SELECT p_destination_id, v_moved
        ) AS d
        GROUP BY d.queue_id
        HAVING sum(d.messages) <> 0
        ORDER BY d.queue_id
    LOOP
        UPDATE fastqueue.queue_tally
        SET messages = messages + v_delta.messages
        WHERE queue_id = v_delta.queue_id AND shard = pg_backend_pid() % 16;
    END LOOP;
    -- Long polls waiting on the destination look again.
    IF v_moved > 0 THEN
        PERFORM fastqueue._wake_queues(ARRAY[p_destination_id]);
    END IF;
    RETURN v_moved;
END;
$$;


--
-- Name: FUNCTION _move_messages(p_message_ids uuid[], p_destination_id text, p_now timestamp with time zone, p_dead_lettered_from text); Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON FUNCTION fastqueue._move_messages(p_message_ids uuid[], p_destination_id text, p_now timestamp with time zone, p_dead_lettered_from text) IS 'Moves the given messages to queue p_destination_id with a fresh delivery count, retention and delivery delay, and moves them between the queue tallies; with p_dead_lettered_from, records a move to a dead queue from that queue. Returns how many moved, and wakes the long polls waiting on the destination. The caller locks the rows.';


--
-- Name: _nack_one(uuid, uuid, timestamp with time zone, integer); Type: FUNCTION; Schema: fastqueue; Owner: -
--

CREATE FUNCTION fastqueue._nack_one(p_message_id uuid, p_receipt uuid, p_now timestamp with time zone, p_delay_seconds integer DEFAULT NULL::integer) RETURNS text
    LANGUAGE plpgsql
    AS $$
DECLARE
    v_message fastqueue.message;
    v_queue fastqueue.queue;
    v_delay_seconds integer;
BEGIN
    SELECT * INTO v_message FROM fastqueue.message WHERE id = p_message_id FOR UPDATE;
    IF NOT FOUND THEN
        RETURN 'unknown';
    END IF;
    IF p_receipt IS NOT NULL AND v_message.receipt IS DISTINCT FROM p_receipt THEN
        RETURN 'stale';
    END IF;
    -- Only a leased message can be given back; a waiting or delayed one stays as is.
    IF v_message.receipt IS NULL OR v_message.scheduled_at <= p_now THEN
        RETURN 'settled';
    END IF;

    SELECT * INTO v_queue FROM fastqueue.queue WHERE id = v_message.queue_id;
    IF v_message.delivery_attempts >= v_queue.message_max_deliveries THEN
        -- Its last delivery failed: no delay holds it back from the dead queue.
        PERFORM fastqueue._move_messages(
            ARRAY[p_message_id], v_queue.dead_queue_id, p_now, v_queue.id);
        RETURN 'settled';
    END IF;

    -- The delay asked for wins over the queue's back-off; without either the message is
    -- visible now. Either way it goes behind the messages already waiting, and without
    -- a receipt it counts as delayed, not leased, until then.
    v_delay_seconds := coalesce(
        p_delay_seconds,
        fastqueue._retry_backoff_seconds(
            v_queue.retry_min_backoff_seconds, v_queue.retry_max_backoff_seconds,
            v_message.delivery_attempts),
        0);
    UPDATE fastqueue.message
    SET scheduled_at = p_now + make_interval(secs => v_delay_seconds),
        updated_at = p_now,
        receipt = NULL
    WHERE id = p_message_id;
    -- Long polls waiting on the queue look again: for the message now, or to learn
    -- when its delay ends.
    PERFORM fastqueue._wake_queues(ARRAY[v_message.queue_id]);
    RETURN 'settled';
END;
$$;


--
-- Name: FUNCTION _nack_one(p_message_id uuid, p_receipt uuid, p_now timestamp with time zone, p_delay_seconds integer); Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON FUNCTION fastqueue._nack_one(p_message_id uuid, p_receipt uuid, p_now timestamp with time zone, p_delay_seconds integer) IS 'Gives a leased message back and returns ''settled'': to its dead queue after its last allowed delivery, else visible again after p_delay_seconds, or without it after the queue''s retry back-off, or at once. A message that is not leased is left alone and also ''settled''. Returns ''unknown'' or ''stale'' (receipt not current) otherwise. The caller checks p_delay_seconds against the nack_delay_seconds setting.';


--
-- Name: _queue_stats(fastqueue.queue, timestamp with time zone); Type: FUNCTION; Schema: fastqueue; Owner: -
--

CREATE FUNCTION fastqueue._queue_stats(p_queue fastqueue.queue, p_now timestamp with time zone) RETURNS fastqueue.queue_stats
    LANGUAGE plpgsql STABLE
    SET plan_cache_mode TO 'force_custom_plan'
    SET max_parallel_workers_per_gather TO '0'
    AS $$
DECLARE
    -- Without a dead queue nothing waits for one: the range of capped messages is empty.
    v_max integer := coalesce(p_queue.message_max_deliveries, 2147483647);
    v_stats fastqueue.queue_stats;
BEGIN
    -- One statement, so one snapshot: the tally and the index ranges agree. The
    -- available messages are the total less the few that are not available, which
    -- index ranges find without reading the backlog.
    WITH hidden AS (
        -- Not visible now: leased (with a receipt) or delayed (without), unless expired.
        -- SLOW: many leased or delayed messages, each read from the table.
        SELECT count(*) FILTER (WHERE m.expired_at > p_now AND m.receipt IS NOT NULL)
                   AS leased,
               count(*) FILTER (WHERE m.expired_at > p_now AND m.receipt IS NULL) AS delayed,
               count(*) FILTER (WHERE m.expired_at <= p_now) AS expired
        FROM fastqueue.message AS m
        WHERE m.queue_id = p_queue.id
          AND m.scheduled_at > p_now
    ), expired AS (
        -- Visible but expired: cleanup has yet to delete them.
        -- SLOW: many expired messages waiting for cleanup, in any queue.
        SELECT count(*) AS expired
        FROM fastqueue.message AS m
        WHERE m.expired_at <= p_now
          AND m.queue_id = p_queue.id
          AND m.scheduled_at <= p_now
    ), capped AS (
        -- Visible, used up their deliveries: they wait for the dead queue.
        -- SLOW: many such messages (leases that lapsed at the last allowed delivery).
        SELECT count(*) AS capped
        FROM fastqueue.message AS m
        WHERE m.queue_id = p_queue.id
          AND m.delivery_attempts > 0
          AND m.delivery_attempts >= v_max
          AND m.scheduled_at <= p_now
          AND m.expired_at > p_now
    ), oldest_available AS (
        -- SLOW: many unavailable messages older than the oldest available one.
        SELECT min(o.created_at) AS created_at
        FROM (
            SELECT m.created_at
            FROM fastqueue.message AS m
            WHERE m.queue_id = p_queue.id
              AND m.scheduled_at <= p_now
              AND m.expired_at > p_now
              AND m.delivery_attempts < v_max
            ORDER BY m.created_at
            LIMIT 1
        ) AS o
    ), oldest AS (
        SELECT min(o.created_at) AS created_at
        FROM (
            SELECT m.created_at
            FROM fastqueue.message AS m
            WHERE m.queue_id = p_queue.id
              AND m.expired_at > p_now
            ORDER BY m.created_at
            LIMIT 1
        ) AS o
    )
    SELECT coalesce(t.messages, 0) - h.leased - h.delayed - h.expired - e.expired - c.capped,
           coalesce(floor(extract(epoch FROM p_now - a.created_at)), 0),
           h.leased,
           h.delayed,
           c.capped,
           coalesce(floor(extract(epoch FROM p_now - o.created_at)), 0)
    INTO v_stats
    FROM (
        SELECT sum(qt.messages) AS messages
        FROM fastqueue.queue_tally AS qt
        WHERE qt.queue_id = p_queue.id
    ) AS t
    CROSS JOIN hidden AS h
    CROSS JOIN expired AS e
    CROSS JOIN capped AS c
    CROSS JOIN oldest_available AS a
    CROSS JOIN oldest AS o;
    RETURN v_stats;
END;
$$;


--
-- Name: FUNCTION _queue_stats(p_queue fastqueue.queue, p_now timestamp with time zone); Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON FUNCTION fastqueue._queue_stats(p_queue fastqueue.queue, p_now timestamp with time zone) IS 'Returns the stats of a queue at p_now: its tally less the messages not available (leased, delayed, expired, waiting for the dead queue), found by index ranges, and the age in whole seconds of the oldest available and of the oldest unexpired message.';


--
-- Name: _replace_queue(fastqueue.queue); Type: FUNCTION; Schema: fastqueue; Owner: -
--

CREATE FUNCTION fastqueue._replace_queue(p_queue fastqueue.queue) RETURNS fastqueue.queue
    LANGUAGE plpgsql
    AS $$
DECLARE
    v_queue fastqueue.queue;
BEGIN
    PERFORM fastqueue._lock_queue_changes();
    -- Under REPEATABLE READ, a row changed since the snapshot raises a
    -- serialization failure here rather than being overwritten.
    PERFORM FROM fastqueue.queue WHERE id = p_queue.id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'queue "%" not found', p_queue.id USING ERRCODE = 'FQ002';
    END IF;
    PERFORM fastqueue._check_queue(p_queue);

    UPDATE fastqueue.queue
    SET topic_id = p_queue.topic_id,
        dead_queue_id = p_queue.dead_queue_id,
        ack_deadline_seconds = p_queue.ack_deadline_seconds,
        message_retention_seconds = p_queue.message_retention_seconds,
        message_filters = p_queue.message_filters,
        message_max_deliveries = p_queue.message_max_deliveries,
        delivery_delay_seconds = p_queue.delivery_delay_seconds,
        retry_min_backoff_seconds = p_queue.retry_min_backoff_seconds,
        retry_max_backoff_seconds = p_queue.retry_max_backoff_seconds,
        updated_at = clock_timestamp()
    WHERE id = p_queue.id
    RETURNING * INTO v_queue;
    RETURN v_queue;
END;
$$;


--
-- Name: FUNCTION _replace_queue(p_queue fastqueue.queue); Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON FUNCTION fastqueue._replace_queue(p_queue fastqueue.queue) IS 'Replaces the definition of queue p_queue.id, keeping created_at. Raises FQ002 if it does not exist, and what fastqueue._check_queue raises.';


--
-- Name: _retry_backoff_seconds(integer, integer, integer); Type: FUNCTION; Schema: fastqueue; Owner: -
--

CREATE FUNCTION fastqueue._retry_backoff_seconds(p_min_seconds integer, p_max_seconds integer, p_delivery_attempts integer) RETURNS integer
    LANGUAGE sql IMMUTABLE
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


--
-- Name: FUNCTION _retry_backoff_seconds(p_min_seconds integer, p_max_seconds integer, p_delivery_attempts integer); Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON FUNCTION fastqueue._retry_backoff_seconds(p_min_seconds integer, p_max_seconds integer, p_delivery_attempts integer) IS 'Seconds a message nacked after p_delivery_attempts deliveries waits: min(p_max_seconds, p_min_seconds * 2^(p_delivery_attempts - 1)), with 600 for a NULL p_max_seconds; NULL when p_min_seconds is NULL (no back-off).';


--
-- Name: _tally_changed(); Type: FUNCTION; Schema: fastqueue; Owner: -
--

CREATE FUNCTION fastqueue._tally_changed() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    -- Most statements touch one queue, so one row. A fan-out locks a row per queue in
    -- the order of the plan, which two statements of one shard share unless their
    -- plans differ; PostgreSQL would then break the deadlock by failing one of them.
    UPDATE fastqueue.queue_tally AS t
    SET messages = t.messages + d.messages
    FROM (
        SELECT c.queue_id,
               CASE TG_OP WHEN 'INSERT' THEN count(*) ELSE -count(*) END AS messages
        FROM changed AS c
        GROUP BY c.queue_id
        ORDER BY c.queue_id
    ) AS d
    WHERE t.queue_id = d.queue_id AND t.shard = pg_backend_pid() % 16;
    RETURN NULL;
END;
$$;


--
-- Name: FUNCTION _tally_changed(); Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON FUNCTION fastqueue._tally_changed() IS 'Trigger: adds the messages a statement inserted to, or deleted from, each queue''s tally, in the shard of the session; skipped where the caller counts them itself.';


--
-- Name: _tally_new_queue(); Type: FUNCTION; Schema: fastqueue; Owner: -
--

CREATE FUNCTION fastqueue._tally_new_queue() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    INSERT INTO fastqueue.queue_tally (queue_id, shard)
    SELECT NEW.id, s FROM generate_series(0, 15) AS s;
    RETURN NULL;
END;
$$;


--
-- Name: FUNCTION _tally_new_queue(); Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON FUNCTION fastqueue._tally_new_queue() IS 'Trigger: gives a new queue its 16 tally rows, at zero.';


--
-- Name: _tally_queue_changed(); Type: FUNCTION; Schema: fastqueue; Owner: -
--

CREATE FUNCTION fastqueue._tally_queue_changed() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    CASE TG_OP
        WHEN 'TRUNCATE' THEN
            DELETE FROM fastqueue.queue_tally;
        WHEN 'DELETE' THEN
            DELETE FROM fastqueue.queue_tally WHERE queue_id = OLD.id;
        ELSE
            UPDATE fastqueue.queue_tally SET queue_id = NEW.id WHERE queue_id = OLD.id;
    END CASE;
    RETURN NULL;
END;
$$;


--
-- Name: FUNCTION _tally_queue_changed(); Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON FUNCTION fastqueue._tally_queue_changed() IS 'Trigger: a queue''s tally rows go with it when it is deleted (or the queues are truncated), so that a queue created later with the same id starts at zero, and take its new id when it is renamed.';


--
-- Name: _tally_truncated(); Type: FUNCTION; Schema: fastqueue; Owner: -
--

CREATE FUNCTION fastqueue._tally_truncated() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    UPDATE fastqueue.queue_tally SET messages = 0 WHERE messages <> 0;
    RETURN NULL;
END;
$$;


--
-- Name: FUNCTION _tally_truncated(); Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON FUNCTION fastqueue._tally_truncated() IS 'Trigger: a truncated message table leaves every queue at zero.';


--
-- Name: _wake_queues(text[]); Type: FUNCTION; Schema: fastqueue; Owner: -
--

CREATE FUNCTION fastqueue._wake_queues(p_queue_ids text[]) RETURNS integer
    LANGUAGE plpgsql
    AS $$
DECLARE
    v_notified integer;
BEGIN
    PERFORM FROM fastqueue.queue WHERE id = ANY (p_queue_ids) ORDER BY id FOR KEY SHARE;
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        SELECT count(pg_notify('fastqueue_wake', q.id)) INTO v_notified
        FROM (SELECT DISTINCT unnest(p_queue_ids) AS id) AS q;
        RETURN v_notified;
    END IF;

    WITH seen AS (
        SELECT w.queue_id, w.listener_pid
        FROM fastqueue.queue_waiter AS w
        WHERE w.queue_id = ANY (p_queue_ids) AND w.armed
    ), locked AS (
        SELECT w.queue_id, w.listener_pid
        FROM fastqueue.queue_waiter AS w
        JOIN seen AS s ON s.queue_id = w.queue_id AND s.listener_pid = w.listener_pid
        WHERE w.armed
        FOR UPDATE OF w SKIP LOCKED
    ), disarmed AS (
        UPDATE fastqueue.queue_waiter AS w
        SET armed = false
        FROM locked AS l
        WHERE w.queue_id = l.queue_id AND w.listener_pid = l.listener_pid
    )
    SELECT count(pg_notify('fastqueue_wake', s.queue_id)) INTO v_notified
    FROM (SELECT DISTINCT queue_id FROM seen) AS s;
    RETURN v_notified;
END;
$$;


--
-- Name: FUNCTION _wake_queues(p_queue_ids text[]); Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON FUNCTION fastqueue._wake_queues(p_queue_ids text[]) IS 'Private: notifies channel fastqueue_wake (payload: the queue id) for each of the queues that has an armed waiter, and disarms those waiters; holds the queues FOR KEY SHARE until commit. Returns the number of queues notified. Raises nothing.';


--
-- Name: _wake_waiters(text, jsonb); Type: FUNCTION; Schema: fastqueue; Owner: -
--

CREATE FUNCTION fastqueue._wake_waiters(p_topic_id text, p_messages jsonb) RETURNS integer
    LANGUAGE plpgsql
    AS $$
DECLARE
    v_every boolean := current_setting('transaction_isolation') <> 'read committed';
    v_queue_ids text[];
BEGIN
    -- The common case, and the cheapest look: nobody waits on any queue.
    IF NOT v_every AND NOT EXISTS (SELECT FROM fastqueue.queue_waiter WHERE armed) THEN
        RETURN 0;
    END IF;
    -- MATERIALIZED: look for armed waiters first, match filters only for those.
    WITH armed AS MATERIALIZED (
        SELECT q.id, q.message_filters
        FROM fastqueue.queue AS q
        WHERE q.topic_id = p_topic_id
          AND (v_every OR EXISTS (
              SELECT FROM fastqueue.queue_waiter AS w WHERE w.queue_id = q.id AND w.armed))
    )
    SELECT array_agg(a.id) INTO v_queue_ids
    FROM armed AS a
    WHERE a.message_filters IS NULL
       OR EXISTS (
           SELECT FROM jsonb_array_elements(p_messages) AS e (message)
           WHERE fastqueue._filter_matches(
               a.message_filters, nullif(e.message -> 'attributes', 'null')));
    IF v_queue_ids IS NULL THEN
        RETURN 0;
    END IF;
    RETURN fastqueue._wake_queues(v_queue_ids);
END;
$$;


--
-- Name: FUNCTION _wake_waiters(p_topic_id text, p_messages jsonb); Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON FUNCTION fastqueue._wake_waiters(p_topic_id text, p_messages jsonb) IS 'Private: notifies channel fastqueue_wake (payload: the queue id) for each queue of the topic that has an armed waiter and takes one of the messages, and disarms those waiters (see fastqueue._wake_queues). Returns the number of queues notified. Raises nothing.';


--
-- Name: ack(uuid, uuid); Type: FUNCTION; Schema: fastqueue; Owner: -
--

CREATE FUNCTION fastqueue.ack(p_message_id uuid, p_receipt uuid DEFAULT NULL::uuid) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'fastqueue', 'pg_temp'
    SET plan_cache_mode TO 'force_generic_plan'
    SET enable_seqscan TO 'off'
    AS $$
DECLARE
    v_queue_id text;
BEGIN
    -- The delete counts the message out of its queue's tally itself, and the tally
    -- triggers skip it. The update is a statement of its own: the message may have
    -- moved, while the delete waited for its lock, to a queue created after the
    -- delete's snapshot, whose tally rows only a new snapshot sees.
    PERFORM set_config('fastqueue.tally_by_caller', 'on', true);
    DELETE FROM fastqueue.message
    WHERE id = p_message_id
      AND (p_receipt IS NULL OR receipt = p_receipt)
    RETURNING queue_id INTO v_queue_id;
    PERFORM set_config('fastqueue.tally_by_caller', 'off', true);
    IF v_queue_id IS NOT NULL THEN
        UPDATE fastqueue.queue_tally
        SET messages = messages - 1
        WHERE queue_id = v_queue_id AND shard = pg_backend_pid() % 16;
        RETURN;
    END IF;
    PERFORM FROM fastqueue.message WHERE id = p_message_id;
    IF FOUND THEN
        RAISE EXCEPTION 'the receipt of message "%" is stale', p_message_id
            USING ERRCODE = 'FQ103',
                  HINT = 'The message was given back or leased again after this receipt.';
    END IF;
    RAISE EXCEPTION 'message "%" not found', p_message_id USING ERRCODE = 'FQ003';
END;
$$;


--
-- Name: FUNCTION ack(p_message_id uuid, p_receipt uuid); Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON FUNCTION fastqueue.ack(p_message_id uuid, p_receipt uuid) IS 'Acknowledges a message: it is done and deleted. With p_receipt, only if that receipt is the message''s current one. Raises FQ003 for an unknown message (never published, already acked, expired or purged) and FQ103 for a stale receipt.';


--
-- Name: ack_batch(jsonb); Type: FUNCTION; Schema: fastqueue; Owner: -
--

CREATE FUNCTION fastqueue.ack_batch(p_messages jsonb) RETURNS fastqueue.settle_result
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'fastqueue', 'pg_temp'
    SET plan_cache_mode TO 'force_generic_plan'
    SET enable_seqscan TO 'off'
    AS $$
DECLARE
    v_result fastqueue.settle_result;
    v_queue_ids text[];
    v_counts bigint[];
    v_ids uuid[];
BEGIN
    PERFORM fastqueue._check_settle_batch(p_messages);
    -- The ids again as an array, which the statement looks up in the primary key
    -- whatever the planner believes of the table's size.
    v_ids := ARRAY(
        SELECT (e.item ->> 'id')::uuid FROM jsonb_array_elements(p_messages) AS e (item));

    -- ---- one statement ---------------------------------------------------------
    -- It deletes the messages and counts them by queue (the tally triggers skip
    -- it; the tallies change below). Rows are locked in id order, as nack_batch locks
    -- them, so that batches with common messages never deadlock. What was not
    -- deleted either still exists (the receipt was stale) or did not exist when
    -- the statement started (unknown).
    PERFORM set_config('fastqueue.tally_by_caller', 'on', true);
    WITH wanted AS (
        SELECT (e.item ->> 'id')::uuid AS id, (e.item ->> 'receipt')::uuid AS receipt
        FROM jsonb_array_elements(p_messages) AS e (item)
    ), locked AS MATERIALIZED (
        SELECT m.id
        FROM fastqueue.message AS m
        JOIN wanted AS w ON w.id = m.id
        WHERE m.id = ANY (v_ids)
          AND (w.receipt IS NULL OR m.receipt = w.receipt)
        ORDER BY m.id
        FOR UPDATE OF m
    ), acked AS (
        DELETE FROM fastqueue.message AS m
        USING locked AS l
        WHERE m.id = l.id AND m.id = ANY (v_ids)
        RETURNING m.id, m.queue_id
    ), counted AS (
        SELECT array_agg(n.queue_id ORDER BY n.queue_id) AS queue_ids,
               array_agg(n.messages ORDER BY n.queue_id) AS messages
        FROM (
            SELECT a.queue_id, count(*) AS messages FROM acked AS a GROUP BY a.queue_id
        ) AS n
    )
    SELECT coalesce(array_agg(w.id ORDER BY w.id) FILTER (WHERE a.id IS NOT NULL), '{}'),
           coalesce(array_agg(w.id ORDER BY w.id) FILTER (
               WHERE a.id IS NULL AND m.id IS NULL), '{}'),
           coalesce(array_agg(w.id ORDER BY w.id) FILTER (
               WHERE a.id IS NULL AND m.id IS NOT NULL), '{}'),
           (SELECT c.queue_ids FROM counted AS c),
           (SELECT c.messages FROM counted AS c)
    INTO v_result.settled, v_result.unknown, v_result.stale, v_queue_ids, v_counts
    FROM wanted AS w
    LEFT JOIN acked AS a ON a.id = w.id
    LEFT JOIN fastqueue.message AS m ON m.id = w.id AND m.id = ANY (v_ids);
    PERFORM set_config('fastqueue.tally_by_caller', 'off', true);

    -- The tallies change in a statement of its own: a message may have moved, while
    -- the delete waited for its lock, to a queue created after the delete's snapshot,
    -- whose tally rows only a new snapshot sees.
    UPDATE fastqueue.queue_tally AS t
    SET messages = t.messages - n.messages
    FROM unnest(v_queue_ids, v_counts) AS n (queue_id, messages)
    WHERE t.queue_id = n.queue_id AND t.shard = pg_backend_pid() % 16;
    RETURN v_result;
END;
$$;


--
-- Name: FUNCTION ack_batch(p_messages jsonb); Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON FUNCTION fastqueue.ack_batch(p_messages jsonb) IS 'Acknowledges 1 to batch_size messages given as a JSON array of {"id": uuid, "receipt": uuid} (receipt optional) and returns which were settled, unknown, or refused because the receipt was stale, each list ordered by id; one bad id does not stop the others. Raises FQ206 for a body that is not an array of such objects or that names a message twice, FQ202 for a size out of bounds and 22P02 for a value that is not a UUID.';


--
-- Name: cleanup(integer); Type: FUNCTION; Schema: fastqueue; Owner: -
--

CREATE FUNCTION fastqueue.cleanup(p_batch_size integer DEFAULT 1000) RETURNS fastqueue.cleanup_result
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'fastqueue', 'pg_temp'
    AS $$
DECLARE
    v_now timestamptz := clock_timestamp();
    v_expired bigint;
    v_dead_lettered bigint := 0;
    v_queue fastqueue.queue;
    v_capped uuid[];
BEGIN
    PERFORM fastqueue._check_bound('cleanup_batch_size', p_batch_size);

    -- Expired messages go, leased or not. SKIP LOCKED lets a concurrent cleanup
    -- or lease go on; what it holds is caught by the next batch.
    WITH expired AS MATERIALIZED (
        SELECT m.id
        FROM fastqueue.message AS m
        WHERE m.expired_at <= v_now
        ORDER BY m.expired_at
        LIMIT p_batch_size
        FOR UPDATE SKIP LOCKED
    )
    DELETE FROM fastqueue.message AS m
    USING expired
    WHERE m.id = expired.id;
    GET DIAGNOSTICS v_expired = ROW_COUNT;

    -- Messages that used up their deliveries and are not leased go to their dead
    -- queue, up to one batch in all. Only delivered messages can be capped: saying
    -- so lets the scan use the index of redelivered messages, not the backlog.
    FOR v_queue IN
        SELECT * FROM fastqueue.queue WHERE message_max_deliveries IS NOT NULL ORDER BY id
    LOOP
        EXIT WHEN v_dead_lettered >= p_batch_size;
        SELECT array_agg(c.id) INTO v_capped
        FROM (
            SELECT m.id
            FROM fastqueue.message AS m
            WHERE m.queue_id = v_queue.id
              AND m.scheduled_at <= v_now
              AND m.expired_at > v_now
              AND m.delivery_attempts > 0
              AND m.delivery_attempts >= v_queue.message_max_deliveries
            ORDER BY m.scheduled_at, m.seq
            LIMIT p_batch_size - v_dead_lettered
            FOR UPDATE SKIP LOCKED
        ) AS c;
        IF v_capped IS NOT NULL THEN
            v_dead_lettered := v_dead_lettered
                + fastqueue._move_messages(
                    v_capped, v_queue.dead_queue_id, v_now, v_queue.id);
        END IF;
    END LOOP;

    -- Idempotency keys whose window has passed are forgotten.
    DELETE FROM fastqueue.idempotency_key AS k
    USING (
        SELECT topic_id, key
        FROM fastqueue.idempotency_key
        WHERE expired_at <= v_now
        ORDER BY expired_at
        LIMIT p_batch_size
        FOR UPDATE SKIP LOCKED
    ) AS old
    WHERE k.topic_id = old.topic_id AND k.key = old.key;

    -- Long-poll waiters of API processes that died without saying goodbye.
    PERFORM fastqueue.forget_stale_waiters();

    RETURN ROW(v_expired, v_dead_lettered)::fastqueue.cleanup_result;
END;
$$;


--
-- Name: FUNCTION cleanup(p_batch_size integer); Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON FUNCTION fastqueue.cleanup(p_batch_size integer) IS 'Runs one batch of upkeep: deletes up to p_batch_size expired messages and moves up to p_batch_size messages that used up their deliveries (and are not leased) to their dead queue, forgets up to p_batch_size idempotency keys whose window has passed and the long-poll waiters of listeners that are gone; returns the first two counts. Safe to run concurrently. Raises FQ202 for a batch size outside the cleanup_batch_size setting.';


--
-- Name: create_queue(text, text, text, integer, integer, jsonb, integer, integer, integer, integer); Type: FUNCTION; Schema: fastqueue; Owner: -
--

CREATE FUNCTION fastqueue.create_queue(p_queue_id text, p_topic_id text DEFAULT NULL::text, p_dead_queue_id text DEFAULT NULL::text, p_ack_deadline_seconds integer DEFAULT 30, p_message_retention_seconds integer DEFAULT 1209600, p_message_filters jsonb DEFAULT NULL::jsonb, p_message_max_deliveries integer DEFAULT NULL::integer, p_delivery_delay_seconds integer DEFAULT NULL::integer, p_retry_min_backoff_seconds integer DEFAULT NULL::integer, p_retry_max_backoff_seconds integer DEFAULT NULL::integer) RETURNS fastqueue.queue
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'fastqueue', 'pg_temp'
    AS $$
DECLARE
    v_queue fastqueue.queue;
BEGIN
    v_queue.id := p_queue_id;
    v_queue.topic_id := p_topic_id;
    v_queue.dead_queue_id := p_dead_queue_id;
    v_queue.ack_deadline_seconds := p_ack_deadline_seconds;
    v_queue.message_retention_seconds := p_message_retention_seconds;
    v_queue.message_filters := p_message_filters;
    v_queue.message_max_deliveries := p_message_max_deliveries;
    v_queue.delivery_delay_seconds := p_delivery_delay_seconds;
    v_queue.retry_min_backoff_seconds := p_retry_min_backoff_seconds;
    v_queue.retry_max_backoff_seconds := p_retry_max_backoff_seconds;
    v_queue.created_at := clock_timestamp();
    v_queue.updated_at := v_queue.created_at;

    PERFORM fastqueue._lock_queue_changes();
    PERFORM fastqueue._check_queue(v_queue);

    INSERT INTO fastqueue.queue
    SELECT (v_queue).*
    ON CONFLICT (id) DO NOTHING
    RETURNING * INTO v_queue;

    IF NOT FOUND THEN
        RAISE EXCEPTION 'queue "%" already exists', p_queue_id USING ERRCODE = 'FQ102';
    END IF;
    RETURN v_queue;
END;
$$;


--
-- Name: FUNCTION create_queue(p_queue_id text, p_topic_id text, p_dead_queue_id text, p_ack_deadline_seconds integer, p_message_retention_seconds integer, p_message_filters jsonb, p_message_max_deliveries integer, p_delivery_delay_seconds integer, p_retry_min_backoff_seconds integer, p_retry_max_backoff_seconds integer); Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON FUNCTION fastqueue.create_queue(p_queue_id text, p_topic_id text, p_dead_queue_id text, p_ack_deadline_seconds integer, p_message_retention_seconds integer, p_message_filters jsonb, p_message_max_deliveries integer, p_delivery_delay_seconds integer, p_retry_min_backoff_seconds integer, p_retry_max_backoff_seconds integer) IS 'Creates a queue and returns it. Raises FQ102 if it exists, and what fastqueue._check_queue raises for an invalid definition (FQ201-FQ208, FQ212).';


--
-- Name: topic; Type: TABLE; Schema: fastqueue; Owner: -
--

CREATE TABLE fastqueue.topic (
    id text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT topic_id_format_check CHECK (((id ~ '^[-a-zA-Z0-9._]{1,128}$'::text) AND (id <> ALL (ARRAY['.'::text, '..'::text]))))
);


--
-- Name: TABLE topic; Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON TABLE fastqueue.topic IS 'A named resource to which messages are published.';


--
-- Name: create_topic(text); Type: FUNCTION; Schema: fastqueue; Owner: -
--

CREATE FUNCTION fastqueue.create_topic(p_topic_id text) RETURNS fastqueue.topic
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'fastqueue', 'pg_temp'
    AS $$
DECLARE
    v_topic fastqueue.topic;
BEGIN
    PERFORM fastqueue._check_id('topic', p_topic_id);

    INSERT INTO fastqueue.topic (id, created_at)
    VALUES (p_topic_id, clock_timestamp())
    ON CONFLICT (id) DO NOTHING
    RETURNING * INTO v_topic;

    IF NOT FOUND THEN
        RAISE EXCEPTION 'topic "%" already exists', p_topic_id USING ERRCODE = 'FQ101';
    END IF;
    RETURN v_topic;
END;
$$;


--
-- Name: FUNCTION create_topic(p_topic_id text); Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON FUNCTION fastqueue.create_topic(p_topic_id text) IS 'Creates a topic and returns it. Raises FQ201 for an invalid id, FQ101 if it exists.';


--
-- Name: delete_queue(text); Type: FUNCTION; Schema: fastqueue; Owner: -
--

CREATE FUNCTION fastqueue.delete_queue(p_queue_id text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'fastqueue', 'pg_temp'
    AS $$
DECLARE
    v_freed text[];
BEGIN
    PERFORM fastqueue._lock_queue_changes();
    -- Queues that dead-letter into this one stop doing so; their capped messages
    -- become deliverable again rather than being dropped.
    WITH detached AS (
        UPDATE fastqueue.queue
        SET dead_queue_id = NULL,
            message_max_deliveries = NULL,
            updated_at = clock_timestamp()
        WHERE dead_queue_id = p_queue_id
        RETURNING id
    )
    SELECT array_agg(id) INTO v_freed FROM detached;

    -- Long polls waiting on the queue learn at once that it is gone, and those
    -- waiting on the detached queues find their freed messages.
    PERFORM fastqueue._wake_queues(p_queue_id || coalesce(v_freed, '{}'));

    -- The queue's messages go with it (foreign key ON DELETE CASCADE).
    DELETE FROM fastqueue.queue WHERE id = p_queue_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'queue "%" not found', p_queue_id USING ERRCODE = 'FQ002';
    END IF;
END;
$$;


--
-- Name: FUNCTION delete_queue(p_queue_id text); Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON FUNCTION fastqueue.delete_queue(p_queue_id text) IS 'Deletes a queue and its messages, and detaches it from queues that used it as their dead queue (clearing their message_max_deliveries), and wakes the long polls of all these queues. Raises FQ002 for an unknown queue.';


--
-- Name: delete_topic(text); Type: FUNCTION; Schema: fastqueue; Owner: -
--

CREATE FUNCTION fastqueue.delete_topic(p_topic_id text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'fastqueue', 'pg_temp'
    AS $$
BEGIN
    PERFORM fastqueue._lock_queue_changes();
    -- The topic's queues stay, detached, with their messages.
    UPDATE fastqueue.queue
    SET topic_id = NULL, updated_at = clock_timestamp()
    WHERE topic_id = p_topic_id;
    DELETE FROM fastqueue.topic WHERE id = p_topic_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'topic "%" not found', p_topic_id USING ERRCODE = 'FQ001';
    END IF;
    -- A topic created later under the same id starts with no idempotency keys.
    DELETE FROM fastqueue.idempotency_key WHERE topic_id = p_topic_id;
END;
$$;


--
-- Name: FUNCTION delete_topic(p_topic_id text); Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON FUNCTION fastqueue.delete_topic(p_topic_id text) IS 'Deletes a topic and its idempotency keys; its queues stay, detached, with their messages. Raises FQ001 if there is no such topic.';


--
-- Name: forget_stale_waiters(); Type: FUNCTION; Schema: fastqueue; Owner: -
--

CREATE FUNCTION fastqueue.forget_stale_waiters() RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'fastqueue', 'pg_temp'
    AS $$
DECLARE
    v_forgotten integer;
BEGIN
    DELETE FROM fastqueue.queue_waiter AS w
    WHERE NOT EXISTS (
        SELECT FROM pg_catalog.pg_stat_activity AS a WHERE a.pid = w.listener_pid);
    GET DIAGNOSTICS v_forgotten = ROW_COUNT;
    RETURN v_forgotten;
END;
$$;


--
-- Name: FUNCTION forget_stale_waiters(); Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON FUNCTION fastqueue.forget_stale_waiters() IS 'Deletes the long-polling waiters whose listener backend no longer exists; returns how many. Raises nothing.';


--
-- Name: get_message(uuid); Type: FUNCTION; Schema: fastqueue; Owner: -
--

CREATE FUNCTION fastqueue.get_message(p_message_id uuid) RETURNS fastqueue.message_info
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'fastqueue', 'pg_temp'
    AS $$
DECLARE
    v_message fastqueue.message_info;
BEGIN
    SELECT m.id, m.queue_id, m.data, m.attributes, m.delivery_attempts,
           m.expired_at, m.scheduled_at, m.created_at, m.updated_at,
           NULL::uuid, m.dead_lettered_from, m.dead_lettered_at
    INTO v_message
    FROM fastqueue.message AS m
    WHERE m.id = p_message_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'message "%" not found', p_message_id USING ERRCODE = 'FQ003';
    END IF;
    RETURN v_message;
END;
$$;


--
-- Name: FUNCTION get_message(p_message_id uuid); Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON FUNCTION fastqueue.get_message(p_message_id uuid) IS 'Returns one message without leasing it (its receipt is not shown). Raises FQ003 for an unknown message.';


--
-- Name: get_metrics(); Type: FUNCTION; Schema: fastqueue; Owner: -
--

CREATE FUNCTION fastqueue.get_metrics() RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'fastqueue', 'pg_temp'
    AS $$
DECLARE
    v_now timestamptz := clock_timestamp();
    v_queues jsonb;
    v_cleanup jsonb;
BEGIN
    -- The gauges of each queue are its stats, as get_queue_stats gives them, all read
    -- in one statement at one instant. Expired messages count nowhere: cleanup is
    -- about to delete them.
    SELECT coalesce(jsonb_agg(jsonb_build_object(
               'queue_id', q.id,
               'available', s.num_undelivered_messages,
               'leased', s.num_leased_messages,
               'delayed', s.num_delayed_messages,
               'dead_letter_pending', s.num_dead_letter_pending_messages,
               'oldest_available_age_seconds', s.oldest_unacked_message_age_seconds,
               'oldest_age_seconds', s.oldest_message_age_seconds
           ) ORDER BY q.id), '[]')
    INTO v_queues
    FROM fastqueue.queue AS q
    CROSS JOIN LATERAL fastqueue._queue_stats(q, v_now) AS s;

    SELECT to_jsonb(s) - 'id' INTO v_cleanup FROM fastqueue.cleanup_status AS s;

    RETURN jsonb_build_object('queues', v_queues, 'cleanup', v_cleanup);
END;
$$;


--
-- Name: FUNCTION get_metrics(); Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON FUNCTION fastqueue.get_metrics() IS 'Returns {"queues": [...], "cleanup": ...}: for each queue its stats as get_queue_stats gives them (messages available, leased, delayed and waiting for the dead queue, the age in seconds of the oldest available one and of the oldest of any kind); and what the last cleanup run did and when it finished (null if none has run). Reads a few index ranges per queue: run it under a statement timeout.';


--
-- Name: get_queue(text); Type: FUNCTION; Schema: fastqueue; Owner: -
--

CREATE FUNCTION fastqueue.get_queue(p_queue_id text) RETURNS fastqueue.queue
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'fastqueue', 'pg_temp'
    AS $$
DECLARE
    v_queue fastqueue.queue;
BEGIN
    SELECT * INTO v_queue FROM fastqueue.queue WHERE id = p_queue_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'queue "%" not found', p_queue_id USING ERRCODE = 'FQ002';
    END IF;
    RETURN v_queue;
END;
$$;


--
-- Name: FUNCTION get_queue(p_queue_id text); Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON FUNCTION fastqueue.get_queue(p_queue_id text) IS 'Returns one queue. Raises FQ002 if there is none with that id.';


--
-- Name: get_queue_stats(text); Type: FUNCTION; Schema: fastqueue; Owner: -
--

CREATE FUNCTION fastqueue.get_queue_stats(p_queue_id text) RETURNS fastqueue.queue_stats
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'fastqueue', 'pg_temp'
    AS $$
DECLARE
    v_queue fastqueue.queue;
BEGIN
    SELECT * INTO v_queue FROM fastqueue.queue WHERE id = p_queue_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'queue "%" not found', p_queue_id USING ERRCODE = 'FQ002';
    END IF;
    RETURN fastqueue._queue_stats(v_queue, clock_timestamp());
END;
$$;


--
-- Name: FUNCTION get_queue_stats(p_queue_id text); Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON FUNCTION fastqueue.get_queue_stats(p_queue_id text) IS 'Returns the number of messages of a queue available now (not leased, delayed, expired or waiting for the dead queue) and the age in whole seconds of the oldest of them, from its created_at (0 and 0 when there are none); then how many are leased, delayed and waiting for the dead queue, and the age of the oldest unexpired message of any kind (0 when none). Counts come from the queue''s tally, not from a scan of its backlog. Raises FQ002 for an unknown queue.';


--
-- Name: get_topic(text); Type: FUNCTION; Schema: fastqueue; Owner: -
--

CREATE FUNCTION fastqueue.get_topic(p_topic_id text) RETURNS fastqueue.topic
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'fastqueue', 'pg_temp'
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


--
-- Name: FUNCTION get_topic(p_topic_id text); Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON FUNCTION fastqueue.get_topic(p_topic_id text) IS 'Returns one topic. Raises FQ001 if there is none with that id.';


--
-- Name: lease(text, integer); Type: FUNCTION; Schema: fastqueue; Owner: -
--

CREATE FUNCTION fastqueue.lease(p_queue_id text, p_limit integer DEFAULT 10) RETURNS SETOF fastqueue.message_info
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'fastqueue', 'pg_temp'
    SET plan_cache_mode TO 'force_generic_plan'
    SET enable_seqscan TO 'off'
    SET enable_sort TO 'off'
    AS $_$
DECLARE
    v_now timestamptz := clock_timestamp();
    v_queue fastqueue.queue;
    v_capped uuid[];
    v_ids uuid[];
    v_first timestamptz;
    -- This session's hint (see below): until when it holds, where to start, and for
    -- which queue.
    v_hint text[] := string_to_array(current_setting('fastqueue.lease_hint', true), ',');
    v_from timestamptz := '-infinity';
BEGIN
    PERFORM fastqueue._check_bound('lease_limit', p_limit);
    SELECT * INTO v_queue FROM fastqueue.queue WHERE id = p_queue_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'queue "%" not found', p_queue_id USING ERRCODE = 'FQ002';
    END IF;

    -- ---- where to start looking ------------------------------------------------
    -- Every lease moves its messages' index entries, and every ack deletes one: the
    -- old entries stay at the head of the queue's index until vacuum, and a lease
    -- that starts at the head walks all of them (0.4 ms per lease of 10 after a few
    -- seconds of 15,000 leases/s). So a session remembers, for one second and one
    -- queue, the oldest scheduled time its leases found, and starts there. A message
    -- behind that point can only be one that another lease had locked and then
    -- rolled back, or one that a slow publish committed late: it waits at most the
    -- second until the session looks from the head again. A lease that finds
    -- nothing from the remembered point looks from the head at once, so an empty
    -- answer always means an empty queue (long polling relies on that).
    -- The times are kept as seconds since the epoch, whatever the session's DateStyle;
    -- a millisecond off the start covers their rounding. A hint that does not parse,
    -- or ends more than a second ahead (the clock went back), is ignored.
    IF v_hint[3] = p_queue_id
       AND v_hint[1] ~ '^[0-9]{1,12}(\.[0-9]{1,9})?$'
       AND v_hint[2] ~ '^[0-9]{1,12}(\.[0-9]{1,9})?$' THEN
        IF v_hint[1]::numeric - extract(epoch FROM v_now) BETWEEN 0 AND 1 THEN
            v_from := to_timestamp(v_hint[2]::double precision) - interval '1 millisecond';
        END IF;
    END IF;
    IF v_from = '-infinity' THEN
        v_hint := NULL;
    END IF;

    -- Messages that used up their deliveries and reached the head of the queue
    -- go to the dead queue now; the lease below never hands them out anyway.
    IF v_queue.message_max_deliveries IS NOT NULL THEN
        SELECT array_agg(head.id) INTO v_capped
        FROM (
            SELECT m.id, m.delivery_attempts
            FROM fastqueue.message AS m
            WHERE m.queue_id = p_queue_id
              AND m.scheduled_at >= v_from
              AND m.scheduled_at <= v_now
              AND m.expired_at > v_now
            ORDER BY m.scheduled_at, m.seq
            LIMIT p_limit
            FOR UPDATE SKIP LOCKED
        ) AS head
        WHERE head.delivery_attempts >= v_queue.message_max_deliveries;
        IF v_capped IS NOT NULL THEN
            PERFORM fastqueue._move_messages(
                v_capped, v_queue.dead_queue_id, v_now, v_queue.id);
        END IF;
    END IF;

    -- Lock the oldest visible messages, skipping those another consumer is
    -- taking right now.
    LOOP
        SELECT array_agg(head.id ORDER BY head.scheduled_at, head.seq), min(head.scheduled_at)
        INTO v_ids, v_first
        FROM (
            SELECT m.id, m.scheduled_at, m.seq
            FROM fastqueue.message AS m
            WHERE m.queue_id = p_queue_id
              AND m.scheduled_at >= v_from
              AND m.scheduled_at <= v_now
              AND m.expired_at > v_now
              AND m.delivery_attempts < coalesce(v_queue.message_max_deliveries, 2147483647)
            ORDER BY m.scheduled_at, m.seq
            LIMIT p_limit
            FOR UPDATE SKIP LOCKED
        ) AS head;
        EXIT WHEN v_ids IS NOT NULL OR v_from = '-infinity';
        v_from := '-infinity';
        v_hint := NULL;
    END LOOP;
    IF v_ids IS NULL THEN
        RETURN;
    END IF;
    -- A hint found at the head holds for a second; one found from a hint keeps its end.
    PERFORM set_config(
        'fastqueue.lease_hint',
        concat_ws(',',
            coalesce(v_hint[1], (extract(epoch FROM v_now) + 1)::text),
            extract(epoch FROM v_first),
            p_queue_id),
        false);

    RETURN QUERY
    WITH leased AS (
        UPDATE fastqueue.message AS m
        SET delivery_attempts = m.delivery_attempts + 1,
            scheduled_at = v_now + make_interval(secs => v_queue.ack_deadline_seconds),
            updated_at = v_now,
            receipt = gen_random_uuid()
        WHERE m.id = ANY (v_ids)
        RETURNING m.*
    )
    SELECT l.id, l.queue_id, l.data, l.attributes, l.delivery_attempts,
           l.expired_at, l.scheduled_at, l.created_at, l.updated_at,
           l.receipt, l.dead_lettered_from, l.dead_lettered_at
    FROM leased AS l
    JOIN unnest(v_ids) WITH ORDINALITY AS o (id, position) ON o.id = l.id
    ORDER BY o.position;
END;
$_$;


--
-- Name: FUNCTION lease(p_queue_id text, p_limit integer); Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON FUNCTION fastqueue.lease(p_queue_id text, p_limit integer) IS 'Leases up to p_limit available messages of a queue, oldest first: each one''s delivery count goes up by one, it gets a new receipt, and it stays hidden for the queue''s ack deadline. Messages past the max deliveries are never returned; those at the head move to the dead queue, so a lease may return fewer than are waiting. For a second, a session starts where its last lease of the queue found the head (kept in the setting fastqueue.lease_hint): a message behind that point, given back by a rolled-back lease or committed late, waits up to that second unless nothing else is found. Raises FQ002 for an unknown queue and FQ202 for a limit outside the lease_limit setting.';


--
-- Name: lease_wait(text, integer, integer); Type: FUNCTION; Schema: fastqueue; Owner: -
--

CREATE FUNCTION fastqueue.lease_wait(p_queue_id text, p_limit integer DEFAULT 10, p_listener_pid integer DEFAULT NULL::integer) RETURNS SETOF fastqueue.lease_wait_row
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'fastqueue', 'pg_temp'
    AS $$
DECLARE
    v_armed boolean := false;
BEGIN
    -- --- An ordinary lease: while messages wait, nothing else happens. ---
    RETURN QUERY
    SELECT l, NULL::boolean, NULL::timestamptz FROM fastqueue.lease(p_queue_id, p_limit) AS l;
    IF FOUND THEN
        RETURN;
    END IF;

    -- --- Arm the listener, then look one last time. ---
    IF p_listener_pid IS NOT NULL THEN
        PERFORM FROM fastqueue.queue WHERE id = p_queue_id FOR UPDATE SKIP LOCKED;
        v_armed := FOUND AND current_setting('transaction_isolation') = 'read committed';
        IF v_armed THEN
            INSERT INTO fastqueue.queue_waiter AS w (queue_id, listener_pid, armed, armed_at)
            VALUES (p_queue_id, p_listener_pid, true, clock_timestamp())
            ON CONFLICT (queue_id, listener_pid)
                DO UPDATE SET armed = true, armed_at = excluded.armed_at;
        END IF;
        RETURN QUERY
        SELECT l, NULL::boolean, NULL::timestamptz
        FROM fastqueue.lease(p_queue_id, p_limit) AS l;
        IF FOUND THEN
            RETURN;
        END IF;
    END IF;

    -- --- Nothing to lease: say when the next hidden message shows (one index probe). ---
    -- The clock is read again here, after the leases (which read it themselves): a
    -- message that became visible meanwhile but is locked by another lease in flight
    -- must not count as hidden.
    RETURN QUERY
    SELECT NULL::fastqueue.message_info, v_armed,
           (SELECT m.scheduled_at
            FROM fastqueue.message AS m
            WHERE m.queue_id = p_queue_id AND m.scheduled_at > clock_timestamp()
            ORDER BY m.scheduled_at, m.seq
            LIMIT 1);
END;
$$;


--
-- Name: FUNCTION lease_wait(p_queue_id text, p_limit integer, p_listener_pid integer); Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON FUNCTION fastqueue.lease_wait(p_queue_id text, p_limit integer, p_listener_pid integer) IS 'One attempt of a long poll. Leases as fastqueue.lease does and returns one row per message. If there is none and p_listener_pid (the backend pid of a connection that LISTENs on channel fastqueue_wake) is given, arms a wake-up for that listener and leases once more. If still nothing, returns one row with message NULL, armed (true: a publish to the queue will notify the listener; false: a publish or another waiter was in flight, nothing is armed, look again shortly) and next_visible_at, when the queue''s next delayed or leased message becomes visible. Call it in its own READ COMMITTED transaction. Raises FQ002 for an unknown queue and FQ202 for a limit outside the lease_limit setting.';


--
-- Name: list_queues(integer, integer); Type: FUNCTION; Schema: fastqueue; Owner: -
--

CREATE FUNCTION fastqueue.list_queues(p_offset integer DEFAULT 0, p_limit integer DEFAULT 10) RETURNS SETOF fastqueue.queue
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'fastqueue', 'pg_temp'
    AS $$
BEGIN
    PERFORM fastqueue._check_bound('list_offset', p_offset);
    PERFORM fastqueue._check_bound('list_limit', p_limit);
    RETURN QUERY
    SELECT * FROM fastqueue.queue ORDER BY id OFFSET p_offset LIMIT p_limit;
END;
$$;


--
-- Name: FUNCTION list_queues(p_offset integer, p_limit integer); Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON FUNCTION fastqueue.list_queues(p_offset integer, p_limit integer) IS 'Returns one page of queues ordered by id. Raises FQ202 for an offset or limit outside the list_offset and list_limit settings.';


--
-- Name: list_topics(integer, integer); Type: FUNCTION; Schema: fastqueue; Owner: -
--

CREATE FUNCTION fastqueue.list_topics(p_offset integer DEFAULT 0, p_limit integer DEFAULT 10) RETURNS SETOF fastqueue.topic
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'fastqueue', 'pg_temp'
    AS $$
BEGIN
    PERFORM fastqueue._check_bound('list_offset', p_offset);
    PERFORM fastqueue._check_bound('list_limit', p_limit);
    RETURN QUERY
    SELECT * FROM fastqueue.topic ORDER BY id OFFSET p_offset LIMIT p_limit;
END;
$$;


--
-- Name: FUNCTION list_topics(p_offset integer, p_limit integer); Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON FUNCTION fastqueue.list_topics(p_offset integer, p_limit integer) IS 'Returns one page of topics ordered by id. Raises FQ202 for an offset or limit outside the list_offset and list_limit settings.';


--
-- Name: nack(uuid, uuid, integer); Type: FUNCTION; Schema: fastqueue; Owner: -
--

CREATE FUNCTION fastqueue.nack(p_message_id uuid, p_receipt uuid DEFAULT NULL::uuid, p_delay_seconds integer DEFAULT NULL::integer) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'fastqueue', 'pg_temp'
    SET plan_cache_mode TO 'force_generic_plan'
    SET enable_seqscan TO 'off'
    AS $$
BEGIN
    IF p_delay_seconds IS NOT NULL THEN
        PERFORM fastqueue._check_bound('nack_delay_seconds', p_delay_seconds);
    END IF;
    CASE fastqueue._nack_one(p_message_id, p_receipt, clock_timestamp(), p_delay_seconds)
        WHEN 'unknown' THEN
            RAISE EXCEPTION 'message "%" not found', p_message_id USING ERRCODE = 'FQ003';
        WHEN 'stale' THEN
            RAISE EXCEPTION 'the receipt of message "%" is stale', p_message_id
                USING ERRCODE = 'FQ103',
                      HINT = 'The message was given back or leased again after this receipt.';
        ELSE
            RETURN;
    END CASE;
END;
$$;


--
-- Name: FUNCTION nack(p_message_id uuid, p_receipt uuid, p_delay_seconds integer); Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON FUNCTION fastqueue.nack(p_message_id uuid, p_receipt uuid, p_delay_seconds integer) IS 'Gives a leased message back: it moves to the dead queue if that was its last allowed delivery, else it is visible again after p_delay_seconds (0 to nack_delay_seconds), or without it after the queue''s retry back-off, or at once; until then it counts as delayed. Changes nothing for a message that is not leased. With p_receipt, only if that receipt is the current one. Raises FQ003 for an unknown message, FQ103 for a stale receipt and FQ202 for a delay out of bounds.';


--
-- Name: nack_batch(jsonb); Type: FUNCTION; Schema: fastqueue; Owner: -
--

CREATE FUNCTION fastqueue.nack_batch(p_messages jsonb) RETURNS fastqueue.settle_result
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'fastqueue', 'pg_temp'
    SET plan_cache_mode TO 'force_generic_plan'
    SET enable_seqscan TO 'off'
    AS $$
DECLARE
    v_now timestamptz := clock_timestamp();
    v_item record;
    v_result fastqueue.settle_result := ROW('{}', '{}', '{}');
BEGIN
    PERFORM fastqueue._check_settle_batch(p_messages, p_with_delay => true);

    -- ---- one message at a time -------------------------------------------------
    -- In id order, so that two batches with common messages lock them in one order.
    FOR v_item IN
        SELECT (e.item ->> 'id')::uuid AS id, (e.item ->> 'receipt')::uuid AS receipt,
               (e.item ->> 'delay_seconds')::integer AS delay_seconds
        FROM jsonb_array_elements(p_messages) AS e (item)
        ORDER BY 1
    LOOP
        CASE fastqueue._nack_one(v_item.id, v_item.receipt, v_now, v_item.delay_seconds)
            WHEN 'settled' THEN v_result.settled := v_result.settled || v_item.id;
            WHEN 'unknown' THEN v_result.unknown := v_result.unknown || v_item.id;
            ELSE v_result.stale := v_result.stale || v_item.id;
        END CASE;
    END LOOP;
    RETURN v_result;
END;
$$;


--
-- Name: FUNCTION nack_batch(p_messages jsonb); Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON FUNCTION fastqueue.nack_batch(p_messages jsonb) IS 'Gives back 1 to batch_size messages given as a JSON array of {"id": uuid, "receipt": uuid, "delay_seconds": integer} (receipt and delay optional), as fastqueue.nack does each, and returns which were settled, unknown, or refused because the receipt was stale, each list ordered by id. Raises FQ206 for a body that is not an array of such objects or that names a message twice, FQ202 for a size or delay out of bounds and 22P02 for a value that is not a UUID or a delay that is not an integer.';


--
-- Name: patch_queue(text, jsonb); Type: FUNCTION; Schema: fastqueue; Owner: -
--

CREATE FUNCTION fastqueue.patch_queue(p_queue_id text, p_changes jsonb) RETURNS fastqueue.queue
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'fastqueue', 'pg_temp'
    AS $$
DECLARE
    v_queue fastqueue.queue;
    v_unknown text;
BEGIN
    IF jsonb_typeof(p_changes) IS DISTINCT FROM 'object' THEN
        RAISE EXCEPTION 'changes must be a JSON object' USING ERRCODE = 'FQ210';
    END IF;
    SELECT string_agg(key, ', ' ORDER BY key) INTO v_unknown
    FROM jsonb_object_keys(p_changes) AS key
    WHERE key NOT IN ('topic_id', 'dead_queue_id', 'ack_deadline_seconds',
                      'message_retention_seconds', 'message_filters',
                      'message_max_deliveries', 'delivery_delay_seconds',
                      'retry_min_backoff_seconds', 'retry_max_backoff_seconds');
    IF v_unknown IS NOT NULL THEN
        RAISE EXCEPTION 'cannot change %', v_unknown USING ERRCODE = 'FQ210';
    END IF;

    -- Read under the lock, so that a concurrent change is not undone.
    PERFORM fastqueue._lock_queue_changes();
    SELECT * INTO v_queue FROM fastqueue.queue WHERE id = p_queue_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'queue "%" not found', p_queue_id USING ERRCODE = 'FQ002';
    END IF;
    -- Fields named in the changes take their new value (JSON null clears them);
    -- the others keep theirs.
    v_queue := jsonb_populate_record(v_queue, p_changes);
    RETURN fastqueue._replace_queue(v_queue);
END;
$$;


--
-- Name: FUNCTION patch_queue(p_queue_id text, p_changes jsonb); Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON FUNCTION fastqueue.patch_queue(p_queue_id text, p_changes jsonb) IS 'Changes only the fields named in p_changes (a JSON object; null clears a field) and returns the queue. Raises FQ210 for a field that cannot be changed, FQ002 for an unknown queue, 22P02 for a value of the wrong type, and FQ201-FQ208 or FQ212 for an invalid result.';


--
-- Name: peek(text, integer); Type: FUNCTION; Schema: fastqueue; Owner: -
--

CREATE FUNCTION fastqueue.peek(p_queue_id text, p_limit integer DEFAULT 10) RETURNS SETOF fastqueue.message_info
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'fastqueue', 'pg_temp'
    AS $$
DECLARE
    v_now timestamptz := clock_timestamp();
BEGIN
    PERFORM fastqueue._check_bound('list_limit', p_limit);
    PERFORM FROM fastqueue.queue WHERE id = p_queue_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'queue "%" not found', p_queue_id USING ERRCODE = 'FQ002';
    END IF;
    -- In the order a lease takes them; receipts stay private to their consumer.
    RETURN QUERY
    SELECT m.id, m.queue_id, m.data, m.attributes, m.delivery_attempts,
           m.expired_at, m.scheduled_at, m.created_at, m.updated_at,
           NULL::uuid, m.dead_lettered_from, m.dead_lettered_at
    FROM fastqueue.message AS m
    WHERE m.queue_id = p_queue_id
      AND m.expired_at > v_now
    ORDER BY m.scheduled_at, m.seq
    LIMIT p_limit;
END;
$$;


--
-- Name: FUNCTION peek(p_queue_id text, p_limit integer); Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON FUNCTION fastqueue.peek(p_queue_id text, p_limit integer) IS 'Returns up to p_limit unexpired messages of a queue, leased and delayed ones included, in the order a lease would take them, without leasing them (receipts are not shown). Raises FQ002 for an unknown queue and FQ202 for a limit outside list_limit.';


--
-- Name: publish(text, jsonb, jsonb, integer, text, integer); Type: FUNCTION; Schema: fastqueue; Owner: -
--

CREATE FUNCTION fastqueue.publish(p_topic_id text, p_data jsonb, p_attributes jsonb DEFAULT NULL::jsonb, p_delay_seconds integer DEFAULT NULL::integer, p_idempotency_key text DEFAULT NULL::text, p_idempotency_window_seconds integer DEFAULT 300) RETURNS SETOF fastqueue.message_info
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'fastqueue', 'pg_temp'
    SET plan_cache_mode TO 'force_generic_plan'
    AS $$
DECLARE
    v_now timestamptz := clock_timestamp();
    v_created bigint;
BEGIN
    PERFORM fastqueue._check_message(p_data, p_attributes, p_delay_seconds);
    -- Keyed publishes go the batch way, which remembers what it created. JSON
    -- nulls stand for absent attributes and delay there; jsonb_strip_nulls would
    -- also strip the nulls inside the data.
    IF p_idempotency_key IS NOT NULL THEN
        RETURN QUERY
        SELECT * FROM fastqueue.publish_batch(
            p_topic_id,
            jsonb_build_array(jsonb_build_object(
                'data', p_data, 'attributes', p_attributes, 'delay_seconds', p_delay_seconds)),
            p_idempotency_key,
            p_idempotency_window_seconds);
        RETURN;
    END IF;

    -- One statement fans the message out: every queue of the topic whose filter
    -- matches gets its copy, or none does, and each such queue's tally one more
    -- message (so the tally triggers skip it). FOR KEY SHARE waits for a queue
    -- that is being deleted and then leaves it out, where the foreign key alone
    -- would fail the whole publish.
    PERFORM set_config('fastqueue.tally_by_caller', 'on', true);
    RETURN QUERY
    WITH created AS (
        INSERT INTO fastqueue.message AS m
            (queue_id, data, attributes, scheduled_at, expired_at, created_at, updated_at)
        SELECT q.id, p_data, p_attributes,
               v_now + make_interval(secs => coalesce(
                   p_delay_seconds, q.delivery_delay_seconds, 0)),
               v_now + make_interval(secs => q.message_retention_seconds),
               v_now, v_now
        FROM fastqueue.queue AS q
        WHERE q.topic_id = p_topic_id
          AND (q.message_filters IS NULL
               OR fastqueue._filter_matches(q.message_filters, p_attributes))
        ORDER BY q.id
        FOR KEY SHARE OF q
        RETURNING m.*
    ), counted AS (
        UPDATE fastqueue.queue_tally AS t
        SET messages = t.messages + 1
        FROM created AS c
        WHERE t.queue_id = c.queue_id AND t.shard = pg_backend_pid() % 16
    )
    SELECT c.id, c.queue_id, c.data, c.attributes, c.delivery_attempts,
           c.expired_at, c.scheduled_at, c.created_at, c.updated_at,
           c.receipt, c.dead_lettered_from, c.dead_lettered_at
    FROM created AS c
    ORDER BY c.queue_id;
    GET DIAGNOSTICS v_created = ROW_COUNT;
    PERFORM set_config('fastqueue.tally_by_caller', 'off', true);

    -- Only when nothing was created is it worth asking whether the topic exists.
    IF v_created = 0 AND NOT EXISTS (SELECT FROM fastqueue.topic WHERE id = p_topic_id) THEN
        RAISE EXCEPTION 'topic "%" not found', p_topic_id USING ERRCODE = 'FQ001';
    END IF;
    -- Long polling: notify the armed waiters of the queues that got the message.
    -- Most of the time nobody waits, and this look is all a publish pays.
    IF current_setting('transaction_isolation') <> 'read committed'
       OR EXISTS (SELECT FROM fastqueue.queue_waiter WHERE armed) THEN
        PERFORM fastqueue._wake_waiters(
            p_topic_id, jsonb_build_array(jsonb_build_object('attributes', p_attributes)));
    END IF;
END;
$$;


--
-- Name: FUNCTION publish(p_topic_id text, p_data jsonb, p_attributes jsonb, p_delay_seconds integer, p_idempotency_key text, p_idempotency_window_seconds integer); Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON FUNCTION fastqueue.publish(p_topic_id text, p_data jsonb, p_attributes jsonb, p_delay_seconds integer, p_idempotency_key text, p_idempotency_window_seconds integer) IS 'Publishes a message to a topic: one copy to each of its queues whose filter matches, with that queue''s retention, and p_delay_seconds (0-900) or else the queue''s delivery delay; returns the copies (none when no queue matches). With p_idempotency_key, a retry within p_idempotency_window_seconds creates nothing and returns the first copies (see fastqueue.publish_batch). Raises FQ001 for an unknown topic, FQ206 for data that is not a JSON object or attributes that are not an object of strings, FQ202 for a delay out of bounds and FQ211 for an invalid key.';


--
-- Name: publish_batch(text, jsonb, text, integer); Type: FUNCTION; Schema: fastqueue; Owner: -
--

CREATE FUNCTION fastqueue.publish_batch(p_topic_id text, p_messages jsonb, p_idempotency_key text DEFAULT NULL::text, p_idempotency_window_seconds integer DEFAULT 300) RETURNS SETOF fastqueue.message_info
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'fastqueue', 'pg_temp'
    AS $$
DECLARE
    v_now timestamptz := clock_timestamp();
    v_message record;
    v_created jsonb;
BEGIN
    IF jsonb_typeof(p_messages) IS DISTINCT FROM 'array' THEN
        RAISE EXCEPTION 'messages must be a JSON array' USING ERRCODE = 'FQ206';
    END IF;
    PERFORM fastqueue._check_bound('batch_size', jsonb_array_length(p_messages));
    FOR v_message IN
        SELECT e.position, e.message
        FROM jsonb_array_elements(p_messages) WITH ORDINALITY AS e (message, position)
    LOOP
        IF jsonb_typeof(v_message.message) IS DISTINCT FROM 'object'
           OR v_message.message - ARRAY['data', 'attributes', 'delay_seconds'] <> '{}' THEN
            RAISE EXCEPTION 'message %: must be an object of data, attributes and delay_seconds',
                    v_message.position
                USING ERRCODE = 'FQ206';
        END IF;
        PERFORM fastqueue._check_message(
            v_message.message -> 'data',
            nullif(v_message.message -> 'attributes', 'null'),
            (v_message.message ->> 'delay_seconds')::integer,
            v_message.position);
    END LOOP;
    PERFORM FROM fastqueue.topic WHERE id = p_topic_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'topic "%" not found', p_topic_id USING ERRCODE = 'FQ001';
    END IF;

    IF p_idempotency_key IS NOT NULL THEN
        v_created := fastqueue._claim_idempotency_key(
            p_topic_id, p_idempotency_key, v_now, p_idempotency_window_seconds);
        IF v_created IS NOT NULL THEN
            RETURN QUERY
            SELECT * FROM jsonb_populate_recordset(NULL::fastqueue.message_info, v_created);
            RETURN;
        END IF;
    END IF;

    -- One statement fans every message out, all or nothing, in the order given,
    -- and counts them in the queue tallies (the tally triggers skip it); a
    -- message's own delay wins over its queue's. FOR KEY SHARE waits for a queue
    -- that is being deleted and then leaves it out, where the foreign key alone
    -- would fail the whole batch.
    PERFORM set_config('fastqueue.tally_by_caller', 'on', true);
    WITH target AS MATERIALIZED (
        SELECT q.id, q.message_filters, q.delivery_delay_seconds,
               q.message_retention_seconds
        FROM fastqueue.queue AS q
        WHERE q.topic_id = p_topic_id
        FOR KEY SHARE
    ), created AS (
        INSERT INTO fastqueue.message AS m
            (queue_id, data, attributes, scheduled_at, expired_at, created_at, updated_at)
        SELECT q.id, e.message -> 'data', nullif(e.message -> 'attributes', 'null'),
               v_now + make_interval(secs => coalesce(
                   (e.message ->> 'delay_seconds')::integer, q.delivery_delay_seconds, 0)),
               v_now + make_interval(secs => q.message_retention_seconds),
               v_now, v_now
        FROM jsonb_array_elements(p_messages) WITH ORDINALITY AS e (message, position)
        CROSS JOIN target AS q
        WHERE q.message_filters IS NULL
           OR fastqueue._filter_matches(q.message_filters,
                                        nullif(e.message -> 'attributes', 'null'))
        ORDER BY e.position, q.id
        RETURNING m.*
    ), counted AS (
        UPDATE fastqueue.queue_tally AS t
        SET messages = t.messages + n.messages
        FROM (
            SELECT c.queue_id, count(*) AS messages
            FROM created AS c
            GROUP BY c.queue_id
            ORDER BY c.queue_id
        ) AS n
        WHERE t.queue_id = n.queue_id AND t.shard = pg_backend_pid() % 16
    )
    SELECT coalesce(jsonb_agg(to_jsonb(c) - 'seq' ORDER BY c.seq), '[]')
    INTO v_created
    FROM created AS c;
    PERFORM set_config('fastqueue.tally_by_caller', 'off', true);

    IF p_idempotency_key IS NOT NULL THEN
        UPDATE fastqueue.idempotency_key
        SET messages = v_created
        WHERE topic_id = p_topic_id AND key = p_idempotency_key;
    END IF;
    -- Long polling: notify the armed waiters of the queues that got messages.
    PERFORM fastqueue._wake_waiters(p_topic_id, p_messages);
    RETURN QUERY
    SELECT * FROM jsonb_populate_recordset(NULL::fastqueue.message_info, v_created);
END;
$$;


--
-- Name: FUNCTION publish_batch(p_topic_id text, p_messages jsonb, p_idempotency_key text, p_idempotency_window_seconds integer); Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON FUNCTION fastqueue.publish_batch(p_topic_id text, p_messages jsonb, p_idempotency_key text, p_idempotency_window_seconds integer) IS 'Publishes 1 to batch_size messages to a topic in one statement, all or none: p_messages is a JSON array of {"data": {...}, "attributes": {...}, "delay_seconds": n}. Returns every copy created, in the order given. With p_idempotency_key, a retry with the same topic and key within p_idempotency_window_seconds creates nothing and returns the messages first created. Raises FQ001 for an unknown topic, FQ206 for an invalid message (its position is in the error), FQ202 for a size or delay out of bounds and FQ211 for an invalid key.';


--
-- Name: purge_queue(text); Type: FUNCTION; Schema: fastqueue; Owner: -
--

CREATE FUNCTION fastqueue.purge_queue(p_queue_id text) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'fastqueue', 'pg_temp'
    AS $$
DECLARE
    v_deleted bigint;
BEGIN
    PERFORM FROM fastqueue.queue WHERE id = p_queue_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'queue "%" not found', p_queue_id USING ERRCODE = 'FQ002';
    END IF;
    DELETE FROM fastqueue.message WHERE queue_id = p_queue_id;
    GET DIAGNOSTICS v_deleted = ROW_COUNT;
    RETURN v_deleted;
END;
$$;


--
-- Name: FUNCTION purge_queue(p_queue_id text); Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON FUNCTION fastqueue.purge_queue(p_queue_id text) IS 'Deletes every message of a queue, leased or not, and returns how many. Raises FQ002 for an unknown queue.';


--
-- Name: record_cleanup_run(bigint, bigint); Type: FUNCTION; Schema: fastqueue; Owner: -
--

CREATE FUNCTION fastqueue.record_cleanup_run(p_expired bigint, p_dead_lettered bigint) RETURNS void
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'fastqueue', 'pg_temp'
    AS $$
    INSERT INTO fastqueue.cleanup_status AS s (finished_at, expired, dead_lettered)
    VALUES (clock_timestamp(), p_expired, p_dead_lettered)
    ON CONFLICT (id) DO UPDATE
    SET finished_at = excluded.finished_at,
        expired = excluded.expired,
        dead_lettered = excluded.dead_lettered;
$$;


--
-- Name: FUNCTION record_cleanup_run(p_expired bigint, p_dead_lettered bigint); Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON FUNCTION fastqueue.record_cleanup_run(p_expired bigint, p_dead_lettered bigint) IS 'Records that a cleanup run finished now, having expired and dead-lettered the given numbers of messages. Called by fastqueue.run_cleanup.';


--
-- Name: redrive_queue(text, text, integer); Type: FUNCTION; Schema: fastqueue; Owner: -
--

CREATE FUNCTION fastqueue.redrive_queue(p_queue_id text, p_destination_queue_id text DEFAULT NULL::text, p_limit integer DEFAULT NULL::integer) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'fastqueue', 'pg_temp'
    AS $$
DECLARE
    v_now timestamptz := clock_timestamp();
    v_queue fastqueue.queue;
    v_group record;
    v_moved bigint := 0;
BEGIN
    SELECT * INTO v_queue FROM fastqueue.queue WHERE id = p_queue_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'queue "%" not found', p_queue_id USING ERRCODE = 'FQ002';
    END IF;
    IF p_destination_queue_id = p_queue_id THEN
        RAISE EXCEPTION 'cannot redrive queue "%" to itself', p_queue_id
            USING ERRCODE = 'FQ209';
    END IF;
    IF p_destination_queue_id IS NOT NULL THEN
        PERFORM FROM fastqueue.queue WHERE id = p_destination_queue_id;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'destination queue "%" does not exist', p_destination_queue_id
                USING ERRCODE = 'FQ208';
        END IF;
    END IF;
    IF p_limit IS NOT NULL THEN
        PERFORM fastqueue._check_bound('redrive_limit', p_limit);
    END IF;

    -- Only available messages move, oldest first: leased ones stay with their
    -- consumer, and the destination's filter does not apply. Without a
    -- destination, each goes back to the queue it was dead-lettered from, if that
    -- queue still exists; the others stay, and are not counted against the limit
    -- (a limited redrive would otherwise stall behind them).
    -- TODO: move in batches once a single redrive of millions holds locks too long.
    FOR v_group IN
        SELECT coalesce(p_destination_queue_id, m.dead_lettered_from) AS destination,
               array_agg(m.id) AS message_ids
        FROM (
            SELECT m.id, m.dead_lettered_from
            FROM fastqueue.message AS m
            WHERE m.queue_id = p_queue_id
              AND m.scheduled_at <= v_now
              AND m.expired_at > v_now
              AND m.delivery_attempts < coalesce(v_queue.message_max_deliveries, 2147483647)
              AND (p_destination_queue_id IS NOT NULL OR EXISTS (
                  SELECT FROM fastqueue.queue AS origin
                  WHERE origin.id = m.dead_lettered_from AND origin.id <> p_queue_id))
            ORDER BY m.scheduled_at, m.seq
            LIMIT p_limit
            FOR UPDATE OF m SKIP LOCKED
        ) AS m
        GROUP BY 1
    LOOP
        v_moved := v_moved
            + fastqueue._move_messages(v_group.message_ids, v_group.destination, v_now);
    END LOOP;
    RETURN v_moved;
END;
$$;


--
-- Name: FUNCTION redrive_queue(p_queue_id text, p_destination_queue_id text, p_limit integer); Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON FUNCTION fastqueue.redrive_queue(p_queue_id text, p_destination_queue_id text, p_limit integer) IS 'Moves up to p_limit (all when NULL) available messages of a queue, oldest first, to p_destination_queue_id, or without one back to the queue each was dead-lettered from; they arrive as new messages (same id and created_at, delivery count 0, the destination''s retention and delivery delay). Returns how many moved. Raises FQ002 for an unknown queue, FQ208 for an unknown destination, FQ209 for the queue itself and FQ202 for a limit below 1.';


--
-- Name: run_cleanup(integer, bigint, bigint); Type: PROCEDURE; Schema: fastqueue; Owner: -
--

CREATE PROCEDURE fastqueue.run_cleanup(IN p_batch_size integer DEFAULT 1000, INOUT expired bigint DEFAULT 0, INOUT dead_lettered bigint DEFAULT 0)
    LANGUAGE plpgsql
    AS $$
DECLARE
    v_batch fastqueue.cleanup_result;
BEGIN
    -- At most 1000 batches a call: cleanup runs again a minute later anyway.
    FOR i IN 1 .. 1000 LOOP
        v_batch := fastqueue.cleanup(p_batch_size);
        expired := expired + v_batch.expired;
        dead_lettered := dead_lettered + v_batch.dead_lettered;
        COMMIT;
        EXIT WHEN v_batch.expired < p_batch_size AND v_batch.dead_lettered < p_batch_size;
    END LOOP;
    PERFORM fastqueue.record_cleanup_run(expired, dead_lettered);
END;
$$;


--
-- Name: PROCEDURE run_cleanup(IN p_batch_size integer, INOUT expired bigint, INOUT dead_lettered bigint); Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON PROCEDURE fastqueue.run_cleanup(IN p_batch_size integer, INOUT expired bigint, INOUT dead_lettered bigint) IS 'Runs fastqueue.cleanup in batches, committing after each, until a batch finds less than a full batch of work; returns the totals and records them with fastqueue.record_cleanup_run. Must be called outside a transaction block (CALL in autocommit mode, or from pg_cron).';


--
-- Name: set_deadline(uuid, integer, uuid); Type: FUNCTION; Schema: fastqueue; Owner: -
--

CREATE FUNCTION fastqueue.set_deadline(p_message_id uuid, p_seconds integer, p_receipt uuid DEFAULT NULL::uuid) RETURNS fastqueue.message_info
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'fastqueue', 'pg_temp'
    SET plan_cache_mode TO 'force_generic_plan'
    SET enable_seqscan TO 'off'
    AS $$
DECLARE
    v_now timestamptz := clock_timestamp();
    v_message fastqueue.message;
    v_old_deadline timestamptz;
BEGIN
    PERFORM fastqueue._check_bound('lease_extension_seconds', p_seconds);
    SELECT * INTO v_message FROM fastqueue.message WHERE id = p_message_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'message "%" not found', p_message_id USING ERRCODE = 'FQ003';
    END IF;
    IF p_receipt IS NOT NULL AND v_message.receipt IS DISTINCT FROM p_receipt THEN
        RAISE EXCEPTION 'the receipt of message "%" is stale', p_message_id
            USING ERRCODE = 'FQ103',
                  HINT = 'The message was given back or leased again after this receipt.';
    END IF;
    IF v_message.receipt IS NULL OR v_message.scheduled_at <= v_now THEN
        RAISE EXCEPTION 'message "%" is not leased', p_message_id
            USING ERRCODE = 'FQ104',
                  HINT = 'Only a message whose lease has not run out has a deadline to move.';
    END IF;
    v_old_deadline := v_message.scheduled_at;

    UPDATE fastqueue.message AS m
    SET scheduled_at = v_now + make_interval(secs => p_seconds), updated_at = v_now
    WHERE m.id = p_message_id
    RETURNING * INTO v_message;
    -- Long polls waiting on the queue may be sleeping until the old deadline: an
    -- earlier one wakes them to look again.
    IF v_message.scheduled_at < v_old_deadline THEN
        PERFORM fastqueue._wake_queues(ARRAY[v_message.queue_id]);
    END IF;
    RETURN ROW(v_message.id, v_message.queue_id, v_message.data, v_message.attributes,
               v_message.delivery_attempts, v_message.expired_at, v_message.scheduled_at,
               v_message.created_at, v_message.updated_at, v_message.receipt,
               v_message.dead_lettered_from, v_message.dead_lettered_at
           )::fastqueue.message_info;
END;
$$;


--
-- Name: FUNCTION set_deadline(p_message_id uuid, p_seconds integer, p_receipt uuid); Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON FUNCTION fastqueue.set_deadline(p_message_id uuid, p_seconds integer, p_receipt uuid) IS 'Moves the ack deadline of a leased message to p_seconds (0-600) from now; 0 makes it visible again at once, keeping its delivery count; a deadline moved earlier wakes the long polls of the queue. Returns the message. Raises FQ003 for an unknown message, FQ103 for a stale receipt, FQ104 when the message is not leased and FQ202 for seconds out of bounds.';


--
-- Name: update_queue(text, text, text, integer, integer, jsonb, integer, integer, integer, integer); Type: FUNCTION; Schema: fastqueue; Owner: -
--

CREATE FUNCTION fastqueue.update_queue(p_queue_id text, p_topic_id text DEFAULT NULL::text, p_dead_queue_id text DEFAULT NULL::text, p_ack_deadline_seconds integer DEFAULT 30, p_message_retention_seconds integer DEFAULT 1209600, p_message_filters jsonb DEFAULT NULL::jsonb, p_message_max_deliveries integer DEFAULT NULL::integer, p_delivery_delay_seconds integer DEFAULT NULL::integer, p_retry_min_backoff_seconds integer DEFAULT NULL::integer, p_retry_max_backoff_seconds integer DEFAULT NULL::integer) RETURNS fastqueue.queue
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'fastqueue', 'pg_temp'
    AS $$
DECLARE
    v_queue fastqueue.queue;
BEGIN
    v_queue.id := p_queue_id;
    v_queue.topic_id := p_topic_id;
    v_queue.dead_queue_id := p_dead_queue_id;
    v_queue.ack_deadline_seconds := p_ack_deadline_seconds;
    v_queue.message_retention_seconds := p_message_retention_seconds;
    v_queue.message_filters := p_message_filters;
    v_queue.message_max_deliveries := p_message_max_deliveries;
    v_queue.delivery_delay_seconds := p_delivery_delay_seconds;
    v_queue.retry_min_backoff_seconds := p_retry_min_backoff_seconds;
    v_queue.retry_max_backoff_seconds := p_retry_max_backoff_seconds;
    RETURN fastqueue._replace_queue(v_queue);
END;
$$;


--
-- Name: FUNCTION update_queue(p_queue_id text, p_topic_id text, p_dead_queue_id text, p_ack_deadline_seconds integer, p_message_retention_seconds integer, p_message_filters jsonb, p_message_max_deliveries integer, p_delivery_delay_seconds integer, p_retry_min_backoff_seconds integer, p_retry_max_backoff_seconds integer); Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON FUNCTION fastqueue.update_queue(p_queue_id text, p_topic_id text, p_dead_queue_id text, p_ack_deadline_seconds integer, p_message_retention_seconds integer, p_message_filters jsonb, p_message_max_deliveries integer, p_delivery_delay_seconds integer, p_retry_min_backoff_seconds integer, p_retry_max_backoff_seconds integer) IS 'Replaces the whole definition of a queue (omitted arguments take their defaults) and returns it. A new ack deadline applies from the next lease, a new retry back-off from the next nack; the other fields to later publishes. Raises FQ002 for an unknown queue and FQ201-FQ208 or FQ212 for an invalid definition.';


--
-- Name: cleanup_status; Type: TABLE; Schema: fastqueue; Owner: -
--

CREATE TABLE fastqueue.cleanup_status (
    id boolean DEFAULT true NOT NULL,
    finished_at timestamp with time zone NOT NULL,
    expired bigint NOT NULL,
    dead_lettered bigint NOT NULL,
    CONSTRAINT cleanup_status_single_row_check CHECK (id)
);


--
-- Name: TABLE cleanup_status; Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON TABLE fastqueue.cleanup_status IS 'The last complete run of fastqueue.run_cleanup: when it finished and what it did.';


--
-- Name: idempotency_key; Type: TABLE; Schema: fastqueue; Owner: -
--

CREATE TABLE fastqueue.idempotency_key (
    topic_id text NOT NULL,
    key text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    expired_at timestamp with time zone NOT NULL,
    messages jsonb
);


--
-- Name: TABLE idempotency_key; Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON TABLE fastqueue.idempotency_key IS 'Idempotency keys of publishes: a retry with the same topic and key before expired_at answers with the messages first created instead of creating new ones.';


--
-- Name: message; Type: TABLE; Schema: fastqueue; Owner: -
--

CREATE TABLE fastqueue.message (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    seq bigint NOT NULL,
    queue_id text NOT NULL,
    data jsonb NOT NULL,
    attributes jsonb,
    delivery_attempts integer DEFAULT 0 NOT NULL,
    scheduled_at timestamp with time zone NOT NULL,
    expired_at timestamp with time zone NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    receipt uuid,
    dead_lettered_from text,
    dead_lettered_at timestamp with time zone,
    CONSTRAINT message_data_object_check CHECK ((jsonb_typeof(data) = 'object'::text)),
    CONSTRAINT message_delivery_attempts_check CHECK ((delivery_attempts >= 0))
);


--
-- Name: TABLE message; Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON TABLE fastqueue.message IS 'A message waiting in a queue. It is leased while it has a receipt and scheduled_at lies in the future, delayed while it has none and scheduled_at lies in the future.';


--
-- Name: message_seq_seq; Type: SEQUENCE; Schema: fastqueue; Owner: -
--

ALTER TABLE fastqueue.message ALTER COLUMN seq ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME fastqueue.message_seq_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: queue_tally; Type: TABLE; Schema: fastqueue; Owner: -
--

CREATE TABLE fastqueue.queue_tally (
    queue_id text NOT NULL,
    shard smallint NOT NULL,
    messages bigint DEFAULT 0 NOT NULL,
    CONSTRAINT queue_tally_shard_range_check CHECK (((shard >= 0) AND (shard <= 15)))
)
WITH (fillfactor='10');


--
-- Name: TABLE queue_tally; Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON TABLE fastqueue.queue_tally IS 'Messages of each queue, in 16 shards whose sum is the total. The functions that insert, delete or move messages add their deltas themselves and run with fastqueue.tally_by_caller = on; triggers on fastqueue.message count every other insert and delete, and truncation.';


--
-- Name: queue_waiter; Type: TABLE; Schema: fastqueue; Owner: -
--

CREATE TABLE fastqueue.queue_waiter (
    queue_id text NOT NULL,
    listener_pid integer NOT NULL,
    armed boolean NOT NULL,
    armed_at timestamp with time zone NOT NULL
);


--
-- Name: TABLE queue_waiter; Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON TABLE fastqueue.queue_waiter IS 'Long-polling waiters: a listener (backend pid) to notify on channel fastqueue_wake when its queue gets a message while armed is true.';


--
-- Name: setting; Type: TABLE; Schema: fastqueue; Owner: -
--

CREATE TABLE fastqueue.setting (
    name text NOT NULL,
    min_value integer NOT NULL,
    max_value integer NOT NULL,
    description text NOT NULL,
    CONSTRAINT setting_range_check CHECK ((min_value <= max_value))
);


--
-- Name: TABLE setting; Type: COMMENT; Schema: fastqueue; Owner: -
--

COMMENT ON TABLE fastqueue.setting IS 'Inclusive bounds of numeric inputs, by input name. Only an administrator changes them.';


--
-- Name: cleanup_status cleanup_status_pkey; Type: CONSTRAINT; Schema: fastqueue; Owner: -
--

ALTER TABLE ONLY fastqueue.cleanup_status
    ADD CONSTRAINT cleanup_status_pkey PRIMARY KEY (id);


--
-- Name: idempotency_key idempotency_key_pkey; Type: CONSTRAINT; Schema: fastqueue; Owner: -
--

ALTER TABLE ONLY fastqueue.idempotency_key
    ADD CONSTRAINT idempotency_key_pkey PRIMARY KEY (topic_id, key);


--
-- Name: message message_pkey; Type: CONSTRAINT; Schema: fastqueue; Owner: -
--

ALTER TABLE ONLY fastqueue.message
    ADD CONSTRAINT message_pkey PRIMARY KEY (id);


--
-- Name: queue queue_pkey; Type: CONSTRAINT; Schema: fastqueue; Owner: -
--

ALTER TABLE ONLY fastqueue.queue
    ADD CONSTRAINT queue_pkey PRIMARY KEY (id);


--
-- Name: queue_tally queue_tally_pkey; Type: CONSTRAINT; Schema: fastqueue; Owner: -
--

ALTER TABLE ONLY fastqueue.queue_tally
    ADD CONSTRAINT queue_tally_pkey PRIMARY KEY (queue_id, shard);


--
-- Name: queue_waiter queue_waiter_pkey; Type: CONSTRAINT; Schema: fastqueue; Owner: -
--

ALTER TABLE ONLY fastqueue.queue_waiter
    ADD CONSTRAINT queue_waiter_pkey PRIMARY KEY (queue_id, listener_pid);


--
-- Name: setting setting_pkey; Type: CONSTRAINT; Schema: fastqueue; Owner: -
--

ALTER TABLE ONLY fastqueue.setting
    ADD CONSTRAINT setting_pkey PRIMARY KEY (name);


--
-- Name: topic topic_pkey; Type: CONSTRAINT; Schema: fastqueue; Owner: -
--

ALTER TABLE ONLY fastqueue.topic
    ADD CONSTRAINT topic_pkey PRIMARY KEY (id);


--
-- Name: idempotency_key_expired_idx; Type: INDEX; Schema: fastqueue; Owner: -
--

CREATE INDEX idempotency_key_expired_idx ON fastqueue.idempotency_key USING btree (expired_at);


--
-- Name: message_expired_idx; Type: INDEX; Schema: fastqueue; Owner: -
--

CREATE INDEX message_expired_idx ON fastqueue.message USING btree (expired_at);


--
-- Name: message_queue_created_idx; Type: INDEX; Schema: fastqueue; Owner: -
--

CREATE INDEX message_queue_created_idx ON fastqueue.message USING btree (queue_id, created_at);


--
-- Name: message_queue_redelivered_idx; Type: INDEX; Schema: fastqueue; Owner: -
--

CREATE INDEX message_queue_redelivered_idx ON fastqueue.message USING btree (queue_id, delivery_attempts) WHERE (delivery_attempts > 0);


--
-- Name: message_queue_scheduled_idx; Type: INDEX; Schema: fastqueue; Owner: -
--

CREATE INDEX message_queue_scheduled_idx ON fastqueue.message USING btree (queue_id, scheduled_at, seq);


--
-- Name: queue_dead_queue_idx; Type: INDEX; Schema: fastqueue; Owner: -
--

CREATE INDEX queue_dead_queue_idx ON fastqueue.queue USING btree (dead_queue_id);


--
-- Name: queue_topic_idx; Type: INDEX; Schema: fastqueue; Owner: -
--

CREATE INDEX queue_topic_idx ON fastqueue.queue USING btree (topic_id);


--
-- Name: message message_tally_delete_trigger; Type: TRIGGER; Schema: fastqueue; Owner: -
--

CREATE TRIGGER message_tally_delete_trigger AFTER DELETE ON fastqueue.message REFERENCING OLD TABLE AS changed FOR EACH STATEMENT WHEN ((current_setting('fastqueue.tally_by_caller'::text, true) IS DISTINCT FROM 'on'::text)) EXECUTE FUNCTION fastqueue._tally_changed();


--
-- Name: message message_tally_insert_trigger; Type: TRIGGER; Schema: fastqueue; Owner: -
--

CREATE TRIGGER message_tally_insert_trigger AFTER INSERT ON fastqueue.message REFERENCING NEW TABLE AS changed FOR EACH STATEMENT WHEN ((current_setting('fastqueue.tally_by_caller'::text, true) IS DISTINCT FROM 'on'::text)) EXECUTE FUNCTION fastqueue._tally_changed();


--
-- Name: message message_tally_truncate_trigger; Type: TRIGGER; Schema: fastqueue; Owner: -
--

CREATE TRIGGER message_tally_truncate_trigger AFTER TRUNCATE ON fastqueue.message FOR EACH STATEMENT EXECUTE FUNCTION fastqueue._tally_truncated();


--
-- Name: queue queue_tally_rows_delete_trigger; Type: TRIGGER; Schema: fastqueue; Owner: -
--

CREATE TRIGGER queue_tally_rows_delete_trigger AFTER DELETE ON fastqueue.queue FOR EACH ROW EXECUTE FUNCTION fastqueue._tally_queue_changed();


--
-- Name: queue queue_tally_rows_rename_trigger; Type: TRIGGER; Schema: fastqueue; Owner: -
--

CREATE TRIGGER queue_tally_rows_rename_trigger AFTER UPDATE OF id ON fastqueue.queue FOR EACH ROW WHEN ((old.id IS DISTINCT FROM new.id)) EXECUTE FUNCTION fastqueue._tally_queue_changed();


--
-- Name: queue queue_tally_rows_trigger; Type: TRIGGER; Schema: fastqueue; Owner: -
--

CREATE TRIGGER queue_tally_rows_trigger AFTER INSERT ON fastqueue.queue FOR EACH ROW EXECUTE FUNCTION fastqueue._tally_new_queue();


--
-- Name: queue queue_tally_rows_truncate_trigger; Type: TRIGGER; Schema: fastqueue; Owner: -
--

CREATE TRIGGER queue_tally_rows_truncate_trigger AFTER TRUNCATE ON fastqueue.queue FOR EACH STATEMENT EXECUTE FUNCTION fastqueue._tally_queue_changed();


--
-- Name: message message_queue_id_fkey; Type: FK CONSTRAINT; Schema: fastqueue; Owner: -
--

ALTER TABLE ONLY fastqueue.message
    ADD CONSTRAINT message_queue_id_fkey FOREIGN KEY (queue_id) REFERENCES fastqueue.queue(id) ON DELETE CASCADE;


--
-- Name: queue queue_dead_queue_id_fkey; Type: FK CONSTRAINT; Schema: fastqueue; Owner: -
--

ALTER TABLE ONLY fastqueue.queue
    ADD CONSTRAINT queue_dead_queue_id_fkey FOREIGN KEY (dead_queue_id) REFERENCES fastqueue.queue(id);


--
-- Name: queue queue_topic_id_fkey; Type: FK CONSTRAINT; Schema: fastqueue; Owner: -
--

ALTER TABLE ONLY fastqueue.queue
    ADD CONSTRAINT queue_topic_id_fkey FOREIGN KEY (topic_id) REFERENCES fastqueue.topic(id) ON DELETE SET NULL;


--
-- Name: queue_waiter queue_waiter_queue_id_fkey; Type: FK CONSTRAINT; Schema: fastqueue; Owner: -
--

ALTER TABLE ONLY fastqueue.queue_waiter
    ADD CONSTRAINT queue_waiter_queue_id_fkey FOREIGN KEY (queue_id) REFERENCES fastqueue.queue(id) ON DELETE CASCADE;


--
-- Name: SCHEMA fastqueue; Type: ACL; Schema: -; Owner: -
--

GRANT USAGE ON SCHEMA fastqueue TO fastqueue_admin;
GRANT USAGE ON SCHEMA fastqueue TO fastqueue_publisher;
GRANT USAGE ON SCHEMA fastqueue TO fastqueue_consumer;


--
-- Name: FUNCTION _check_bound(p_name text, p_value integer); Type: ACL; Schema: fastqueue; Owner: -
--

REVOKE ALL ON FUNCTION fastqueue._check_bound(p_name text, p_value integer) FROM PUBLIC;


--
-- Name: FUNCTION _check_id(p_kind text, p_id text); Type: ACL; Schema: fastqueue; Owner: -
--

REVOKE ALL ON FUNCTION fastqueue._check_id(p_kind text, p_id text) FROM PUBLIC;


--
-- Name: FUNCTION _check_message(p_data jsonb, p_attributes jsonb, p_delay_seconds integer, p_position bigint); Type: ACL; Schema: fastqueue; Owner: -
--

REVOKE ALL ON FUNCTION fastqueue._check_message(p_data jsonb, p_attributes jsonb, p_delay_seconds integer, p_position bigint) FROM PUBLIC;


--
-- Name: FUNCTION _check_queue(p_queue fastqueue.queue); Type: ACL; Schema: fastqueue; Owner: -
--

REVOKE ALL ON FUNCTION fastqueue._check_queue(p_queue fastqueue.queue) FROM PUBLIC;


--
-- Name: FUNCTION _check_settle_batch(p_messages jsonb, p_with_delay boolean); Type: ACL; Schema: fastqueue; Owner: -
--

REVOKE ALL ON FUNCTION fastqueue._check_settle_batch(p_messages jsonb, p_with_delay boolean) FROM PUBLIC;


--
-- Name: FUNCTION _claim_idempotency_key(p_topic_id text, p_key text, p_now timestamp with time zone, p_window_seconds integer); Type: ACL; Schema: fastqueue; Owner: -
--

REVOKE ALL ON FUNCTION fastqueue._claim_idempotency_key(p_topic_id text, p_key text, p_now timestamp with time zone, p_window_seconds integer) FROM PUBLIC;


--
-- Name: FUNCTION _filter_matches(p_filters jsonb, p_attributes jsonb); Type: ACL; Schema: fastqueue; Owner: -
--

REVOKE ALL ON FUNCTION fastqueue._filter_matches(p_filters jsonb, p_attributes jsonb) FROM PUBLIC;


--
-- Name: FUNCTION _lock_queue_changes(); Type: ACL; Schema: fastqueue; Owner: -
--

REVOKE ALL ON FUNCTION fastqueue._lock_queue_changes() FROM PUBLIC;


--
-- Name: FUNCTION _move_messages(p_message_ids uuid[], p_destination_id text, p_now timestamp with time zone, p_dead_lettered_from text); Type: ACL; Schema: fastqueue; Owner: -
--

REVOKE ALL ON FUNCTION fastqueue._move_messages(p_message_ids uuid[], p_destination_id text, p_now timestamp with time zone, p_dead_lettered_from text) FROM PUBLIC;


--
-- Name: FUNCTION _nack_one(p_message_id uuid, p_receipt uuid, p_now timestamp with time zone, p_delay_seconds integer); Type: ACL; Schema: fastqueue; Owner: -
--

REVOKE ALL ON FUNCTION fastqueue._nack_one(p_message_id uuid, p_receipt uuid, p_now timestamp with time zone, p_delay_seconds integer) FROM PUBLIC;


--
-- Name: FUNCTION _queue_stats(p_queue fastqueue.queue, p_now timestamp with time zone); Type: ACL; Schema: fastqueue; Owner: -
--

REVOKE ALL ON FUNCTION fastqueue._queue_stats(p_queue fastqueue.queue, p_now timestamp with time zone) FROM PUBLIC;


--
-- Name: FUNCTION _replace_queue(p_queue fastqueue.queue); Type: ACL; Schema: fastqueue; Owner: -
--

REVOKE ALL ON FUNCTION fastqueue._replace_queue(p_queue fastqueue.queue) FROM PUBLIC;


--
-- Name: FUNCTION _retry_backoff_seconds(p_min_seconds integer, p_max_seconds integer, p_delivery_attempts integer); Type: ACL; Schema: fastqueue; Owner: -
--

REVOKE ALL ON FUNCTION fastqueue._retry_backoff_seconds(p_min_seconds integer, p_max_seconds integer, p_delivery_attempts integer) FROM PUBLIC;


--
-- Name: FUNCTION _tally_changed(); Type: ACL; Schema: fastqueue; Owner: -
--

REVOKE ALL ON FUNCTION fastqueue._tally_changed() FROM PUBLIC;


--
-- Name: FUNCTION _tally_new_queue(); Type: ACL; Schema: fastqueue; Owner: -
--

REVOKE ALL ON FUNCTION fastqueue._tally_new_queue() FROM PUBLIC;


--
-- Name: FUNCTION _tally_queue_changed(); Type: ACL; Schema: fastqueue; Owner: -
--

REVOKE ALL ON FUNCTION fastqueue._tally_queue_changed() FROM PUBLIC;


--
-- Name: FUNCTION _tally_truncated(); Type: ACL; Schema: fastqueue; Owner: -
--

REVOKE ALL ON FUNCTION fastqueue._tally_truncated() FROM PUBLIC;


--
-- Name: FUNCTION _wake_queues(p_queue_ids text[]); Type: ACL; Schema: fastqueue; Owner: -
--

REVOKE ALL ON FUNCTION fastqueue._wake_queues(p_queue_ids text[]) FROM PUBLIC;


--
-- Name: FUNCTION _wake_waiters(p_topic_id text, p_messages jsonb); Type: ACL; Schema: fastqueue; Owner: -
--

REVOKE ALL ON FUNCTION fastqueue._wake_waiters(p_topic_id text, p_messages jsonb) FROM PUBLIC;


--
-- Name: FUNCTION ack(p_message_id uuid, p_receipt uuid); Type: ACL; Schema: fastqueue; Owner: -
--

REVOKE ALL ON FUNCTION fastqueue.ack(p_message_id uuid, p_receipt uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION fastqueue.ack(p_message_id uuid, p_receipt uuid) TO fastqueue_consumer;


--
-- Name: FUNCTION ack_batch(p_messages jsonb); Type: ACL; Schema: fastqueue; Owner: -
--

REVOKE ALL ON FUNCTION fastqueue.ack_batch(p_messages jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION fastqueue.ack_batch(p_messages jsonb) TO fastqueue_consumer;


--
-- Name: FUNCTION cleanup(p_batch_size integer); Type: ACL; Schema: fastqueue; Owner: -
--

REVOKE ALL ON FUNCTION fastqueue.cleanup(p_batch_size integer) FROM PUBLIC;
GRANT ALL ON FUNCTION fastqueue.cleanup(p_batch_size integer) TO fastqueue_admin;


--
-- Name: FUNCTION create_queue(p_queue_id text, p_topic_id text, p_dead_queue_id text, p_ack_deadline_seconds integer, p_message_retention_seconds integer, p_message_filters jsonb, p_message_max_deliveries integer, p_delivery_delay_seconds integer, p_retry_min_backoff_seconds integer, p_retry_max_backoff_seconds integer); Type: ACL; Schema: fastqueue; Owner: -
--

REVOKE ALL ON FUNCTION fastqueue.create_queue(p_queue_id text, p_topic_id text, p_dead_queue_id text, p_ack_deadline_seconds integer, p_message_retention_seconds integer, p_message_filters jsonb, p_message_max_deliveries integer, p_delivery_delay_seconds integer, p_retry_min_backoff_seconds integer, p_retry_max_backoff_seconds integer) FROM PUBLIC;
GRANT ALL ON FUNCTION fastqueue.create_queue(p_queue_id text, p_topic_id text, p_dead_queue_id text, p_ack_deadline_seconds integer, p_message_retention_seconds integer, p_message_filters jsonb, p_message_max_deliveries integer, p_delivery_delay_seconds integer, p_retry_min_backoff_seconds integer, p_retry_max_backoff_seconds integer) TO fastqueue_admin;


--
-- Name: FUNCTION create_topic(p_topic_id text); Type: ACL; Schema: fastqueue; Owner: -
--

REVOKE ALL ON FUNCTION fastqueue.create_topic(p_topic_id text) FROM PUBLIC;
GRANT ALL ON FUNCTION fastqueue.create_topic(p_topic_id text) TO fastqueue_admin;


--
-- Name: FUNCTION delete_queue(p_queue_id text); Type: ACL; Schema: fastqueue; Owner: -
--

REVOKE ALL ON FUNCTION fastqueue.delete_queue(p_queue_id text) FROM PUBLIC;
GRANT ALL ON FUNCTION fastqueue.delete_queue(p_queue_id text) TO fastqueue_admin;


--
-- Name: FUNCTION delete_topic(p_topic_id text); Type: ACL; Schema: fastqueue; Owner: -
--

REVOKE ALL ON FUNCTION fastqueue.delete_topic(p_topic_id text) FROM PUBLIC;
GRANT ALL ON FUNCTION fastqueue.delete_topic(p_topic_id text) TO fastqueue_admin;


--
-- Name: FUNCTION forget_stale_waiters(); Type: ACL; Schema: fastqueue; Owner: -
--

REVOKE ALL ON FUNCTION fastqueue.forget_stale_waiters() FROM PUBLIC;
GRANT ALL ON FUNCTION fastqueue.forget_stale_waiters() TO fastqueue_consumer;


--
-- Name: FUNCTION get_message(p_message_id uuid); Type: ACL; Schema: fastqueue; Owner: -
--

REVOKE ALL ON FUNCTION fastqueue.get_message(p_message_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION fastqueue.get_message(p_message_id uuid) TO fastqueue_consumer;


--
-- Name: FUNCTION get_metrics(); Type: ACL; Schema: fastqueue; Owner: -
--

REVOKE ALL ON FUNCTION fastqueue.get_metrics() FROM PUBLIC;
GRANT ALL ON FUNCTION fastqueue.get_metrics() TO fastqueue_admin;


--
-- Name: FUNCTION get_queue(p_queue_id text); Type: ACL; Schema: fastqueue; Owner: -
--

REVOKE ALL ON FUNCTION fastqueue.get_queue(p_queue_id text) FROM PUBLIC;
GRANT ALL ON FUNCTION fastqueue.get_queue(p_queue_id text) TO fastqueue_admin;


--
-- Name: FUNCTION get_queue_stats(p_queue_id text); Type: ACL; Schema: fastqueue; Owner: -
--

REVOKE ALL ON FUNCTION fastqueue.get_queue_stats(p_queue_id text) FROM PUBLIC;
GRANT ALL ON FUNCTION fastqueue.get_queue_stats(p_queue_id text) TO fastqueue_consumer;


--
-- Name: FUNCTION get_topic(p_topic_id text); Type: ACL; Schema: fastqueue; Owner: -
--

REVOKE ALL ON FUNCTION fastqueue.get_topic(p_topic_id text) FROM PUBLIC;
GRANT ALL ON FUNCTION fastqueue.get_topic(p_topic_id text) TO fastqueue_admin;


--
-- Name: FUNCTION lease(p_queue_id text, p_limit integer); Type: ACL; Schema: fastqueue; Owner: -
--

REVOKE ALL ON FUNCTION fastqueue.lease(p_queue_id text, p_limit integer) FROM PUBLIC;
GRANT ALL ON FUNCTION fastqueue.lease(p_queue_id text, p_limit integer) TO fastqueue_consumer;


--
-- Name: FUNCTION lease_wait(p_queue_id text, p_limit integer, p_listener_pid integer); Type: ACL; Schema: fastqueue; Owner: -
--

REVOKE ALL ON FUNCTION fastqueue.lease_wait(p_queue_id text, p_limit integer, p_listener_pid integer) FROM PUBLIC;
GRANT ALL ON FUNCTION fastqueue.lease_wait(p_queue_id text, p_limit integer, p_listener_pid integer) TO fastqueue_consumer;


--
-- Name: FUNCTION list_queues(p_offset integer, p_limit integer); Type: ACL; Schema: fastqueue; Owner: -
--

REVOKE ALL ON FUNCTION fastqueue.list_queues(p_offset integer, p_limit integer) FROM PUBLIC;
GRANT ALL ON FUNCTION fastqueue.list_queues(p_offset integer, p_limit integer) TO fastqueue_admin;


--
-- Name: FUNCTION list_topics(p_offset integer, p_limit integer); Type: ACL; Schema: fastqueue; Owner: -
--

REVOKE ALL ON FUNCTION fastqueue.list_topics(p_offset integer, p_limit integer) FROM PUBLIC;
GRANT ALL ON FUNCTION fastqueue.list_topics(p_offset integer, p_limit integer) TO fastqueue_admin;


--
-- Name: FUNCTION nack(p_message_id uuid, p_receipt uuid, p_delay_seconds integer); Type: ACL; Schema: fastqueue; Owner: -
--

REVOKE ALL ON FUNCTION fastqueue.nack(p_message_id uuid, p_receipt uuid, p_delay_seconds integer) FROM PUBLIC;
GRANT ALL ON FUNCTION fastqueue.nack(p_message_id uuid, p_receipt uuid, p_delay_seconds integer) TO fastqueue_consumer;


--
-- Name: FUNCTION nack_batch(p_messages jsonb); Type: ACL; Schema: fastqueue; Owner: -
--

REVOKE ALL ON FUNCTION fastqueue.nack_batch(p_messages jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION fastqueue.nack_batch(p_messages jsonb) TO fastqueue_consumer;


--
-- Name: FUNCTION patch_queue(p_queue_id text, p_changes jsonb); Type: ACL; Schema: fastqueue; Owner: -
--

REVOKE ALL ON FUNCTION fastqueue.patch_queue(p_queue_id text, p_changes jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION fastqueue.patch_queue(p_queue_id text, p_changes jsonb) TO fastqueue_admin;


--
-- Name: FUNCTION peek(p_queue_id text, p_limit integer); Type: ACL; Schema: fastqueue; Owner: -
--

REVOKE ALL ON FUNCTION fastqueue.peek(p_queue_id text, p_limit integer) FROM PUBLIC;
GRANT ALL ON FUNCTION fastqueue.peek(p_queue_id text, p_limit integer) TO fastqueue_consumer;


--
-- Name: FUNCTION publish(p_topic_id text, p_data jsonb, p_attributes jsonb, p_delay_seconds integer, p_idempotency_key text, p_idempotency_window_seconds integer); Type: ACL; Schema: fastqueue; Owner: -
--

REVOKE ALL ON FUNCTION fastqueue.publish(p_topic_id text, p_data jsonb, p_attributes jsonb, p_delay_seconds integer, p_idempotency_key text, p_idempotency_window_seconds integer) FROM PUBLIC;
GRANT ALL ON FUNCTION fastqueue.publish(p_topic_id text, p_data jsonb, p_attributes jsonb, p_delay_seconds integer, p_idempotency_key text, p_idempotency_window_seconds integer) TO fastqueue_publisher;


--
-- Name: FUNCTION publish_batch(p_topic_id text, p_messages jsonb, p_idempotency_key text, p_idempotency_window_seconds integer); Type: ACL; Schema: fastqueue; Owner: -
--

REVOKE ALL ON FUNCTION fastqueue.publish_batch(p_topic_id text, p_messages jsonb, p_idempotency_key text, p_idempotency_window_seconds integer) FROM PUBLIC;
GRANT ALL ON FUNCTION fastqueue.publish_batch(p_topic_id text, p_messages jsonb, p_idempotency_key text, p_idempotency_window_seconds integer) TO fastqueue_publisher;


--
-- Name: FUNCTION purge_queue(p_queue_id text); Type: ACL; Schema: fastqueue; Owner: -
--

REVOKE ALL ON FUNCTION fastqueue.purge_queue(p_queue_id text) FROM PUBLIC;
GRANT ALL ON FUNCTION fastqueue.purge_queue(p_queue_id text) TO fastqueue_admin;


--
-- Name: FUNCTION record_cleanup_run(p_expired bigint, p_dead_lettered bigint); Type: ACL; Schema: fastqueue; Owner: -
--

REVOKE ALL ON FUNCTION fastqueue.record_cleanup_run(p_expired bigint, p_dead_lettered bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION fastqueue.record_cleanup_run(p_expired bigint, p_dead_lettered bigint) TO fastqueue_admin;


--
-- Name: FUNCTION redrive_queue(p_queue_id text, p_destination_queue_id text, p_limit integer); Type: ACL; Schema: fastqueue; Owner: -
--

REVOKE ALL ON FUNCTION fastqueue.redrive_queue(p_queue_id text, p_destination_queue_id text, p_limit integer) FROM PUBLIC;
GRANT ALL ON FUNCTION fastqueue.redrive_queue(p_queue_id text, p_destination_queue_id text, p_limit integer) TO fastqueue_admin;


--
-- Name: PROCEDURE run_cleanup(IN p_batch_size integer, INOUT expired bigint, INOUT dead_lettered bigint); Type: ACL; Schema: fastqueue; Owner: -
--

REVOKE ALL ON PROCEDURE fastqueue.run_cleanup(IN p_batch_size integer, INOUT expired bigint, INOUT dead_lettered bigint) FROM PUBLIC;
GRANT ALL ON PROCEDURE fastqueue.run_cleanup(IN p_batch_size integer, INOUT expired bigint, INOUT dead_lettered bigint) TO fastqueue_admin;


--
-- Name: FUNCTION set_deadline(p_message_id uuid, p_seconds integer, p_receipt uuid); Type: ACL; Schema: fastqueue; Owner: -
--

REVOKE ALL ON FUNCTION fastqueue.set_deadline(p_message_id uuid, p_seconds integer, p_receipt uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION fastqueue.set_deadline(p_message_id uuid, p_seconds integer, p_receipt uuid) TO fastqueue_consumer;


--
-- Name: FUNCTION update_queue(p_queue_id text, p_topic_id text, p_dead_queue_id text, p_ack_deadline_seconds integer, p_message_retention_seconds integer, p_message_filters jsonb, p_message_max_deliveries integer, p_delivery_delay_seconds integer, p_retry_min_backoff_seconds integer, p_retry_max_backoff_seconds integer); Type: ACL; Schema: fastqueue; Owner: -
--

REVOKE ALL ON FUNCTION fastqueue.update_queue(p_queue_id text, p_topic_id text, p_dead_queue_id text, p_ack_deadline_seconds integer, p_message_retention_seconds integer, p_message_filters jsonb, p_message_max_deliveries integer, p_delivery_delay_seconds integer, p_retry_min_backoff_seconds integer, p_retry_max_backoff_seconds integer) FROM PUBLIC;
GRANT ALL ON FUNCTION fastqueue.update_queue(p_queue_id text, p_topic_id text, p_dead_queue_id text, p_ack_deadline_seconds integer, p_message_retention_seconds integer, p_message_filters jsonb, p_message_max_deliveries integer, p_delivery_delay_seconds integer, p_retry_min_backoff_seconds integer, p_retry_max_backoff_seconds integer) TO fastqueue_admin;


--
-- Name: TABLE setting; Type: ACL; Schema: fastqueue; Owner: -
--

GRANT SELECT ON TABLE fastqueue.setting TO fastqueue_admin;


--
-- Name: COLUMN setting.min_value; Type: ACL; Schema: fastqueue; Owner: -
--

GRANT UPDATE(min_value) ON TABLE fastqueue.setting TO fastqueue_admin;


--
-- Name: COLUMN setting.max_value; Type: ACL; Schema: fastqueue; Owner: -
--

GRANT UPDATE(max_value) ON TABLE fastqueue.setting TO fastqueue_admin;


--
-- PostgreSQL database dump complete
--


