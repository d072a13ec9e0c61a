-- Undoes the exhibitor block of migration 0003 (server/db/migrations/0003.sql), so it_schema can
-- turn a fresh database back into one at an older version. One file per block of a step:
-- <NNNN>-<domain>.sql, applied newest version first.
DROP TABLE booth_invites;
ALTER TABLE products DROP COLUMN image_file_id;
ALTER TABLE booths DROP COLUMN contact_email;
