/* it_schema.c — integration tests of the schema lifecycle: a database at schema version 1 is
 * upgraded by the embedded migrations (server/db/migrations/) and then served as usual, also when
 * several boothd processes start on it at once; a database at a version this boothd cannot
 * reach (newer, or with no migration from it) is refused. it_server.c's schema_mismatch
 * covers the refusal of version 999.
 *
 * A version-1 database is made from the current schema.sql, since the old one is not at hand
 * when the tests run: the table changes of the steps after version 2 are undone (DOWN_STEPS
 * below, one entry per migration), the version row goes back to 1, chat_append(jsonb) loses its
 * plan_cache_mode setting (what version 2 added) and gets a stand-in body that fails (so chat
 * works afterwards only if the start replaced the function). After the upgrade the function
 * must be exactly the one a fresh database gets (pg_get_functiondef): boothd re-applies
 * server/db/functions.sql after the migrations on every start, and no migration copies a
 * function body. The tables, columns and indexes after the upgrade must be exactly those of a
 * fresh database too: a migration that forgets what schema.sql has fails here.
 *
 * Each test runs in its own process with its own PostgreSQL cluster (see harness.h):
 *   it_schema <test> <path/to/boothd>
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "expo.h"
#include "harness.h"
#include "wsclient.h"

#define DEMO_PW "demo1234"

static struct pg_cluster pg;

#define FUNCDEF_MD5 "SELECT md5(pg_get_functiondef('chat_append(jsonb)'::regprocedure))"
#define PROCONFIG "SELECT coalesce(array_to_string(proconfig, ','), '') || ' rows=' || prorows FROM pg_proc" \
                  " WHERE oid = 'chat_append(jsonb)'::regprocedure"
/* what functions.sql sets on chat_append (its settings, then its row estimate) */
#define CHAT_APPEND_CONFIG "plan_cache_mode=force_generic_plan,enable_hashjoin=off,enable_mergejoin=off,enable_seqscan=off rows=10"
/* Every column, index, constraint, trigger and table storage option of the public schema, as
 * one digest. */
#define TABLES_MD5 "SELECT md5(string_agg(d, E'\\n' ORDER BY d)) FROM (" \
    " SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' ||" \
    "  coalesce(column_default, '') AS d FROM information_schema.columns WHERE table_schema = 'public'" \
    " UNION ALL SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'" \
    " UNION ALL SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint" \
    "  WHERE connamespace = 'public'::regnamespace" \
    " UNION ALL SELECT pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid" \
    "  WHERE c.relnamespace = 'public'::regnamespace AND NOT t.tgisinternal" \
    " UNION ALL SELECT relname || ' ' || array_to_string(reloptions, ',') FROM pg_class" \
    "  WHERE relnamespace = 'public'::regnamespace AND reloptions IS NOT NULL) x"

/* What each step after version 2 added to the tables, undone (index = the step's version).
 * A new migration adds its entry here; fresh_schema() fails until it does. */
