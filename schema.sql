-- boothd-schema-version: 7
--
-- schema.sql: the whole boothd data model (PostgreSQL 15). The single source of the schema:
-- boothd embeds this file at build time and applies it to an EMPTY database as one simple-query
-- script (one implicit transaction). Therefore: no psql meta-commands, no BEGIN/COMMIT, only
-- extensions shipped with Debian's postgresql-15 (btree_gist, pg_trgm from contrib).
--
-- Conventions used below:
--   * ids are bigint identities (bigserial); text columns carry length CHECKs so that a bug or
--     a hostile client can never store megabytes in a name;
--   * bilingual texts are pairs of columns *_en / *_ko;
--   * every timestamp is timestamptz (UTC inside, the zone is a display matter), the zones that
--     matter for display are stored as IANA names (booths.time_zone, expo.time_zone);
--   * accounts are disabled (disabled_at), not deleted, in normal operation; ON DELETE rules
--     still say what happens if an operator erases one by hand.
-- docs/architecture.md describes every table and the data flow around it.
--
-- Tables, indexes, triggers and their trigger function live here; every other function lives in
-- server/db/functions.sql, which boothd applies after this file and again on every start.

-- Two nodes starting on the same empty database serialize here; the loser then fails on
-- "already exists", rolls back and re-checks the schema version.
SELECT pg_advisory_xact_lock(7263001);

-- Korean text must be counted in characters, compared and searched as text: refuse anything
-- but a UTF8 database instead of silently storing bytes.
DO $check$
BEGIN
  IF current_setting('server_encoding') <> 'UTF8' THEN
    RAISE EXCEPTION 'boothd needs a UTF8 database, this one is %', current_setting('server_encoding')
      USING HINT = 'create it with: initdb -E UTF8 (or createdb -E UTF8 -T template0)';
  END IF;
END
$check$;

CREATE EXTENSION IF NOT EXISTS btree_gist;   -- "=" on bigint inside GiST exclusion constraints
CREATE EXTENSION IF NOT EXISTS pg_trgm;      -- GIN trigram indexes behind the hall search

-- ---------------------------------------------------------------------------------------------
-- Schema version: one row, the number on the first line of this file. boothd upgrades a database
-- at an older version with the steps in server/db/migrations/ and refuses a newer one. Changing the
-- schema therefore means: bump both numbers here, and add server/db/migrations/<new>.sql that turns
-- a database at the previous version into exactly what this file creates (tables only: the
-- functions come from server/db/functions.sql on every start).
CREATE TABLE schema_version (
  version integer NOT NULL
);
INSERT INTO schema_version VALUES (7);

-- Time zone columns (booths.time_zone, expo.time_zone) must name a zone PostgreSQL knows (IANA
-- names such as 'Asia/Seoul'). A trigger, not a CHECK: the test needs an exception block (a
-- subtransaction), and a CHECK would run it on every update of the row. The trigger fires only
-- when time_zone is written.
CREATE FUNCTION boothd_check_time_zone() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.time_zone IS NOT NULL THEN
    IF NEW.time_zone = '' OR char_length(NEW.time_zone) > 64 THEN
      RAISE EXCEPTION 'invalid time zone "%"', NEW.time_zone USING ERRCODE = 'check_violation';
    END IF;
    BEGIN
      PERFORM now() AT TIME ZONE NEW.time_zone;
    EXCEPTION WHEN invalid_parameter_value THEN
      RAISE EXCEPTION 'invalid time zone "%"', NEW.time_zone USING ERRCODE = 'check_violation';
    END;
  END IF;
  RETURN NEW;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Expo: one row of settings for the whole event. The row always exists (inserted here, updated
-- by organizers and by the demo loader), so readers never handle "no expo".
CREATE TABLE expo (
  id             boolean PRIMARY KEY DEFAULT true CHECK (id),
  name_en        text NOT NULL CHECK (char_length(name_en) BETWEEN 1 AND 200),
  name_ko        text NOT NULL CHECK (char_length(name_ko) BETWEEN 1 AND 200),
  tagline_en     text CHECK (char_length(tagline_en) <= 300),
  tagline_ko     text CHECK (char_length(tagline_ko) <= 300),
  organizer_name text CHECK (char_length(organizer_name) <= 200),
  website        text CHECK (char_length(website) <= 500),
  starts_at      timestamptz,
  ends_at        timestamptz,
  time_zone      text NOT NULL DEFAULT 'America/New_York',
  updated_at     timestamptz NOT NULL DEFAULT now(),
  CHECK (ends_at IS NULL OR starts_at IS NULL OR ends_at > starts_at)
);
CREATE TRIGGER expo_time_zone_check BEFORE INSERT OR UPDATE OF time_zone ON expo
  FOR EACH ROW EXECUTE FUNCTION boothd_check_time_zone();
