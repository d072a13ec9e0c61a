-- boothd migration 0004: schema version 3 -> 4 (table changes only; functions come with
-- server/db/functions.sql on every start). See 0002.sql for why the lock and the check.
LOCK TABLE schema_version IN EXCLUSIVE MODE;

DO $check$
DECLARE
  v integer;
BEGIN
  SELECT max(version) INTO v FROM schema_version;
  IF v IS DISTINCT FROM 3 THEN
    RAISE EXCEPTION 'migration 0004 expects schema version 3, the database has %', coalesce(v::text, 'none')
      USING ERRCODE = 'object_not_in_prerequisite_state';
  END IF;
END
$check$;

-- ---- setup: archiving booths (version 4) ----
-- What the column means: booths.archived_at in schema.sql.
ALTER TABLE booths ADD COLUMN archived_at timestamptz;

UPDATE schema_version SET version = 4;
