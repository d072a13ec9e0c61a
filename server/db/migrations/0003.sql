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

-- ---- leads and booth analytics (version 3) ----
-- What the columns mean: the same block at the end of schema.sql.
ALTER TABLE leads
  ADD COLUMN consent_version text CHECK (char_length(consent_version) BETWEEN 1 AND 40),
  ADD COLUMN withdrawn_at    timestamptz,
  ADD COLUMN status          text NOT NULL DEFAULT 'new'
                               CHECK (status IN ('new', 'contacted', 'qualified', 'not_a_fit')),
  ADD CONSTRAINT leads_withdrawn_erased CHECK (withdrawn_at IS NULL OR (card IS NULL AND notes IS NULL
                                                                        AND rating IS NULL AND NOT consent));
CREATE INDEX leads_booth_created_idx ON leads (booth_id, created_at DESC) WHERE withdrawn_at IS NULL;
CREATE INDEX visits_booth_analytics_idx ON visits (booth_id, entered_at) INCLUDE (account_id, dwell_seconds);
DROP INDEX visits_booth_entered_idx;
CREATE INDEX chat_messages_booth_sent_idx ON chat_messages (booth_id, sent_at) WHERE deleted_at IS NULL;
CREATE INDEX meetings_booth_created_idx ON meetings (booth_id, created_at) INCLUDE (status);

-- ---- files and media (version 3) ----
-- Every upload belongs to the booth it was uploaded for (the uploader was staff of it or an
-- organizer); deleting the booth deletes its files. original name: files.filename.
ALTER TABLE files ADD COLUMN booth_id bigint REFERENCES booths (id) ON DELETE CASCADE;
CREATE INDEX files_booth_idx ON files (booth_id, created_at);
-- Media kinds gain 'stream' (a live-stream link). embed_url: the privacy-enhanced player URL
-- boothd built from a YouTube/Vimeo link (util/embed.h), NULL for other kinds.
ALTER TABLE booth_media DROP CONSTRAINT booth_media_kind_check;
ALTER TABLE booth_media ADD CONSTRAINT booth_media_kind_check
  CHECK (kind IN ('video', 'stream', 'brochure', 'image', 'link'));
ALTER TABLE booth_media ADD COLUMN embed_url text CHECK (char_length(embed_url) <= 200);

UPDATE schema_version SET version = 3;
