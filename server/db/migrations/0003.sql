-- boothd migration 0003: schema version 2 -> 3 (table changes only; functions come with
-- server/db/functions.sql on every start; the lock, the version check and the version update
-- come from server/db/bootstrap.c, MIGRATION_BEFORE).
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

-- ---- exhibitor (version 3) ----
-- Booth self-service (server/domains/exhibitor/): a contact address staff edit with the booth;
-- a product image that is an uploaded file (its image_url becomes '/files/<id>', so readers of
-- image_url need not know); invitations of colleagues to a booth's team.
ALTER TABLE booths ADD COLUMN contact_email text CHECK (char_length(contact_email) <= 254);
ALTER TABLE products ADD COLUMN image_file_id bigint REFERENCES files (id) ON DELETE SET NULL;
CREATE INDEX products_image_file_idx ON products (image_file_id) WHERE image_file_id IS NOT NULL;

-- An invitation to staff a booth, sent by its staff (or an organizer) to an e-mail address. The
-- link carries a one-time token; only its SHA-256 is stored (like auth_tokens). Pending = not
-- accepted, not revoked (expiry is checked at use); at most one pending invite per booth and
-- address: a new invite to the same address revokes the previous one in the same transaction.
CREATE TABLE booth_invites (
  id          bigserial PRIMARY KEY,
  booth_id    bigint NOT NULL REFERENCES booths (id) ON DELETE CASCADE,
  email       text NOT NULL CHECK (char_length(email) BETWEEN 3 AND 254),
  token_hash  bytea NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
  invited_by  bigint REFERENCES accounts (id) ON DELETE SET NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  accepted_at timestamptz,
  accepted_by bigint REFERENCES accounts (id) ON DELETE SET NULL,
  revoked_at  timestamptz,
  CHECK (expires_at > created_at)
);
CREATE UNIQUE INDEX booth_invites_pending_key ON booth_invites (booth_id, lower(email))
  WHERE accepted_at IS NULL AND revoked_at IS NULL;

-- ---- inquiries (version 3) ----
-- Private inquiries: one thread per (buyer, booth), seen by that buyer, the booth's staff and
-- organizers, nobody else. last_seq is the per-thread message counter: inquiry_append() locks the
-- thread row, hands out last_seq+1.. and writes it back, so seqs are gapless and in commit
-- order (the booth chat's scheme, per thread). buyer_read_seq / booth_read_seq are the read
-- marks of the two sides (the booth side is shared by its staff). claimed_by: the staff member
-- who took the thread (NULL: open to all of the booth). buyer_time_zone: the buyer's IANA zone
-- as their browser reported it when opening, for "their local time now" on the desk.
CREATE TABLE inquiry_threads (
  id              bigserial PRIMARY KEY,
  booth_id        bigint NOT NULL REFERENCES booths (id) ON DELETE CASCADE,
  buyer_id        bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  buyer_time_zone text CHECK (char_length(buyer_time_zone) BETWEEN 1 AND 64),
  created_at      timestamptz NOT NULL DEFAULT now(),
  last_seq        bigint NOT NULL DEFAULT 0 CHECK (last_seq >= 0),
  last_at         timestamptz NOT NULL DEFAULT now(),
  buyer_read_seq  bigint NOT NULL DEFAULT 0 CHECK (buyer_read_seq >= 0),
  booth_read_seq  bigint NOT NULL DEFAULT 0 CHECK (booth_read_seq >= 0),
  claimed_by      bigint REFERENCES accounts (id) ON DELETE SET NULL,
  claimed_at      timestamptz,
  CONSTRAINT inquiry_threads_booth_buyer_key UNIQUE (booth_id, buyer_id)
) WITH (fillfactor = 70);   -- every message batch rewrites last_seq: room for HOT updates
CREATE INDEX inquiry_threads_buyer_idx ON inquiry_threads (buyer_id, last_at DESC);
CREATE INDEX inquiry_threads_booth_idx ON inquiry_threads (booth_id, last_at DESC);

-- Messages of a thread. seq per thread from 1, gapless; (author_id, client_msg_id) is the
-- idempotency key of inquiry.send, as for chat_messages.
CREATE TABLE inquiry_messages (
  id            bigserial PRIMARY KEY,
  thread_id     bigint NOT NULL REFERENCES inquiry_threads (id) ON DELETE CASCADE,
  seq           bigint NOT NULL CHECK (seq >= 1),
  author_id     bigint NOT NULL REFERENCES accounts (id) ON DELETE RESTRICT,
  body          text NOT NULL CHECK (char_length(body) BETWEEN 1 AND 2000),
  client_msg_id text NOT NULL CHECK (char_length(client_msg_id) BETWEEN 1 AND 64),
  created_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT inquiry_messages_thread_seq_key UNIQUE (thread_id, seq),
  CONSTRAINT inquiry_messages_author_client_msg_key UNIQUE (author_id, client_msg_id)
);

-- Per-booth settings of the inquiry desk: public_chat = false closes the booth's public chat
-- (the booth then offers only "Ask privately"); quick_replies is the booth's list of canned
-- answers (a JSON array of strings, at most 20 of at most 500 characters, checked by the server).
CREATE TABLE booth_inquiry_settings (
  booth_id      bigint PRIMARY KEY REFERENCES booths (id) ON DELETE CASCADE,
  public_chat   boolean NOT NULL DEFAULT true,
  quick_replies jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(quick_replies) = 'array'
                                                   AND octet_length(quick_replies::text) <= 16000),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  updated_by    bigint REFERENCES accounts (id) ON DELETE SET NULL
);

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

