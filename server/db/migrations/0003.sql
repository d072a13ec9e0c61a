-- boothd migration 0003: schema version 2 -> 3.
--
-- boothd runs this file as one simple-query script, i.e. in one implicit transaction, when it
-- finds the database at version 2 (server/db/bootstrap.c). Several boothd processes may start at
-- once: the first statement serializes them (EXCLUSIVE conflicts with itself and with every
-- write of schema_version, but not with plain reads of it), and the check below runs after
-- the lock is granted, in a new snapshot, so it sees what a node that held the lock before us
-- committed. A node that finds the step already applied raises and rolls back; boothd then
-- reads the version again and goes on from there.
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
