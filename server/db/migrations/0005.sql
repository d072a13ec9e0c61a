-- boothd migration 0005: schema version 4 -> 5 (table changes only; functions come with
-- server/db/functions.sql on every start). See 0002.sql for why the lock and the check.
LOCK TABLE schema_version IN EXCLUSIVE MODE;

DO $check$
DECLARE
  v integer;
BEGIN
  SELECT max(version) INTO v FROM schema_version;
  IF v IS DISTINCT FROM 4 THEN
    RAISE EXCEPTION 'migration 0005 expects schema version 4, the database has %', coalesce(v::text, 'none')
      USING ERRCODE = 'object_not_in_prerequisite_state';
  END IF;
END
$check$;

-- ---- joins: open visits by session (version 5) ----
-- What the index is for: visits_open_idx in schema.sql.
DROP INDEX visits_open_idx;
CREATE INDEX visits_open_idx ON visits (node_id, session_id) WHERE left_at IS NULL;

UPDATE schema_version SET version = 5;
