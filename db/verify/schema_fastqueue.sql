-- Verify fastqueue:schema_fastqueue on pg

BEGIN;

SELECT pg_catalog.has_schema_privilege('fastqueue', 'usage');

-- Division by zero unless this role's functions are not executable by PUBLIC.
SELECT 1 / count(*)
FROM pg_catalog.pg_default_acl
WHERE defaclrole = current_user::regrole
  AND defaclnamespace = 0
  AND defaclobjtype = 'f';

ROLLBACK;