static const char *const DOWN_STEPS[] = {
    [3] = /* ---- login throttling ---- */
          "DROP TABLE login_throttle;"
          /* ---- leads and booth analytics ---- */
          "ALTER TABLE leads DROP CONSTRAINT leads_withdrawn_erased, DROP COLUMN consent_version,"
          " DROP COLUMN withdrawn_at, DROP COLUMN status;"
          "DROP INDEX visits_booth_analytics_idx; CREATE INDEX visits_booth_entered_idx ON visits (booth_id, entered_at);"
          "DROP INDEX chat_messages_booth_sent_idx; DROP INDEX meetings_booth_created_idx;"
          /* ---- files and media ---- */
          "DROP INDEX files_booth_idx; ALTER TABLE files DROP COLUMN booth_id;"
          " DELETE FROM booth_media WHERE kind = 'stream';"
          " ALTER TABLE booth_media DROP COLUMN embed_url;"
          " ALTER TABLE booth_media DROP CONSTRAINT booth_media_kind_check;"
          " ALTER TABLE booth_media ADD CONSTRAINT booth_media_kind_check CHECK (kind IN ('video', 'brochure', 'image', 'link'));"
          /* ---- exhibitor console ---- */
          "DROP TABLE booth_invites; ALTER TABLE products DROP COLUMN image_file_id;"
          " ALTER TABLE booths DROP COLUMN contact_email;"
          /* ---- organizer console ---- */
          "DROP TABLE node_stats; DROP TABLE stats_minute;"
          "DROP INDEX meetings_created_idx; DROP INDEX meetings_updated_idx; DROP INDEX accounts_created_idx;"
          "ALTER TABLE announcements DROP COLUMN title_ko, DROP COLUMN body_ko, DROP COLUMN level,"
          " DROP COLUMN retracted_at, DROP COLUMN retracted_by;"
          "DROP INDEX bans_active_idx; ALTER TABLE bans DROP COLUMN revoked_by;"
          "DROP TABLE account_setup_tokens;"
          "ALTER TABLE chat_messages DROP COLUMN hidden_at, DROP COLUMN hidden_by;"
          /* ---- private inquiries ---- */
          "DROP TABLE inquiry_messages, inquiry_threads, booth_inquiry_settings;",
    [4] = /* ---- setup: archiving booths ---- */
          "ALTER TABLE booths DROP COLUMN archived_at;"
          /* ---- exhibitor2: booth analytics rollup ---- */
          "DROP TRIGGER visits_rollup_reset ON visits; DROP TRIGGER booth_staff_rollup_reset ON booth_staff;"
          " DROP FUNCTION visit_rollup_reset_deleted(); DROP FUNCTION visit_rollup_reset_staff();"
          " DROP TABLE visit_rollup_open, visit_rollup_dwell, visit_rollup_visitors, visit_rollup_hours,"
          " visit_rollup_booths;",
    [5] = /* ---- joins: open visits by session ---- */
          "DROP INDEX visits_open_idx; CREATE INDEX visits_open_idx ON visits (node_id) WHERE left_at IS NULL;",
    [6] = /* ---- chat: the sequence counter in a table of its own ---- */
          "ALTER TABLE booths ADD COLUMN last_seq bigint NOT NULL DEFAULT 0 CHECK (last_seq >= 0);"
          " ALTER TABLE booths SET (fillfactor = 70);"
          " UPDATE booths b SET last_seq = s.last_seq FROM booth_chat_seq s WHERE s.booth_id = b.id;"
          " DROP TRIGGER booths_chat_seq_add ON booths; DROP FUNCTION booth_chat_seq_add(); DROP TABLE booth_chat_seq;",
    [7] = /* ---- joins: presence and visits without foreign keys to booths and accounts ---- */
          "DROP TRIGGER booths_hold_presence ON booths; DROP TRIGGER booths_drop_presence ON booths;"
          " DROP TRIGGER accounts_hold_presence ON accounts; DROP TRIGGER accounts_drop_presence ON accounts;"
          " DROP FUNCTION presence_visits_hold(); DROP FUNCTION presence_visits_drop();"
          " ALTER TABLE presence ADD CONSTRAINT presence_booth_id_fkey FOREIGN KEY (booth_id) REFERENCES booths (id) ON DELETE CASCADE,"
          "  ADD CONSTRAINT presence_account_id_fkey FOREIGN KEY (account_id) REFERENCES accounts (id) ON DELETE CASCADE;"
          " ALTER TABLE visits ADD CONSTRAINT visits_account_id_fkey FOREIGN KEY (account_id) REFERENCES accounts (id) ON DELETE CASCADE,"
          "  ADD CONSTRAINT visits_booth_id_fkey FOREIGN KEY (booth_id) REFERENCES booths (id) ON DELETE CASCADE;",
};
#define DOWN_STEPS_LAST ((int)(sizeof DOWN_STEPS / sizeof DOWN_STEPS[0]) - 1)

struct fresh { char funcs[33], tables[33]; };
static int schema_v;   /* the version on schema.sql's first line */

static void copy_md5(const char *sql, char out[33])
{
    char *md5 = psql_ok(pg.url, sql);
    ASSERT_EQ(strlen(md5), 32);
    memcpy(out, md5, 33);
    free(md5);
}

/* Applies the current schema through a boothd (with the demo expo if demo), stops it, and
 * returns the digests of the fresh chat_append definition and of the tables. */
