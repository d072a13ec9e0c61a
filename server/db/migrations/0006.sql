-- boothd migration 0006: schema version 5 -> 6 (table changes only; functions come with
-- server/db/functions.sql on every start; the lock, the version check and the version update
-- come from server/db/bootstrap.c, MIGRATION_BEFORE).
-- ---- chat: the per-booth sequence counter in a narrow table of its own (version 6) ----
-- Why: booth_chat_seq in schema.sql. The counters move over as they are: nothing is renumbered.
CREATE TABLE booth_chat_seq (
  booth_id bigint PRIMARY KEY REFERENCES booths (id) ON DELETE CASCADE,
  last_seq bigint NOT NULL DEFAULT 0 CHECK (last_seq >= 0)
) WITH (fillfactor = 50);
INSERT INTO booth_chat_seq (booth_id, last_seq) SELECT id, last_seq FROM booths;
CREATE FUNCTION booth_chat_seq_add() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO booth_chat_seq (booth_id) VALUES (NEW.id);
  RETURN NULL;
END
$$;
CREATE TRIGGER booths_chat_seq_add AFTER INSERT ON booths
  FOR EACH ROW EXECUTE FUNCTION booth_chat_seq_add();
ALTER TABLE booths DROP COLUMN last_seq;
ALTER TABLE booths RESET (fillfactor);   -- no longer rewritten by every chat batch
