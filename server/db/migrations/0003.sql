-- boothd migration 0003: schema version 2 -> 3 (table changes only; functions come with
-- server/db/functions.sql on every start). See 0002.sql for why the lock and the check.
LOCK TABLE schema_version IN EXCLUSIVE MODE;

DO $check$
DECLARE
  v integer;
BEGIN
  SELECT max(version) INTO v FROM schema_version;
  IF v IS DISTINCT FROM 2 THEN
    RAISE EXCEPTION 'migration 0003 expects schema version 2, the database has %', coalesce(v::text, 'none')
      USING ERRCODE = 'object_not_in_prerequisite_state';
  END IF;
END
$check$;

-- ---- login throttling (version 3) ----
CREATE TABLE login_throttle (
  key             text PRIMARY KEY CHECK (length(key) <= 300),
  failures        integer NOT NULL CHECK (failures >= 0),
  last_failure_at timestamptz NOT NULL
);

UPDATE schema_version SET version = 3;