static void fresh_schema(int demo, struct fresh *f)
{
    schema_v = it_schema_version();
    if (schema_v != DOWN_STEPS_LAST && !(schema_v == 2 && DOWN_STEPS_LAST < 3))
        FAIL("schema.sql is at version %d but DOWN_STEPS undoes the steps up to %d: add the new "
             "migration's table changes, undone, to DOWN_STEPS", schema_v, DOWN_STEPS_LAST);
    struct boothd n;
    struct boothd_opts o = {.db_url = pg.url, .node_id = "fresh", .demo = demo};
    boothd_start(&n, &o, 40000);
    ASSERT_EQ(boothd_stop(&n), 0);
    ASSERT_EQ(psql_long(pg.url, "SELECT version FROM schema_version"), schema_v);
    char *cfg = psql_ok(pg.url, PROCONFIG);
    ASSERT_STR_EQ(cfg, CHAT_APPEND_CONFIG);
    free(cfg);
    copy_md5(FUNCDEF_MD5, f->funcs);
    copy_md5(TABLES_MD5, f->tables);
}

/* chat_append as version 1 had it: a stand-in that fails, without the plan setting. */
static void stale_chat_append(void)
{
    free(psql_ok(pg.url,
                 "CREATE OR REPLACE FUNCTION chat_append(batch jsonb)"
                 " RETURNS TABLE (idx integer, id bigint, booth_id bigint, seq bigint, author_id bigint,"
                 "  text text, client_msg_id text, sent_at timestamptz, duplicate boolean, error text)"
                 " LANGUAGE plpgsql VOLATILE AS $$ BEGIN"
                 "  RAISE EXCEPTION 'the test''s version-1 stand-in of chat_append was not replaced'; END $$;"
                 "ALTER FUNCTION chat_append(jsonb) RESET ALL;"));
    char *cfg = psql_ok(pg.url, PROCONFIG);
    ASSERT_STR_EQ(cfg, " rows=1000");
    free(cfg);
}

/* Turns the database back into one at schema version 1 (see the file comment). */
static void make_version_1(void)
{
    for (int v = schema_v; v >= 3; v--) free(psql_ok(pg.url, DOWN_STEPS[v]));
    free(psql_ok(pg.url, "UPDATE schema_version SET version = 1;"));
    stale_chat_append();
    ASSERT_EQ(psql_long(pg.url, "SELECT version FROM schema_version"), 1);
}

/* The database is at the current version again, with the functions and tables a fresh
 * schema.sql creates. */
static void check_upgraded(const struct fresh *f)
{
    ASSERT_EQ(psql_long(pg.url, "SELECT count(*) FROM schema_version"), 1);
    ASSERT_EQ(psql_long(pg.url, "SELECT version FROM schema_version"), schema_v);
    char *cfg = psql_ok(pg.url, PROCONFIG);
    ASSERT_STR_EQ(cfg, CHAT_APPEND_CONFIG);
    free(cfg);
    char *tables = psql_ok(pg.url, TABLES_MD5);
    if (strcmp(tables, f->tables) != 0)
        FAIL("the tables after the migrations differ from those of a fresh database (digest %s, fresh %s):"
             " does a migration miss what schema.sql has?", tables, f->tables);
    free(tables);
    const char *fresh_md5 = f->funcs;
    char *md5 = psql_ok(pg.url, FUNCDEF_MD5);
    if (strcmp(md5, fresh_md5) != 0)
        FAIL("chat_append after the migration differs from the one a fresh database gets "
             "(md5 of pg_get_functiondef %s, fresh %s): was server/db/functions.sql applied after the migrations?",
             md5, fresh_md5);
    free(md5);
}

/* A demo buyer sends a chat message to the first booth of the hall on node port and gets it
 * acknowledged; a resend of the same client_msg_id returns the same stored message. */
