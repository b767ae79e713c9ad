-- pgTAP: lease, ack, nack, ack_batch, nack_batch and set_deadline plan their
-- statements once per session, and a plan lives until the table is analyzed again.
-- Planned while the messages table looked empty, they must still find messages through
-- the indexes once it is full, never by reading the whole table. On a database where
-- the table holds messages already, ANALYZE sees them and this file checks the
-- ordinary case. Every id this file creates starts with plans-.

BEGIN;

SELECT plan(4);

-- Statistics of the table as this transaction sees it: empty, on a fresh test database.
ANALYZE fastqueue.message;

SELECT FROM fastqueue.create_topic('plans-topic');
SELECT FROM fastqueue.create_queue('plans-q', 'plans-topic');

-- The first calls of the session make the plans, on the statistics above.
SELECT FROM fastqueue.lease('plans-q', 10);
DO $$
DECLARE
    v_unknown uuid := gen_random_uuid();
BEGIN
    FOR i IN 1 .. 6 LOOP
        PERFORM fastqueue.ack_batch(jsonb_build_array(jsonb_build_object('id', v_unknown)));
        PERFORM fastqueue.nack_batch(jsonb_build_array(jsonb_build_object('id', v_unknown)));
        BEGIN
            PERFORM fastqueue.ack(gen_random_uuid());
        EXCEPTION WHEN SQLSTATE 'FQ003' THEN
            NULL;
        END;
        BEGIN
            PERFORM fastqueue.nack(gen_random_uuid());
        EXCEPTION WHEN SQLSTATE 'FQ003' THEN
            NULL;
        END;
        BEGIN
            PERFORM fastqueue.set_deadline(gen_random_uuid(), 30);
        EXCEPTION WHEN SQLSTATE 'FQ003' THEN
            NULL;
        END;
    END LOOP;
END;
$$;

INSERT INTO fastqueue.message (queue_id, data, scheduled_at, expired_at, created_at, updated_at)
SELECT 'plans-q', jsonb_build_object('n', i), now() - (20000 - i) * interval '1 ms',
       now() + interval '1 day', now(), now()
FROM generate_series(1, 20000) AS i;

-- Rows of the messages table read so far in this transaction, by any kind of scan.
CREATE FUNCTION pg_temp.rows_read() RETURNS bigint
LANGUAGE sql AS $$
    SELECT coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0)
    FROM pg_stat_xact_user_tables WHERE relid = 'fastqueue.message'::regclass
$$;
CREATE TEMP TABLE before ON COMMIT DROP AS SELECT pg_temp.rows_read() AS n;
CREATE TEMP TABLE leased ON COMMIT DROP AS
SELECT id, data ->> 'n' AS n FROM fastqueue.lease('plans-q', 10);

SELECT fastqueue.ack((SELECT id FROM leased WHERE n = '1'));
SELECT cmp_ok(
    pg_temp.rows_read() - (SELECT n FROM before), '<', 100::bigint,
    'the lease of 10 and the ack read a few rows, not the 20,000 of the queue');

UPDATE before SET n = pg_temp.rows_read();
SELECT fastqueue.nack((SELECT id FROM leased WHERE n = '2'));
SELECT fastqueue.set_deadline((SELECT id FROM leased WHERE n = '3'), 60);
SELECT fastqueue.ack_batch(jsonb_agg(jsonb_build_object('id', id)))
FROM leased WHERE n IN ('4', '5');
SELECT fastqueue.nack_batch(jsonb_agg(jsonb_build_object('id', id)))
FROM leased WHERE n IN ('6', '7');
SELECT cmp_ok(
    pg_temp.rows_read() - (SELECT n FROM before), '<', 100::bigint,
    'nack, set_deadline, ack_batch and nack_batch read a few rows too');
SELECT is((SELECT count(*) FROM leased), 10::bigint, 'the lease found messages');
SELECT is(
    (SELECT count(*) FROM fastqueue.message WHERE queue_id = 'plans-q'), 19997::bigint,
    'the acks deleted their messages');

SELECT * FROM finish();
ROLLBACK;
