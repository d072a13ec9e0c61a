-- boothd migration 0003: schema version 2 -> 3.
--
-- Runs as one simple-query script (one implicit transaction) on a database at version 2; the
-- lock and the check serialize several nodes starting at once, as in 0002.sql. Each domain adds
-- its block below under its own header; functions come from server/db/functions.sql.
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

UPDATE schema_version SET version = 3;

-- ---- organizer (version 3) ----
CREATE TABLE node_stats (
  node_id            text PRIMARY KEY CHECK (char_length(node_id) BETWEEN 1 AND 200),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  sessions           integer NOT NULL DEFAULT 0 CHECK (sessions >= 0),
  signed_in          integer NOT NULL DEFAULT 0 CHECK (signed_in >= 0),
  visitors_in_booths integer NOT NULL DEFAULT 0 CHECK (visitors_in_booths >= 0),
  staff_online       integer NOT NULL DEFAULT 0 CHECK (staff_online >= 0),
  chat_per_min       integer NOT NULL DEFAULT 0 CHECK (chat_per_min >= 0),
  booths             jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(booths) = 'object')
);
CREATE TABLE stats_minute (
  minute             timestamptz PRIMARY KEY CHECK (date_trunc('minute', minute) = minute),
  nodes              integer NOT NULL CHECK (nodes >= 0),
  sessions           integer NOT NULL CHECK (sessions >= 0),
  signed_in          integer NOT NULL CHECK (signed_in >= 0),
  visitors_in_booths integer NOT NULL CHECK (visitors_in_booths >= 0),
  staff_online       integer NOT NULL CHECK (staff_online >= 0),
  chat_messages      integer NOT NULL CHECK (chat_messages >= 0)
);
CREATE INDEX meetings_created_idx ON meetings (created_at);
CREATE INDEX meetings_updated_idx ON meetings (updated_at);
CREATE INDEX accounts_created_idx ON accounts (created_at);

-- Announcements by organizers are bilingual: title/body hold the English text, title_ko/body_ko
-- the Korean; level 'important' is shown more prominently. Retracted ones stay for the history.
ALTER TABLE announcements
  ADD COLUMN title_ko text CHECK (char_length(title_ko) BETWEEN 1 AND 200),
  ADD COLUMN body_ko text CHECK (char_length(body_ko) BETWEEN 1 AND 5000),
  ADD COLUMN level text NOT NULL DEFAULT 'info' CHECK (level IN ('info', 'important')),
  ADD COLUMN retracted_at timestamptz,
  ADD COLUMN retracted_by bigint REFERENCES accounts (id) ON DELETE SET NULL;
CREATE INDEX announcements_active_idx ON announcements (created_at DESC) WHERE booth_id IS NULL AND retracted_at IS NULL;
CREATE INDEX bans_active_idx ON bans (account_id) WHERE booth_id IS NULL AND revoked_at IS NULL;
ALTER TABLE bans ADD COLUMN revoked_by bigint REFERENCES accounts (id) ON DELETE SET NULL;

-- Staff accounts created by the organizer's bulk import get no password: a one-time link
-- /set-password.html?token=... (the token only as its SHA-256 here) lets them choose one.
CREATE TABLE account_setup_tokens (
  token_hash bytea PRIMARY KEY CHECK (octet_length(token_hash) = 32),
  account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  created_by bigint REFERENCES accounts (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at    timestamptz,
  CHECK (expires_at > created_at)
);
CREATE INDEX account_setup_tokens_account_idx ON account_setup_tokens (account_id);

-- Moderation of booth chat: a hidden message keeps its row and its seq (the sequence stays
-- gapless); history and catch-up send it as {hidden: true, text: ""} (chat_sql.h).
ALTER TABLE chat_messages
  ADD COLUMN hidden_at timestamptz,
  ADD COLUMN hidden_by bigint REFERENCES accounts (id) ON DELETE SET NULL;