static void check_chat(int port, const char *cmid)
{
    struct expo c;
    expo_connect(&c, port, "buyer1");
    cJSON *d = EXPO_OK(&c, "auth.login", "{\"email\":\"buyer1@demo.expo\",\"password\":%s}", json_quote(DEMO_PW));
    cJSON_Delete(d);
    d = EXPO_OK(&c, "hall.list", "{\"offset\":0,\"limit\":1}");
    const cJSON *booths = JGET(d, "booths");
    if (cJSON_GetArraySize(booths) != 1) FAIL("hall.list gave no booth: %s", json_text(d));
    char booth_id[64];
    snprintf(booth_id, sizeof booth_id, "%s", json_text(JGET(cJSON_GetArrayItem(booths, 0), "id")));
    cJSON_Delete(d);
    cJSON_Delete(EXPO_OK(&c, "booth.enter", "{\"booth_id\":%s}", booth_id));

    d = EXPO_OK(&c, "chat.send", "{\"booth_id\":%s,\"text\":\"hello after the upgrade\",\"client_msg_id\":%s}",
                booth_id, json_quote(cmid));
    const cJSON *m = JGET(d, "message");
    ASSERT_STR_EQ(JSTR(m, "text"), "hello after the upgrade");
    ASSERT_STR_EQ(json_text(JGET(m, "booth_id")), booth_id);
    long long seq = JINT(m, "seq");
    ASSERT_GE(seq, 1);
    char id[64];
    snprintf(id, sizeof id, "%s", json_text(JGET(m, "id")));
    cJSON_Delete(d);

    d = EXPO_OK(&c, "chat.send", "{\"booth_id\":%s,\"text\":\"hello after the upgrade\",\"client_msg_id\":%s}",
                booth_id, json_quote(cmid));
    m = JGET(d, "message");
    ASSERT_STR_EQ(json_text(JGET(m, "id")), id);
    ASSERT_EQ(JINT(m, "seq"), seq);
    cJSON_Delete(d);
    expo_close(&c);

    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM chat_messages WHERE client_msg_id = '%s'", cmid);
    ASSERT_EQ(psql_long(pg.url, sql), 1);
}

/* What boothd logs when it ran the step to version 2, and when another node had run it. */
#define MIGRATED "bootstrap: migrated the schema to version 2"
#define FOUND_MIGRATED "another node migrated the schema to version"

static void expect_log(const struct boothd *n, const char *needle)
{
    char *log = boothd_log(n);
    if (!strstr(log, needle)) FAIL("the log of %s lacks \"%s\":\n%s", n->node_id, needle, log);
    free(log);
}

static int log_has(const struct boothd *n, const char *needle)
{
    char *log = boothd_log(n);
    int has = strstr(log, needle) != NULL;
    free(log);
    return has;
}

/* ---- one node upgrades version 1, then loads the demo and serves chat ------------------- */

static void test_upgrade_from_v1(void)
{
    struct fresh fresh;
    pg_start(&pg);
    /* No demo yet: after the upgrade boothd must go on as always, i.e. load it. */
    fresh_schema(0, &fresh);
    make_version_1();

    struct boothd n;
    struct boothd_opts o = {.db_url = pg.url, .node_id = "upgrader", .demo = 1};
    boothd_start(&n, &o, 40000);
    expect_log(&n, "migrating the schema from version 1 to 2");
    expect_log(&n, MIGRATED);
    expect_log(&n, "demo expo loaded");
    check_upgraded(&fresh);
    ASSERT_GE(psql_long(pg.url, "SELECT count(*) FROM booths"), 40);
    check_chat(n.port, "after-upgrade-1");

    /* A restart finds the current version and migrates nothing. */
    ASSERT_EQ(boothd_stop(&n), 0);
    boothd_start(&n, &o, 40000);
    if (log_has(&n, "migrating")) FAIL("a restart on the current version migrated again");
    char want[64];
    snprintf(want, sizeof want, "schema version %d", schema_v);
    expect_log(&n, want);
    check_chat(n.port, "after-restart-1");
}

/* ---- a start at the current version re-applies the functions ---------------------------- */

static void test_functions_reapplied(void)
{
    struct fresh fresh;
    pg_start(&pg);
    fresh_schema(1, &fresh);
    stale_chat_append();   /* only the function is old */

    struct boothd n;
    struct boothd_opts o = {.db_url = pg.url, .node_id = "reapplier", .demo = 1};
    boothd_start(&n, &o, 40000);
    if (log_has(&n, "migrating")) FAIL("a start on the current version migrated");
    expect_log(&n, "functions applied");
    check_upgraded(&fresh);
    check_chat(n.port, "reapplied-1");
}

/* ---- two nodes started at the same moment on version 1 ------------------------------------ */

