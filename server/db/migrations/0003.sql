-- boothd migration 0003: schema version 2 -> 3.
--
-- Several engineers add their blocks below under a "-- ---- <domain> (version 3) ----" header;
-- each block carries table changes only (functions come from server/db/functions.sql). The
-- lock and the version check serialize nodes starting at once, as in 0002.sql.
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

UPDATE schema_version SET version = 3;
