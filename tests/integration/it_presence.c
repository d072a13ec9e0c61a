/* it_presence.c — integration tests of the presence domain: counts across two nodes, a
 * killed node's visitors leaving the counts, and accounts and booths an operator deletes by
 * hand taking their presence rows and visits along.
 *
 * Each test runs in its own process with its own cluster and the demo expo (see visit.h):
 *   it_presence <test> <path/to/boothd>
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "visit.h"

static void test_presence(void)
{
    up(2);
    struct expo a, b, s;
    struct user ua, ub, us;
    visitor(&a, &ua, na.port, "alice");
    visitor(&b, &ub, nb.port, "bob");
    struct booth x;
    hall_booth(&a, 6, &x);

    cJSON *e = enter(&a, &x);
    ASSERT_EQ(JINT(e, "visitors_now"), 1);
    cJSON_Delete(e);
    e = enter(&b, &x);
    ASSERT_EQ(JINT(e, "visitors_now"), 2);
    cJSON_Delete(e);
    WAIT_PRESENCE(&a, &x, 2, 0, it_ms(5000));
    check_hall_counts(&a, &x, 2, 0);
    check_hall_counts(&b, &x, 2, 0);
    cJSON *g = EXPO_OK(&b, "booth.get", "{\"booth_id\":%s}", x.id);
    ASSERT_EQ(JINT(JGET(g, "booth"), "visitors_now"), 2);
    cJSON_Delete(g);

    /* Booth staff comes online on node B. */
    char staff_email[160];
    snprintf(staff_email, sizeof staff_email, "staff@%s.demo.expo", x.slug);
    expo_connect(&s, nb.port, "staff");
    do_login(&s, &us, staff_email, DEMO_PW);
    cJSON_Delete(enter(&s, &x));
    WAIT_PRESENCE(&a, &x, 2, 1, it_ms(5000));
    WAIT_PRESENCE(&b, &x, 2, 1, it_ms(5000));
    check_hall_counts(&a, &x, 2, 1);
    /* Staff messages reach visitors on the other node. */
    cJSON *m = SEND_OK(&s, &x, "안녕하세요! Welcome to our booth.", "staff-1");
    CHECK_MESSAGE(m, &x, &us, "안녕하세요! Welcome to our booth.");
    cJSON_Delete(m);
    long long seq;
    COLLECT_CHAT(&a, &x, 1, &seq, NULL, it_ms(5000));
    cJSON_Delete(EXPO_OK(&s, "booth.leave", "{\"booth_id\":%s}", x.id));
    WAIT_PRESENCE(&a, &x, 2, 0, it_ms(5000));

    /* Bob leaves by closing his socket. */
    expo_close(&b);
    WAIT_PRESENCE(&a, &x, 1, 0, it_ms(5000));
    check_hall_counts(&s, &x, 1, 0);
    /* Alice leaves explicitly: back to zero everywhere. */
    cJSON_Delete(EXPO_OK(&a, "booth.leave", "{\"booth_id\":%s}", x.id));
    check_hall_counts(&s, &x, 0, 0);
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM presence WHERE booth_id = %s", sql_id(x.id));
    wait_sql_count(sql, 0);
    /* Visits were recorded with their end. */
    snprintf(sql, sizeof sql, "SELECT count(*) FROM visits WHERE booth_id = %s AND left_at IS NOT NULL", sql_id(x.id));
    ASSERT_GE(psql_long(pg.url, sql), 3);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM visits WHERE booth_id = %s AND left_at IS NULL", sql_id(x.id));
    wait_sql_count(sql, 0);
    expo_close(&a);
    expo_close(&s);
}

static void test_kill9_presence(void)
{
    up(2);
    struct expo a, b, c;
    struct user ua, ub, uc;
    visitor(&a, &ua, na.port, "alice");
    visitor(&b, &ub, nb.port, "bob");
    visitor(&c, &uc, nb.port, "carol");
    struct booth x;
    hall_booth(&a, 9, &x);
    cJSON_Delete(enter(&a, &x));
    cJSON_Delete(enter(&b, &x));
    cJSON_Delete(enter(&c, &x));
    WAIT_PRESENCE(&a, &x, 3, -1, it_ms(5000));
    check_hall_counts(&a, &x, 3, -1);

    double t = it_now();
    boothd_kill9(&nb);
    expo_drop(&b);
    expo_drop(&c);
    WAIT_PRESENCE(&a, &x, 1, -1, it_ms(10000));
    it_log("presence of the killed node cleared after %.1f s", it_now() - t);
    check_hall_counts(&a, &x, 1, -1);
    ASSERT_EQ(psql_long(pg.url, "SELECT count(*) FROM presence WHERE node_id = 'node-b'"), 0);
    ASSERT_EQ(psql_long(pg.url, "SELECT count(*) FROM visits WHERE node_id = 'node-b' AND left_at IS NULL"), 0);

    /* The node comes back under the same id and works normally. */
    struct boothd_opts o = {.db_url = pg.url, .node_id = "node-b", .demo = 1};
    boothd_start(&nb, &o, 40000);
    struct expo b2;
    expo_connect(&b2, nb.port, "bob-back");
    do_resume(&b2, &ub);
    cJSON *e = enter(&b2, &x);
    ASSERT_EQ(JINT(e, "visitors_now"), 2);
    cJSON_Delete(e);
    WAIT_PRESENCE(&a, &x, 2, -1, it_ms(5000));
    expo_close(&a);
    expo_close(&b2);
}