static void start_twins(struct boothd *a, struct boothd *b)
{
    struct boothd_opts oa = {.db_url = pg.url, .node_id = "twin-a", .demo = 1};
    struct boothd_opts ob = {.db_url = pg.url, .node_id = "twin-b", .demo = 1};
    boothd_spawn(a, &oa);
    boothd_spawn(b, &ob);
}

static void wait_twins(struct boothd *a, struct boothd *b)
{
    int ra = boothd_wait_ready(a, it_ms(40000));
    int rb = boothd_wait_ready(b, it_ms(40000));
    if (ra != 0 || rb != 0)
        FAIL("both nodes must come up: twin-a %s, twin-b %s", ra == 0 ? "ready" : ra == -1 ? "exited" : "timeout",
             rb == 0 ? "ready" : rb == -1 ? "exited" : "timeout");
}

/* The chat counters of the booths that have messages, as "booth:last_seq,..." */
#define CHAT_SEQS "SELECT string_agg(booth_id || ':' || last_seq, ',' ORDER BY booth_id) FROM booth_chat_seq WHERE last_seq > 0"

static void test_concurrent_upgrade(void)
{
    struct fresh fresh;
    pg_start(&pg);
    fresh_schema(1, &fresh);
    /* Chat history from before the upgrade: its booths' counters must come through the steps
     * as they were (version 6 moved them out of booths), so the next message follows them. */
    ASSERT_EQ(psql_long(pg.url, "SELECT count(*) FROM chat_append((SELECT jsonb_agg(jsonb_build_object("
                        "'booth_id', b.id, 'author_id', (SELECT min(id) FROM accounts WHERE role = 'visitor'),"
                        " 'text', 'before the upgrade', 'client_msg_id', 'pre-' || b.id || '-' || i))"
                        " FROM (SELECT id FROM booths ORDER BY id LIMIT 3) b, generate_series(1, 4) i)) WHERE error IS NULL"), 12);
    char *seqs = psql_ok(pg.url, CHAT_SEQS);
    make_version_1();

    struct boothd a, b;
    start_twins(&a, &b);
    wait_twins(&a, &b);
    check_upgraded(&fresh);
    /* At least one of them ran the step (the other may have found version 2 already). */
    if (!log_has(&a, MIGRATED) && !log_has(&b, MIGRATED)) FAIL("neither node says it migrated the schema");
    char *after = psql_ok(pg.url, CHAT_SEQS);
    ASSERT_STR_EQ(after, seqs);
    free(after);
    free(seqs);
    check_chat(a.port, "twin-a-1");
    check_chat(b.port, "twin-b-1");
    /* A booth made after the upgrade gets its counter. */
    free(psql_ok(pg.url, "INSERT INTO booths (slug, company_id, name_en, name_ko)"
                 " SELECT 'after-upgrade', min(id), 'After', '이후' FROM companies"));
    ASSERT_EQ(psql_long(pg.url, "SELECT count(*) FROM booth_chat_seq s JOIN booths b ON b.id = s.booth_id"
                        " WHERE b.slug = 'after-upgrade' AND s.last_seq = 0"), 1);
}

/* Same, but both nodes are made to wait for the step's lock at the same time, so one of them
 * necessarily finds the step applied by the other once it gets the lock. */
static pid_t lock_holder_start(void)
{
    return it_psql_hold(pg.url, "it-lock-holder", "LOCK TABLE schema_version IN EXCLUSIVE MODE; SELECT pg_sleep(600)");
}

static void wait_sql(const char *sql, long want, int timeout_ms, const char *what)
{
    double deadline = it_now() + timeout_ms / 1000.0;
    for (;;) {
        long v = psql_long(pg.url, sql);
        if (v == want) return;
        if (it_now() > deadline) FAIL("%s: %s returned %ld, expected %ld", what, sql, v, want);
        it_sleep_ms(50);
    }
}

#define LOCKS_ON_VERSION "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation" \
                         " WHERE c.relname = 'schema_version' AND l.mode = 'ExclusiveLock'"

