-- pgTAP: a session's leases of one queue start where its last lease found the head of
-- the queue, for one second. A message behind that point (one committed late, or given
-- back by a rolled-back lease) waits until nothing is found from the point, or until
-- the second is over; then the lease looks from the head. A hint that does not parse, or
-- that ends more than a second ahead, is ignored. Time passes by rewriting the
-- hint and scheduled_at, never by sleeping. Every id this file creates starts with hint-.

BEGIN;

SELECT plan(13);

CREATE TEMP TABLE named (name text PRIMARY KEY, id uuid) ON COMMIT DROP;

-- Publish one message named p_name to hint-q, visible since p_at.
CREATE FUNCTION pg_temp.put(p_name text, p_at timestamptz) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO named
    SELECT p_name, p.id
    FROM fastqueue.publish('hint-topic', jsonb_build_object('name', p_name)) AS p
    WHERE p.queue_id = 'hint-q';
    UPDATE fastqueue.message
    SET scheduled_at = p_at
    WHERE id = (SELECT id FROM named WHERE name = p_name);
END;
$$;

-- The name of the one message a lease of hint-q returns.
CREATE FUNCTION pg_temp.next() RETURNS text
LANGUAGE sql AS $$
    SELECT data ->> 'name' FROM fastqueue.lease('hint-q', 1)
$$;

-- The session's hint, split: until (epoch), from (epoch), queue.
CREATE FUNCTION pg_temp.hint() RETURNS text[]
LANGUAGE sql AS $$
    SELECT string_to_array(current_setting('fastqueue.lease_hint', true), ',')
$$;

CREATE TEMP TABLE base AS SELECT clock_timestamp() - interval '1 hour' AS at;

SELECT FROM fastqueue.create_topic('hint-topic');
SELECT FROM fastqueue.create_queue('hint-q', 'hint-topic');
SELECT FROM fastqueue.create_queue('hint-other', 'hint-topic');
SELECT
FROM unnest(ARRAY['a', 'b', 'c']) WITH ORDINALITY AS n (name, position),
     LATERAL pg_temp.put(n.name, (SELECT at FROM base) + make_interval(secs => n.position));
SELECT FROM set_config('fastqueue.lease_hint', '', false);

-- ---- the hint -------------------------------------------------------------------
SELECT is(pg_temp.next(), 'a', 'without a hint the lease starts at the head');
SELECT results_eq(
    $$SELECT h[3], to_timestamp(h[2]::double precision) = (SELECT at FROM base) + interval '1 s',
             h[1]::double precision - extract(epoch FROM clock_timestamp()) BETWEEN 0 AND 1
      FROM pg_temp.hint() AS h$$,
    $$VALUES ('hint-q', true, true)$$,
    'the lease remembers its queue, where it found the head, and for one second'
);

-- ---- behind the hint --------------------------------------------------------------
-- 'late' shows up behind the point the hint starts from, as a publish that committed late
-- or a lease rolled back would leave it.
SELECT FROM pg_temp.put('late', (SELECT at FROM base));
SELECT is(pg_temp.next(), 'b', 'while the hint holds, a lease starts from its point');
SELECT is(pg_temp.next(), 'c', 'and goes on from there');
SELECT is(pg_temp.next(), 'late',
    'a lease that finds nothing from the point looks from the head');

-- ---- the end of the hint ------------------------------------------------------------
SELECT FROM pg_temp.put('d', (SELECT at FROM base) + interval '10 seconds');
SELECT is(pg_temp.next(), 'd', 'after looking from the head, the lease starts from there');
SELECT FROM pg_temp.put('late-2', (SELECT at FROM base) - interval '1 second');
SELECT FROM pg_temp.put('e', (SELECT at FROM base) + interval '11 seconds');
SELECT FROM set_config('fastqueue.lease_hint',
    array_to_string(ARRAY['0'] || (pg_temp.hint())[2:3], ','), false);
SELECT is(pg_temp.next(), 'late-2', 'once its second is over, the lease starts at the head');

-- ---- one queue's hint is not another's ------------------------------------------------
SELECT FROM pg_temp.put('f', (SELECT at FROM base) + interval '12 seconds');
SELECT FROM pg_temp.put('late-3', (SELECT at FROM base) - interval '2 seconds');
SELECT FROM set_config('fastqueue.lease_hint',
    concat_ws(',', extract(epoch FROM clock_timestamp()) + 60,
              extract(epoch FROM (SELECT at FROM base) + interval '12 seconds'), 'hint-other'),
    false);
SELECT is(pg_temp.next(), 'late-3', 'the hint of another queue does not apply');
SELECT is((pg_temp.hint())[3], 'hint-q', 'the lease replaces it with its own queue''s');

SELECT results_eq(
    $$SELECT data ->> 'name' FROM fastqueue.lease('hint-q', 10)$$,
    $$VALUES ('e'), ('f')$$,
    'what is left comes in order'
);

-- ---- hints that cannot be right are ignored -------------------------------------------
SELECT FROM pg_temp.put('g', (SELECT at FROM base) + interval '20 seconds');
SELECT FROM pg_temp.put('late-4', (SELECT at FROM base) - interval '3 seconds');
SELECT FROM set_config('fastqueue.lease_hint',
    concat_ws(',', extract(epoch FROM clock_timestamp()) + 3600,
              extract(epoch FROM (SELECT at FROM base) + interval '20 seconds'), 'hint-q'),
    false);
SELECT is(pg_temp.next(), 'late-4',
    'a hint that ends more than a second ahead (the clock went back) is ignored');
SELECT FROM pg_temp.put('late-5', (SELECT at FROM base) - interval '4 seconds');
SELECT FROM set_config('fastqueue.lease_hint', 'NaN,1e400,hint-q', false);
SELECT is(pg_temp.next(), 'late-5', 'a hint that does not parse is ignored');
SELECT FROM set_config('fastqueue.lease_hint', 'garbage', false);
SELECT is(pg_temp.next(), 'g', 'whatever it holds');

SELECT * FROM finish();
ROLLBACK;