/* presence and visits have no foreign keys to accounts and booths (schema version 7); the
 * triggers of schema.sql (presence_visits_hold()) keep ON DELETE CASCADE's result for an
 * operator who deletes them by hand, and an enter of a deleted account writes nothing. */
static void test_deleted_by_hand(void)
{
    up(1);
    struct expo a, b;
    struct user ua, ub;
    visitor(&a, &ua, na.port, "alice");
    visitor(&b, &ub, na.port, "bob");
    struct booth x, y;
    hall_booth(&a, 3, &x);
    hall_booth(&a, 4, &y);
    cJSON_Delete(enter(&a, &x));
    cJSON_Delete(enter(&b, &x));
    cJSON_Delete(enter(&b, &y));
    char sql[512];
#define COUNT_OF(table, col, id) \
    (snprintf(sql, sizeof sql, "SELECT count(*) FROM " table " WHERE " col " = %s", sql_id(id)), psql_long(pg.url, sql))
    ASSERT_EQ(COUNT_OF("presence", "account_id", ua.id), 1);
    ASSERT_EQ(COUNT_OF("visits", "account_id", ua.id), 1);

    /* An account deleted while a transaction that inserted a presence row of it is still
     * open: the delete waits for that transaction to commit, then takes its row too. The
     * inserting transaction waits for an advisory lock the test holds in a third session. */
    pid_t gate = it_psql_hold(pg.url, "it-presence-gate", "SELECT pg_advisory_lock(7301); SELECT pg_sleep(600)");
    wait_sql_count("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'it-presence-gate'"
                   " AND wait_event = 'PgSleep'", 1);
    snprintf(sql, sizeof sql,
             "BEGIN; INSERT INTO presence (node_id, session_id, booth_id, account_id, role)"
             " VALUES ('node-a', 'held-by-hand', %s, %s, 'visitor'); SELECT pg_advisory_lock(7301); COMMIT",
             sql_id(y.id), sql_id(ua.id));
    pid_t holder = it_psql_hold(pg.url, "it-presence-holder", sql);
    wait_sql_count("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'it-presence-holder'"
                   " AND wait_event = 'advisory'", 1);
    snprintf(sql, sizeof sql, "DELETE FROM accounts WHERE id = %s", sql_id(ua.id));
    pid_t deleter = it_psql_hold(pg.url, "it-presence-deleter", sql);
    wait_sql_count("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'it-presence-deleter'"
                   " AND wait_event = 'relation'", 1);
    ASSERT_EQ(COUNT_OF("accounts", "id", ua.id), 1);
    free(psql_ok(pg.url, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'it-presence-gate'"));
    it_spawn_stop(gate, SIGTERM, 5000);
    ASSERT_EQ(it_spawn_stop(holder, 0, (int)it_ms(10000)), 0);
    ASSERT_EQ(it_spawn_stop(deleter, 0, (int)it_ms(10000)), 0);
    ASSERT_EQ(COUNT_OF("accounts", "id", ua.id), 0);
    ASSERT_EQ(COUNT_OF("presence", "account_id", ua.id), 0);
    ASSERT_EQ(COUNT_OF("visits", "account_id", ua.id), 0);
    ASSERT_EQ(COUNT_OF("presence", "account_id", ub.id), 2);

    /* Alice's socket is still open: her next enter finds no account and writes nothing. */
    EXPO_ERR(&a, "not_found", "booth.enter", "{\"booth_id\":%s}", y.id);
    ASSERT_EQ(COUNT_OF("presence", "account_id", ua.id), 0);
    ASSERT_EQ(COUNT_OF("visits", "account_id", ua.id), 0);

    /* A booth deleted by hand takes its presence rows and visits along. */
    snprintf(sql, sizeof sql, "DELETE FROM booths WHERE id = %s", sql_id(x.id));
    free(psql_ok(pg.url, sql));
    ASSERT_EQ(COUNT_OF("presence", "booth_id", x.id), 0);
    ASSERT_EQ(COUNT_OF("visits", "booth_id", x.id), 0);
    ASSERT_EQ(COUNT_OF("presence", "booth_id", y.id), 1);
    EXPO_ERR(&b, "not_found", "booth.enter", "{\"booth_id\":%s}", x.id);
    ASSERT_EQ(COUNT_OF("presence", "booth_id", x.id), 0);
#undef COUNT_OF
    expo_close(&a);
    expo_close(&b);
}

static const struct it_test tests[] = {
    {"presence_two_nodes", test_presence, 120},
    {"kill9_presence", test_kill9_presence, 120},
    {"deleted_by_hand", test_deleted_by_hand, 120},
    {NULL, NULL, 0},
};

int main(int argc, char **argv) { return it_main(argc, argv, tests); }
