-- Deploy fastqueue:schema_fastqueue to pg
-- The schema that holds every fastqueue object.

BEGIN;

CREATE SCHEMA fastqueue;

COMMENT ON SCHEMA fastqueue IS
    'fastqueue: topics, queues and messages. Call the functions; the tables are private.';

-- Functions that the deploying role creates are not callable by PUBLIC; each
-- role gets what it needs by explicit grants. A per-schema default cannot take
-- away the global EXECUTE grant, hence the role-wide default.
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON ROUTINES FROM PUBLIC;

-- Conventions for the functions of this schema:
-- * public functions are SECURITY DEFINER and pin search_path, so a caller's
--   objects can never stand in for ours; every reference is schema-qualified all
--   the same;
-- * private helpers start with '_', are granted to no one, and run only inside
--   public functions, whose search_path they inherit (a SET clause costs every call);
-- * errors carry a SQLSTATE of class FQ0 (not found), FQ1 (conflict) or FQ2
--   (invalid input), listed in each function's comment.

COMMIT;
