-- boothd migration 0007: schema version 6 -> 7 (table changes only; functions come with
-- server/db/functions.sql on every start; the lock, the version check and the version update
-- come from server/db/bootstrap.c, MIGRATION_BEFORE).
-- ---- joins: presence and visits without foreign keys to booths and accounts (version 7) ----
-- Why, and what keeps the ON DELETE CASCADE of a booth or an account deleted by hand: see
-- presence_visits_hold() in schema.sql.
ALTER TABLE presence DROP CONSTRAINT presence_booth_id_fkey, DROP CONSTRAINT presence_account_id_fkey;
ALTER TABLE visits DROP CONSTRAINT visits_account_id_fkey, DROP CONSTRAINT visits_booth_id_fkey;
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
