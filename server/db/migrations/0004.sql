-- boothd migration 0004: schema version 3 -> 4 (table changes only; functions come with
-- server/db/functions.sql on every start; the lock, the version check and the version update
-- come from server/db/bootstrap.c, MIGRATION_BEFORE).
-- ---- setup: archiving booths (version 4) ----
-- What the column means: booths.archived_at in schema.sql.
ALTER TABLE booths ADD COLUMN archived_at timestamptz;

-- ---- exhibitor2: booth analytics rollup (version 4) ----
-- What the tables and triggers mean: the same block at the end of schema.sql.
CREATE TABLE visit_rollup_booths (
  booth_id  bigint PRIMARY KEY REFERENCES booths (id) ON DELETE CASCADE,
  origin    timestamptz NOT NULL,
  rolled_to timestamptz,                       -- visits entered before it are folded; NULL: none (reset)
  visitors  bigint NOT NULL DEFAULT 0 CHECK (visitors >= 0)   -- rows in visit_rollup_visitors
);
CREATE TABLE visit_rollup_hours (
  booth_id   bigint NOT NULL REFERENCES booths (id) ON DELETE CASCADE,
  hour_start timestamptz NOT NULL,
  visits     bigint NOT NULL CHECK (visits >= 0),
  visitors   bigint NOT NULL CHECK (visitors >= 0),     -- distinct accounts that entered in this hour
  dwell_n    bigint NOT NULL CHECK (dwell_n >= 0),      -- finished visits of this hour ...
  dwell_sum  bigint NOT NULL CHECK (dwell_sum >= 0),    -- ... and their dwell seconds
  PRIMARY KEY (booth_id, hour_start)
);
CREATE TABLE visit_rollup_visitors (
  booth_id   bigint NOT NULL REFERENCES booths (id) ON DELETE CASCADE,
  account_id bigint NOT NULL,                  -- no FK: deleting an account deletes its visits, which resets
  PRIMARY KEY (booth_id, account_id)
);
CREATE TABLE visit_rollup_dwell (
  booth_id      bigint NOT NULL REFERENCES booths (id) ON DELETE CASCADE,
  dwell_seconds integer NOT NULL,
  n             bigint NOT NULL CHECK (n > 0),
  PRIMARY KEY (booth_id, dwell_seconds)
);
CREATE TABLE visit_rollup_open (
  visit_id   bigint PRIMARY KEY,               -- no FK: a deleted visit resets its booth
  booth_id   bigint NOT NULL REFERENCES booths (id) ON DELETE CASCADE,
  hour_start timestamptz NOT NULL
);
CREATE INDEX visit_rollup_open_booth_idx ON visit_rollup_open (booth_id);

-- The resets. Both run on rare writes only (staff changes; visits deleted with an account or a
-- booth), never on a join or a leave. The upsert (not a plain UPDATE) waits for a rollup that is
-- creating the booth's row, so the staff it read cannot miss this change.
CREATE OR REPLACE FUNCTION visit_rollup_reset_staff() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO visit_rollup_booths AS rb (booth_id, origin)
  SELECT b.id, 'epoch' FROM booths b WHERE b.id IN (NEW.booth_id, OLD.booth_id)
  ON CONFLICT (booth_id) DO UPDATE SET rolled_to = NULL;
  RETURN NULL;
END
$$;
CREATE TRIGGER booth_staff_rollup_reset AFTER INSERT OR UPDATE OR DELETE ON booth_staff
  FOR EACH ROW EXECUTE FUNCTION visit_rollup_reset_staff();
CREATE OR REPLACE FUNCTION visit_rollup_reset_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE visit_rollup_booths rb SET rolled_to = NULL
   WHERE rb.rolled_to IS NOT NULL AND rb.booth_id IN (SELECT DISTINCT g.booth_id FROM gone g);
  RETURN NULL;
END
$$;
CREATE TRIGGER visits_rollup_reset AFTER DELETE ON visits
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION visit_rollup_reset_deleted();

