-- boothd migration 0003: schema version 2 -> 3. Several features add their table changes here,
-- each under its own header; the version check and the version bump frame them.
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

UPDATE schema_version SET version = 3;