static void test_upgrade_race(void)
{
    struct fresh fresh;
    pg_start(&pg);
    fresh_schema(1, &fresh);
    make_version_1();

    pid_t holder = lock_holder_start();
    wait_sql(LOCKS_ON_VERSION " AND l.granted", 1, it_ms(10000), "the test's lock holder");
    struct boothd a, b;
    start_twins(&a, &b);
    /* Both nodes read version 1 (plain reads pass the lock) and now wait for the step's lock. */
    wait_sql(LOCKS_ON_VERSION " AND NOT l.granted", 2, it_ms(14000), "both nodes waiting for the lock");
    /* Two queries: in one, PostgreSQL may call pg_cancel_backend() before it filters by name. */
    long pid = psql_long(pg.url, "SELECT pid FROM pg_stat_activity WHERE application_name = 'it-lock-holder'");
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT pg_cancel_backend(%ld)", pid);
    char *ok = psql_ok(pg.url, sql);
    ASSERT_STR_EQ(ok, "t");
    free(ok);
    /* Cancelled, its psql ends by itself (with an error); it_spawn_stop sends nothing (0). */
    if (it_spawn_stop(holder, 0, 10000) == -1) FAIL("the lock holder did not end after its query was cancelled");

    wait_twins(&a, &b);
    check_upgraded(&fresh);
    int ran_a = log_has(&a, MIGRATED), ran_b = log_has(&b, MIGRATED);
    int saw_a = log_has(&a, FOUND_MIGRATED), saw_b = log_has(&b, FOUND_MIGRATED);
    it_log("twin-a: ran the step %d, found it done %d; twin-b: ran the step %d, found it done %d",
           ran_a, saw_a, ran_b, saw_b);
    /* One node ran the step to version 2 and the other found it done. (With later steps the
     * runner may in turn find one of those done by the other node.) */
    if (ran_a + ran_b != 1 || (ran_a ? !saw_b : !saw_a))
        FAIL("expected one node to run the step and the other to find it done");
    check_chat(a.port, "race-a-1");
    check_chat(b.port, "race-b-1");
}

/* ---- versions this boothd cannot serve ----------------------------------------------------- */

static void expect_refusal(long version, const char *why)
{
    char sql[128];
    snprintf(sql, sizeof sql, "UPDATE schema_version SET version = %ld", version);
    free(psql_ok(pg.url, sql));

    struct boothd n;
    struct boothd_opts o = {.db_url = pg.url, .node_id = "refused", .demo = 1};
    boothd_spawn(&n, &o);
    if (!boothd_wait_exit(&n, it_ms(20000))) FAIL("boothd kept running on a database at schema version %ld", version);
    if (!WIFEXITED(n.wait_status)) FAIL("boothd died with %s instead of exiting", it_status_str(n.wait_status));
    if (WEXITSTATUS(n.wait_status) == 0) FAIL("boothd exited 0 on a database at schema version %ld", version);
    char *log = boothd_log(&n);
    it_log("log of the refusing boothd:\n%s", log);
    char want[160];
    snprintf(want, sizeof want, "the database has schema version %ld", version);
    ASSERT_CONTAINS(log, want);
    ASSERT_CONTAINS(log, why);
    ASSERT_CONTAINS(log, "refusing to start");
    if (strstr(log, "migrating")) FAIL("boothd tried to migrate schema version %ld", version);
    free(log);
    /* The database is as it was. */
    ASSERT_EQ(psql_long(pg.url, "SELECT count(*) FROM schema_version"), 1);
    snprintf(sql, sizeof sql, "SELECT version = %ld FROM schema_version", version);
    char *same = psql_ok(pg.url, sql);
    ASSERT_STR_EQ(same, "t");
    free(same);
}

static void test_newer_version_refused(void)
{
    struct fresh fresh;
    pg_start(&pg);
    fresh_schema(0, &fresh);
    expect_refusal(99, "newer than this boothd");
}

static void test_no_migration_path(void)
{
    struct fresh fresh;
    pg_start(&pg);
    fresh_schema(0, &fresh);
    expect_refusal(0, "no migration from it");
}

static const struct it_test tests[] = {
    {"upgrade_from_v1", test_upgrade_from_v1, 90},
    {"functions_reapplied", test_functions_reapplied, 90},
    {"concurrent_upgrade", test_concurrent_upgrade, 120},
    {"upgrade_race", test_upgrade_race, 120},
    {"newer_version_refused", test_newer_version_refused, 60},
    {"no_migration_path", test_no_migration_path, 60},
    {NULL, NULL, 0},
};

int main(int argc, char **argv) { return it_main(argc, argv, tests); }
