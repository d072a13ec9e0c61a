-- boothd migration 0002: schema version 1 -> 2.
--
-- Version 2 changed no table: chat_append() looks up the stored row of each batch element
-- through the (author_id, client_msg_id) unique index instead of a join that PostgreSQL planned
-- as a hash join over the whole of chat_messages, and it is planned once per connection
-- (plan_cache_mode = force_generic_plan). That body arrives with server/db/functions.sql, which
-- boothd applies after the migrations on every start; this step only moves the version.
--
-- boothd runs this file as one simple-query script, i.e. in one implicit transaction, when it
-- finds the database at version 1 (server/db/bootstrap.c). Several boothd processes may start at
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
  IF v IS DISTINCT FROM 1 THEN
    RAISE EXCEPTION 'migration 0002 expects schema version 1, the database has %', coalesce(v::text, 'none')
      USING ERRCODE = 'object_not_in_prerequisite_state';
  END IF;
END
$check$;

UPDATE schema_version SET version = 2;