INSERT INTO expo (name_en, name_ko) VALUES ('Virtual Expo', '온라인 박람회');

-- ---------------------------------------------------------------------------------------------
-- Accounts: every person who signs in. role decides what the protocol allows:
-- visitor (buyers), exhibitor (booth staff; which booths via booth_staff), organizer (everything).
-- Emails are unique case-insensitively (unique index on lower(email)); look them up with
-- "WHERE lower(email) = lower($1)" so that index is used.
CREATE TABLE accounts (
  id            bigserial PRIMARY KEY,
  email         text NOT NULL CHECK (char_length(email) BETWEEN 3 AND 254 AND email LIKE '_%@_%'),
  password_hash text NOT NULL CHECK (char_length(password_hash) BETWEEN 1 AND 512),  -- argon2id PHC string
  name          text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
  company       text CHECK (char_length(company) <= 200),
  title         text CHECK (char_length(title) <= 200),        -- job title, for business cards
  phone         text CHECK (char_length(phone) <= 50),
  country       text CHECK (char_length(country) <= 64),
  lang          text NOT NULL DEFAULT 'en' CHECK (lang IN ('en', 'ko')),
  role          text NOT NULL CHECK (role IN ('visitor', 'exhibitor', 'organizer')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  disabled_at   timestamptz
);
CREATE UNIQUE INDEX accounts_email_lower_key ON accounts (lower(email));

-- Session tokens, stored only as SHA-256 of the token the client holds. A token is valid while
-- revoked_at IS NULL AND expires_at > now() and its account is not disabled.
CREATE TABLE auth_tokens (
  token_hash   bytea PRIMARY KEY CHECK (octet_length(token_hash) = 32),
  account_id   bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  revoked_at   timestamptz,
  user_agent   text CHECK (char_length(user_agent) <= 500),
  ip           inet,
  CHECK (expires_at > created_at)
);
CREATE INDEX auth_tokens_account_idx ON auth_tokens (account_id);
CREATE INDEX auth_tokens_expires_idx ON auth_tokens (expires_at);   -- purge of old tokens

-- ---------------------------------------------------------------------------------------------
-- Exhibiting companies (the legal entity) and their booths (the presence at this expo).
CREATE TABLE companies (
  id           bigserial PRIMARY KEY,
  name_en      text NOT NULL CHECK (char_length(name_en) BETWEEN 1 AND 200),
  name_ko      text NOT NULL CHECK (char_length(name_ko) BETWEEN 1 AND 200),
  country      text NOT NULL DEFAULT 'KR' CHECK (char_length(country) BETWEEN 2 AND 64),
  city         text CHECK (char_length(city) <= 100),
  city_ko      text CHECK (char_length(city_ko) <= 100),
  website      text CHECK (char_length(website) <= 500),
  founded_year integer CHECK (founded_year BETWEEN 1800 AND 2100),
  employees    integer CHECK (employees >= 0),
  export_markets text CHECK (char_length(export_markets) <= 500),
  certifications text CHECK (char_length(certifications) <= 500),
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE categories (
  id         bigserial PRIMARY KEY,
  slug       text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  name_en    text NOT NULL CHECK (char_length(name_en) BETWEEN 1 AND 100),
  name_ko    text NOT NULL CHECK (char_length(name_ko) BETWEEN 1 AND 100),
  sort_order integer NOT NULL DEFAULT 0
);

-- A booth. Its chat sequence counter lives in booth_chat_seq below. search_text feeds the hall
-- search.
CREATE TABLE booths (
  id             bigserial PRIMARY KEY,
  slug           text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  company_id     bigint NOT NULL REFERENCES companies (id) ON DELETE RESTRICT,
  category_id    bigint REFERENCES categories (id) ON DELETE SET NULL,
  name_en        text NOT NULL CHECK (char_length(name_en) BETWEEN 1 AND 200),
  name_ko        text NOT NULL CHECK (char_length(name_ko) BETWEEN 1 AND 200),
  tagline_en     text CHECK (char_length(tagline_en) <= 300),
  tagline_ko     text CHECK (char_length(tagline_ko) <= 300),
  description_en text CHECK (char_length(description_en) <= 10000),
  description_ko text CHECK (char_length(description_ko) <= 10000),
  logo_url       text CHECK (char_length(logo_url) <= 500),
  banner_url     text CHECK (char_length(banner_url) <= 500),
  tier           text NOT NULL DEFAULT 'standard' CHECK (tier IN ('platinum', 'gold', 'standard')),
  sort_order     integer NOT NULL DEFAULT 0,
  time_zone      text NOT NULL DEFAULT 'Asia/Seoul',
  video_call_url text CHECK (char_length(video_call_url) <= 500),
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  -- Set by an organizer (booth.archive): the booth leaves the hall and search, visitors may
  -- not enter, chat or book it; its staff and organizers still read its data, and nothing
  -- (chat, leads, meetings, visits) is deleted. NULL = live.
  archived_at    timestamptz,
  search_text    text GENERATED ALWAYS AS (lower(
                   coalesce(name_en, '') || ' ' || coalesce(name_ko, '') || ' ' ||
                   coalesce(tagline_en, '') || ' ' || coalesce(tagline_ko, ''))) STORED
);
CREATE TRIGGER booths_time_zone_check BEFORE INSERT OR UPDATE OF time_zone ON booths
  FOR EACH ROW EXECUTE FUNCTION boothd_check_time_zone();
CREATE INDEX booths_company_idx ON booths (company_id);
CREATE INDEX booths_category_idx ON booths (category_id, sort_order, id);
CREATE INDEX booths_hall_order_idx ON booths (sort_order, id);
CREATE INDEX booths_search_trgm_idx ON booths USING gin (search_text gin_trgm_ops);

-- A booth's chat sequence counter (schema 6), one row per booth, made with the booth by the
-- trigger below. chat_append() locks the rows of the booths it stores messages in (FOR NO KEY
-- UPDATE, in booth_id order), hands out last_seq+1.. and writes the new value back, so chat
-- sequence numbers are gapless and follow commit order. A table of its own, not a column of
-- booths: every chat batch rewrites it, and an UPDATE of a booths row recomputes search_text and
-- checks the 13 CHECKs of the wide row (about 20 us per booth per batch, 17 % of a 35-message
-- chat_append call, issue 15); and chat batches no longer queue behind booth edits.
CREATE TABLE booth_chat_seq (
  booth_id bigint PRIMARY KEY REFERENCES booths (id) ON DELETE CASCADE,
  last_seq bigint NOT NULL DEFAULT 0 CHECK (last_seq >= 0)
) WITH (fillfactor = 50);   -- room for HOT updates: every chat batch rewrites last_seq
CREATE FUNCTION booth_chat_seq_add() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO booth_chat_seq (booth_id) VALUES (NEW.id);
  RETURN NULL;
END
$$;
CREATE TRIGGER booths_chat_seq_add AFTER INSERT ON booths
  FOR EACH ROW EXECUTE FUNCTION booth_chat_seq_add();

-- Products shown in a booth. search_text lets the hall search find a booth by product name.
CREATE TABLE products (
  id             bigserial PRIMARY KEY,
  booth_id       bigint NOT NULL REFERENCES booths (id) ON DELETE CASCADE,
  name_en        text NOT NULL CHECK (char_length(name_en) BETWEEN 1 AND 200),
  name_ko        text NOT NULL CHECK (char_length(name_ko) BETWEEN 1 AND 200),
  description_en text CHECK (char_length(description_en) <= 5000),
  description_ko text CHECK (char_length(description_ko) <= 5000),
  image_url      text CHECK (char_length(image_url) <= 500),
  price_note     text CHECK (char_length(price_note) <= 200),
  moq            text CHECK (char_length(moq) <= 100),          -- minimum order quantity, free text
  sort_order     integer NOT NULL DEFAULT 0,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  search_text    text GENERATED ALWAYS AS (lower(
                   coalesce(name_en, '') || ' ' || coalesce(name_ko, ''))) STORED
);
CREATE INDEX products_booth_idx ON products (booth_id, sort_order, id);
CREATE INDEX products_search_trgm_idx ON products USING gin (search_text gin_trgm_ops);

-- Uploaded files (brochures, images), stored in the database so that every node serves them.
CREATE TABLE files (
  id               bigserial PRIMARY KEY,
  owner_account_id bigint REFERENCES accounts (id) ON DELETE SET NULL,
  filename         text CHECK (char_length(filename) <= 255),
  content_type     text NOT NULL CHECK (char_length(content_type) BETWEEN 3 AND 127),
  byte_size        integer NOT NULL CHECK (byte_size BETWEEN 0 AND 20971520),   -- 20 MiB
  sha256           bytea NOT NULL CHECK (octet_length(sha256) = 32),
  data             bytea NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  CHECK (octet_length(data) = byte_size)
);
-- Large, already-compressed payloads: keep them out of line, do not try to compress again.
ALTER TABLE files ALTER COLUMN data SET STORAGE EXTERNAL;
CREATE INDEX files_owner_idx ON files (owner_account_id);

-- Media of a booth: video links, brochures (per language), images, links. Either a URL or an
-- uploaded file (or both: a file with a canonical external URL).
CREATE TABLE booth_media (
  id         bigserial PRIMARY KEY,
  booth_id   bigint NOT NULL REFERENCES booths (id) ON DELETE CASCADE,
  kind       text NOT NULL CHECK (kind IN ('video', 'brochure', 'image', 'link')),
  title_en   text CHECK (char_length(title_en) <= 200),
  title_ko   text CHECK (char_length(title_ko) <= 200),
  url        text CHECK (char_length(url) <= 1000),
  file_id    bigint REFERENCES files (id) ON DELETE CASCADE,
  lang       text CHECK (lang IN ('en', 'ko')),                   -- NULL: any language
  sort_order integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (url IS NOT NULL OR file_id IS NOT NULL)
);
CREATE INDEX booth_media_booth_idx ON booth_media (booth_id, sort_order, id);
CREATE INDEX booth_media_file_idx ON booth_media (file_id) WHERE file_id IS NOT NULL;

-- Who staffs which booth. An exhibitor account may staff several booths; a booth has owners
-- (may manage staff) and staff.
CREATE TABLE booth_staff (
  booth_id   bigint NOT NULL REFERENCES booths (id) ON DELETE CASCADE,
  account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  staff_role text NOT NULL DEFAULT 'staff' CHECK (staff_role IN ('owner', 'staff')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (booth_id, account_id)
);
CREATE INDEX booth_staff_account_idx ON booth_staff (account_id, booth_id);

-- ---------------------------------------------------------------------------------------------
-- Cluster membership. Each boothd process upserts its row on start and bumps heartbeat_at
-- every 2 s. A row whose heartbeat is older than the dead-node limit (6 s, NODE_DEAD_AFTER_S in
-- server/domains/presence/node.h) belongs to a dead node: any live node deletes it
-- (node_reap()), which clears its presence by cascade.
CREATE TABLE nodes (
  node_id      text PRIMARY KEY CHECK (char_length(node_id) BETWEEN 1 AND 200),
  started_at   timestamptz NOT NULL DEFAULT now(),
  heartbeat_at timestamptz NOT NULL DEFAULT now(),
  version      text CHECK (char_length(version) <= 100)
);

-- Who is in which booth right now: one row per (node, session, booth). A session in three tabs'
-- booths has three rows. role is the role *in that booth*: staff of the booth count as 'staff'
-- (-> staff_online), everyone else as 'visitor' (-> visitors_now, counted per distinct account),
-- organizers as 'organizer' (counted in neither).
CREATE TABLE presence (
  node_id    text NOT NULL REFERENCES nodes (node_id) ON DELETE CASCADE,
  session_id text NOT NULL CHECK (char_length(session_id) BETWEEN 1 AND 100),
  booth_id   bigint NOT NULL,   -- no foreign keys to booths and accounts: see presence_visits_hold()
  account_id bigint NOT NULL,
  role       text NOT NULL CHECK (role IN ('visitor', 'staff', 'organizer')),
  since      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (node_id, session_id, booth_id)
);
CREATE INDEX presence_booth_idx ON presence (booth_id, role, account_id);
CREATE INDEX presence_account_idx ON presence (account_id);

-- Booth visits for analytics and leads: a row on enter, left_at on leave (or when the node is
-- reaped: left_at = its last heartbeat). dwell_seconds follows from the two.
CREATE TABLE visits (
  id            bigserial PRIMARY KEY,
  account_id    bigint NOT NULL,   -- no foreign keys to accounts and booths: see presence_visits_hold()
  booth_id      bigint NOT NULL,
  node_id       text NOT NULL CHECK (char_length(node_id) BETWEEN 1 AND 200),  -- no FK: history outlives nodes
  session_id    text CHECK (char_length(session_id) <= 100),
  entered_at    timestamptz NOT NULL DEFAULT now(),
  left_at       timestamptz,
  dwell_seconds integer GENERATED ALWAYS AS
                  (CASE WHEN left_at IS NULL THEN NULL
                        ELSE greatest(0, floor(extract(epoch FROM left_at - entered_at)))::integer END) STORED,
  CHECK (left_at IS NULL OR left_at >= entered_at)
);
CREATE INDEX visits_booth_entered_idx ON visits (booth_id, entered_at);
CREATE INDEX visits_account_idx ON visits (account_id, entered_at);
-- A node's open visits, by session: a leave closes its session's visit with one probe (by node
-- alone, each presence batch with a leave read every open visit of the node: 40 ms per batch
-- with 18,500 sessions on it; version 5). Node reaping and shutdown use the first column.
CREATE INDEX visits_open_idx ON visits (node_id, session_id) WHERE left_at IS NULL;

-- presence and visits have no foreign keys to booths and accounts (version 7). A foreign key
-- checks each inserted row with a query of its own, and every enter inserts a presence row and
-- a visit: the four checks were 40 % of presence_apply's time in PostgreSQL (issue 15, joins:
-- 36 -> 22 µs per enter). Instead, every statement that inserts into the two tables reads the
-- booth and the account and inserts nothing for one that is gone, and these triggers keep what
-- ON DELETE CASCADE did when an operator deletes a booth or an account by hand (boothd never
-- does): BEFORE, the delete waits for the inserts in flight and holds new ones until it
-- commits (SHARE conflicts with their ROW EXCLUSIVE); AFTER, it deletes the rows of what it
-- deleted. So an insert either committed first, and its rows go with the booth or account, or
-- starts after the delete committed and finds the booth or account gone. (The AFTER trigger
-- reads with a new snapshot only under READ COMMITTED, the default.)
CREATE OR REPLACE FUNCTION presence_visits_hold() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  LOCK TABLE presence, visits IN SHARE MODE;
  RETURN NULL;
END
$$;
-- The AFTER trigger's argument names the column of presence and visits that points at the
-- deleted table's id (booth_id or account_id).
CREATE OR REPLACE FUNCTION presence_visits_drop() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('DELETE FROM presence WHERE %I IN (SELECT id FROM gone)', TG_ARGV[0]);
  EXECUTE format('DELETE FROM visits WHERE %I IN (SELECT id FROM gone)', TG_ARGV[0]);
  RETURN NULL;
END
$$;
CREATE TRIGGER booths_hold_presence BEFORE DELETE ON booths
  FOR EACH STATEMENT EXECUTE FUNCTION presence_visits_hold();
CREATE TRIGGER booths_drop_presence AFTER DELETE ON booths
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION presence_visits_drop('booth_id');
CREATE TRIGGER accounts_hold_presence BEFORE DELETE ON accounts
  FOR EACH STATEMENT EXECUTE FUNCTION presence_visits_hold();
CREATE TRIGGER accounts_drop_presence AFTER DELETE ON accounts
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION presence_visits_drop('account_id');

-- ---------------------------------------------------------------------------------------------
-- Booth chat. seq is per booth, starts at 1, gapless, in commit order (handed out by
-- chat_append() under the booth row lock). (author_id, client_msg_id) is the idempotency key:
-- a resend finds the stored message instead of storing a second one. Messages are hidden with
-- deleted_at, never deleted, so seq stays gapless.
CREATE TABLE chat_messages (
  id            bigserial PRIMARY KEY,
  booth_id      bigint NOT NULL REFERENCES booths (id) ON DELETE CASCADE,
  seq           bigint NOT NULL CHECK (seq >= 1),
  author_id     bigint NOT NULL REFERENCES accounts (id) ON DELETE RESTRICT,
  text          text NOT NULL CHECK (char_length(text) BETWEEN 1 AND 2000),
  client_msg_id text NOT NULL CHECK (char_length(client_msg_id) BETWEEN 1 AND 64),
  sent_at       timestamptz NOT NULL DEFAULT now(),
  deleted_at    timestamptz,
  deleted_by    bigint REFERENCES accounts (id) ON DELETE SET NULL,
  CONSTRAINT chat_messages_booth_seq_key UNIQUE (booth_id, seq),
  CONSTRAINT chat_messages_author_client_msg_key UNIQUE (author_id, client_msg_id)
);


-- ---------------------------------------------------------------------------------------------
-- 1:1 meetings. A booth publishes availability windows cut into slots of slot_minutes; a visitor
-- requests a slot; booth staff accept or decline; either party cancels.
CREATE TABLE meeting_availability (
  id           bigserial PRIMARY KEY,
  booth_id     bigint NOT NULL REFERENCES booths (id) ON DELETE CASCADE,
  starts_at    timestamptz NOT NULL,
  ends_at      timestamptz NOT NULL,
  slot_minutes integer NOT NULL DEFAULT 30 CHECK (slot_minutes BETWEEN 15 AND 120),
  created_at   timestamptz NOT NULL DEFAULT now(),
  CHECK (ends_at > starts_at),
  CHECK (ends_at - starts_at <= interval '31 days'),
  -- Overlapping windows would yield overlapping slots: refuse them.
  CONSTRAINT meeting_availability_no_overlap
    EXCLUDE USING gist (booth_id WITH =, tstzrange(starts_at, ends_at) WITH &&)
);
CREATE INDEX meeting_availability_booth_idx ON meeting_availability (booth_id, starts_at);

-- uid is the stable, unguessable ICS UID (RFC 5545) of the meeting; sequence is the ICS
-- SEQUENCE, bumped on every change of the meeting. room_token names the generated video room
-- (used when the booth has no video_call_url). gen_random_uuid() is core since PostgreSQL 13
-- and draws from the strong random source.
-- The exclusion constraints make PostgreSQL, not a check-then-write race, decide "slot taken":
-- no two ACCEPTED meetings overlap for one booth, nor for one visitor (SQLSTATE 23P01 on the
-- loser, reported as `conflict`).
CREATE TABLE meetings (
  id            bigserial PRIMARY KEY,
  uid           text NOT NULL UNIQUE
                  DEFAULT (replace(gen_random_uuid()::text, '-', '') || '@boothd')
                  CHECK (char_length(uid) BETWEEN 16 AND 200),
  room_token    text NOT NULL UNIQUE DEFAULT replace(gen_random_uuid()::text, '-', '')
                  CHECK (char_length(room_token) BETWEEN 16 AND 100),
  booth_id      bigint NOT NULL REFERENCES booths (id) ON DELETE CASCADE,
  visitor_id    bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  starts_at     timestamptz NOT NULL,
  ends_at       timestamptz NOT NULL,
  status        text NOT NULL DEFAULT 'requested'
                  CHECK (status IN ('requested', 'accepted', 'declined', 'cancelled')),
  note          text CHECK (char_length(note) <= 1000),           -- visitor's note with the request
  message       text CHECK (char_length(message) <= 1000),        -- staff's reply
  cancel_reason text CHECK (char_length(cancel_reason) <= 1000),
  cancelled_by  bigint REFERENCES accounts (id) ON DELETE SET NULL,
  responded_by  bigint REFERENCES accounts (id) ON DELETE SET NULL,
  video_url     text CHECK (char_length(video_url) <= 500),
  sequence      integer NOT NULL DEFAULT 0 CHECK (sequence >= 0),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  CHECK (ends_at > starts_at),
  CONSTRAINT meetings_booth_no_overlap
    EXCLUDE USING gist (booth_id WITH =, tstzrange(starts_at, ends_at) WITH &&)
    WHERE (status = 'accepted'),
  CONSTRAINT meetings_visitor_no_overlap
    EXCLUDE USING gist (visitor_id WITH =, tstzrange(starts_at, ends_at) WITH &&)
    WHERE (status = 'accepted')
);
CREATE INDEX meetings_booth_idx ON meetings (booth_id, starts_at);
CREATE INDEX meetings_visitor_idx ON meetings (visitor_id, starts_at);
-- A visitor holds at most one open (requested or accepted) request per booth and start time.
CREATE UNIQUE INDEX meetings_open_request_key ON meetings (booth_id, visitor_id, starts_at)
  WHERE status IN ('requested', 'accepted');

-- ---------------------------------------------------------------------------------------------
-- Leads: a visitor who shared their business card with a booth (consent) and the exhibitor's
-- notes on them. One lead per (booth, visitor); later contacts update it. source says how the
-- lead first came about.
CREATE TABLE leads (
  id         bigserial PRIMARY KEY,
  booth_id   bigint NOT NULL REFERENCES booths (id) ON DELETE CASCADE,
  visitor_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  consent    boolean NOT NULL DEFAULT false,
  consent_at timestamptz,
  card       jsonb CHECK (card IS NULL OR (jsonb_typeof(card) = 'object' AND pg_column_size(card) <= 8192)),
                                        -- {name, title, company, email, phone, country}
  source     text NOT NULL CHECK (source IN ('card', 'chat', 'meeting', 'visit')),
  notes      text CHECK (char_length(notes) <= 10000),
  rating     smallint CHECK (rating BETWEEN 0 AND 5),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT leads_booth_visitor_key UNIQUE (booth_id, visitor_id),
  CHECK (NOT consent OR consent_at IS NOT NULL)
);
CREATE INDEX leads_booth_updated_idx ON leads (booth_id, updated_at DESC);
CREATE INDEX leads_visitor_idx ON leads (visitor_id);

-- ---------------------------------------------------------------------------------------------
-- Moderation and communication.

-- Announcements by organizers (booth_id NULL: the whole expo) or booth staff (their booth).
CREATE TABLE announcements (
  id         bigserial PRIMARY KEY,
  author_id  bigint REFERENCES accounts (id) ON DELETE SET NULL,
  booth_id   bigint REFERENCES booths (id) ON DELETE CASCADE,
  title      text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
  body       text NOT NULL CHECK (char_length(body) BETWEEN 1 AND 5000),
  lang       text CHECK (lang IN ('en', 'ko')),                    -- NULL: any language
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz,
  CHECK (expires_at IS NULL OR expires_at > created_at)
);
CREATE INDEX announcements_booth_idx ON announcements (booth_id, created_at DESC);

-- Bans: booth_id NULL bans from the whole expo, else from one booth (chat and entry).
-- Active while revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now()).
CREATE TABLE bans (
  id         bigserial PRIMARY KEY,
  account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  booth_id   bigint REFERENCES booths (id) ON DELETE CASCADE,
  reason     text CHECK (char_length(reason) <= 1000),
  created_by bigint REFERENCES accounts (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz,
  revoked_at timestamptz,
  CHECK (expires_at IS NULL OR expires_at > created_at)
);
CREATE INDEX bans_account_idx ON bans (account_id, booth_id);

-- Append-only record of security- and money-relevant actions (logins, bans, role changes,
-- meeting decisions, lead exports). actor_id NULL: the system.
CREATE TABLE audit_log (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  actor_id    bigint REFERENCES accounts (id) ON DELETE SET NULL,
  action      text NOT NULL CHECK (char_length(action) BETWEEN 1 AND 100),
  target_type text CHECK (char_length(target_type) <= 50),
  target_id   text CHECK (char_length(target_id) <= 100),
  detail      jsonb,
  ip          inet
);
CREATE INDEX audit_log_at_idx ON audit_log (at);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, at);
CREATE INDEX audit_log_target_idx ON audit_log (target_type, target_id);

-- ---- login throttling (version 3) ----
-- Failed sign-ins per key ('account:<lower email>' or 'address:<client address>'), shared by
-- every node, so that guessing a password from many connections is slowed down as much as from
-- one (server/util/throttle.h has the curve). A row is counted before the password is checked
-- and cleared (account) or reduced (address) when it was right; rows older than the window no
-- longer count and are overwritten by the next failure.
CREATE TABLE login_throttle (
  key             text PRIMARY KEY CHECK (length(key) <= 300),
  failures        integer NOT NULL CHECK (failures >= 0),
  last_failure_at timestamptz NOT NULL
);

-- ---- leads and booth analytics (version 3) ----
-- Leads with consent. A visitor shares a snapshot of their card (card: {name, company, title,
-- country, email}) with one booth by an explicit act: lead.share with the version of the consent
-- text they were shown (consent_version), or a meeting request, whose form says so
-- (consent_version 'meeting'). Withdrawing (lead.withdraw) erases the card, the staff's notes and
-- rating, and hides the row from staff and exports; what stays is the record that consent was
-- given and withdrawn (booth, visitor, source, consent_at, consent_version, withdrawn_at), which
-- the booth needs to show it acted lawfully (GDPR Art. 7(1)), and nothing a salesperson could use.
ALTER TABLE leads
  ADD COLUMN consent_version text CHECK (char_length(consent_version) BETWEEN 1 AND 40),
  ADD COLUMN withdrawn_at    timestamptz,
  ADD COLUMN status          text NOT NULL DEFAULT 'new'
                               CHECK (status IN ('new', 'contacted', 'qualified', 'not_a_fit')),
  ADD CONSTRAINT leads_withdrawn_erased CHECK (withdrawn_at IS NULL OR (card IS NULL AND notes IS NULL
                                                                        AND rating IS NULL AND NOT consent));
-- The staff's list and the export: a booth's live leads, newest first (also the per-hour count).
CREATE INDEX leads_booth_created_idx ON leads (booth_id, created_at DESC) WHERE withdrawn_at IS NULL;

-- Booth analytics (analytics.booth) reads one booth's rows of an expo-long time window; each
-- index below lets that be an index(-only) scan of just those rows. The covering visits index
-- replaces visits_booth_entered_idx (same leading columns), so visits still carry two indexes
-- per booth enter.
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

-- ---- organizer (version 3) ----
-- Live statistics without scans: every node upserts its own row here once a second (its
-- in-memory counters: sessions, sessions inside booths by role, chat messages accepted in the
-- last 60 s, and per booth {"<id>": [visitors, staff]} for the booths with someone inside).
-- The live figure is the sum of the rows updated in the last 5 s (a dead node's row just
-- goes stale). No foreign key to nodes: the row is written before the node's first heartbeat.
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

-- One row per minute, the sum of node_stats at the end of that minute, written by whichever
-- node gets there first (INSERT ... ON CONFLICT DO NOTHING: several nodes never double count).
-- The history charts read only this table: 1,440 rows a day.
CREATE TABLE stats_minute (
  minute             timestamptz PRIMARY KEY CHECK (date_trunc('minute', minute) = minute),
  nodes              integer NOT NULL CHECK (nodes >= 0),
  sessions           integer NOT NULL CHECK (sessions >= 0),
  signed_in          integer NOT NULL CHECK (signed_in >= 0),
  visitors_in_booths integer NOT NULL CHECK (visitors_in_booths >= 0),
  staff_online       integer NOT NULL CHECK (staff_online >= 0),
  chat_messages      integer NOT NULL CHECK (chat_messages >= 0)
);

-- The dashboard's "today" counters are range scans over today's rows only.
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

-- ---- exhibitor2: booth analytics rollup (version 4) ----
-- What visit_rollup() (server/db/functions.sql) has folded of a booth's visits, so that
-- analytics_totals/analytics_hourly read completed hours from here and only the visits entered
-- since rolled_to from `visits`. Nothing on the join path writes these tables: a node's timer
-- calls visit_rollup() (server/domains/analytics/), which takes an advisory lock and each
-- booth's row lock, so several nodes may try at once. All figures leave out the booth's staff
-- as it is when the rollup runs; a staff change or a deleted visit resets the booth (the
-- triggers below: rolled_to NULL), the queries then read `visits` alone until the next rollup
-- redoes the booth. Exact by construction:
--   visits, per-hour unique visitors, dwell sums   per hour (hours never overlap);
--   unique visitors over the expo                  the set of rolled-up visitors
--                                                   (visit_rollup_visitors; the count kept here);
--   median dwell                                   the exact dwell histogram (integer seconds);
--   visits still open when their hour was rolled   visit_rollup_open, folded in once closed.
-- origin: the hours are date_bin('1 hour', entered_at, origin), origin as analytics_origin()
-- gave it at the rollup; a change of the booth's time zone or of the expo's start that moves the
-- hours' phase (a :30 or :45 zone) makes the rollup unreadable until it is redone.
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
