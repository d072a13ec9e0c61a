-- boothd migration 0005: schema version 4 -> 5 (table changes only; functions come with
-- server/db/functions.sql on every start; the lock, the version check and the version update
-- come from server/db/bootstrap.c, MIGRATION_BEFORE).
-- ---- joins: open visits by session (version 5) ----
-- What the index is for: visits_open_idx in schema.sql.
DROP INDEX visits_open_idx;
CREATE INDEX visits_open_idx ON visits (node_id, session_id) WHERE left_at IS NULL;

