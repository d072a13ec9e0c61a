/* it_db: the database module's queue, against a real PostgreSQL cluster, without boothd.
 *
 * urgent_first: with the only connection busy and client queries waiting, a statement defined
 * with DB_STMT_URGENT (the node heartbeat) runs before every waiting query. Why: under overload the queue holds seconds of client work; a
 * heartbeat waiting there made other nodes reap this node and delete its presence (the full-box
 * benchmark, docs/benchmarks.md "Full box (#15)").
 *
 * generic_plans: a DB_STMT_GENERIC statement runs with its generic plan, planned once, while
 * the same statement defined with DB_STMT is planned anew on every call (a batch parameter
 * PostgreSQL cannot see into makes the generic plan look dearer: issue 15's auth_resume);
 * every other query runs with the server's own plan_cache_mode; and once the connection's
 * plans are DB_GENERIC_PLAN_MAX_MS old, the next generic statement discards them first. With
 * two connections, each query goes to the one already in its mode. */
#include "check.h"
#include "harness.h"
#include "util/metrics.h"
#include "db/db.h"

#include <string.h>
#include <uv.h>

static struct db_stmt q_sleep = DB_STMT("it_sleep", "SELECT pg_sleep(0.3)");
static struct db_stmt q_plain = DB_STMT("it_plain", "SELECT $1::int");
static struct db_stmt q_urgent = DB_STMT_URGENT("it_urgent", "SELECT $1::int");

struct order {
    int seen[64];
    int n;
    int failed;
};

static void on_done(void *arg, const struct db_result *r)
{
    struct order *o = arg;
    if (db_result_status(r) != DB_OK) { o->failed++; return; }
    if (o->n < 64) o->seen[o->n++] = (int)db_result_int64(r, 0, 0);
}

static void on_sleep(void *arg, const struct db_result *r)
{
    struct order *o = arg;
    if (db_result_status(r) != DB_OK) o->failed++;
}

static void on_closed(void *arg) { *(int *)arg = 1; }

/* Closes the pool, waits for its handles, frees it and closes the loop. */
static void close_pool(uv_loop_t *loop, struct db *db)
{
    int closed = 0;
    db_close(db, on_closed, &closed);
    double end = it_now() + it_ms(5000) / 1000.0;
    while (!closed && it_now() < end) uv_run(loop, UV_RUN_ONCE);
    ASSERT_TRUE(closed);
    db_free(db);
    uv_run(loop, UV_RUN_DEFAULT);
    ASSERT_EQ(uv_loop_close(loop), 0);
}

static void run_until(uv_loop_t *loop, struct order *o, int want, int timeout_ms)
{
    double end = it_now() + timeout_ms / 1000.0;
    while (o->n + o->failed < want && it_now() < end) uv_run(loop, UV_RUN_ONCE);
}

static void test_urgent_first(void)
{
    struct pg_cluster pg = {0};
    pg_start(&pg);
    uv_loop_t loop;
    uv_loop_init(&loop);
    struct db *db = db_new(&loop, pg.url, 1, "it_db");
    ASSERT_TRUE(db != NULL);
    struct order o = {0};

    /* the one connection busy for 0.3 s, then plain queries 1..5 waiting, then urgent 100, 101 */
    ASSERT_EQ(db_query(db, &q_sleep, 0, NULL, on_sleep, &o), 0);
    char v[8];
    for (int i = 1; i <= 5; i++) {
        snprintf(v, sizeof v, "%d", i);
        const char *p[] = {v};
        ASSERT_EQ(db_query(db, &q_plain, 1, p, on_done, &o), 0);
    }
    const char *u1[] = {"100"}, *u2[] = {"101"};
    ASSERT_EQ(db_query(db, &q_urgent, 1, u1, on_done, &o), 0);
    ASSERT_EQ(db_query(db, &q_urgent, 1, u2, on_done, &o), 0);
    run_until(&loop, &o, 7, it_ms(10000));
    ASSERT_EQ(o.failed, 0);
    ASSERT_EQ(o.n, 7);
    /* urgent ones first, in their own order; the plain ones after, in theirs */
    int want[] = {100, 101, 1, 2, 3, 4, 5};
    for (int i = 0; i < 7; i++)
        if (o.seen[i] != want[i]) FAIL("answer %d was %d, expected %d (urgent statements must jump the queue)", i, o.seen[i], want[i]);

    close_pool(&loop, db);
}

/* expiry_behind_urgent: PostgreSQL unreachable; an ordinary query waits, then an urgent one
 * (a heartbeat) is queued ahead of it. The ordinary one must still be answered `unavailable`
 * after DB_QUEUE_TIMEOUT_MS, not sheltered by the younger urgent one at the head (that made
 * every chat.send wait through a whole outage, the heartbeat being re-queued every 2 s). */
struct timed {
    double plain_at, urgent_at;
    int plain_status, urgent_status;
    struct db *db;
};

static void on_plain_timed(void *arg, const struct db_result *r)
{
    struct timed *t = arg;
    t->plain_at = it_now();
    t->plain_status = db_result_status(r);
}

static void on_urgent_timed(void *arg, const struct db_result *r)
{
    struct timed *t = arg;
    t->urgent_at = it_now();
    t->urgent_status = db_result_status(r);
}

static void queue_urgent(uv_timer_t *timer)
{
    struct timed *t = timer->data;
    const char *p[] = {"7"};
    if (db_query(t->db, &q_urgent, 1, p, on_urgent_timed, t)) FAIL("urgent query refused");
}

static void test_expiry_behind_urgent(void)
{
    char url[160];
    snprintf(url, sizeof url, "postgresql://boothd@127.0.0.1:%d/boothd?connect_timeout=1", it_free_port());
    uv_loop_t loop;
    uv_loop_init(&loop);
    struct timed t = {.plain_status = -1, .urgent_status = -1};
    t.db = db_new(&loop, url, 1, "it_db");
    ASSERT_TRUE(t.db != NULL);
    double start = it_now();
    const char *p[] = {"1"};
    ASSERT_EQ(db_query(t.db, &q_plain, 1, p, on_plain_timed, &t), 0);
    uv_timer_t timer;
    uv_timer_init(&loop, &timer);
    timer.data = &t;
    uv_timer_start(&timer, queue_urgent, 2000, 0);
    double end = start + it_ms(15000) / 1000.0;
    while ((t.plain_at == 0 || t.urgent_at == 0) && it_now() < end) uv_run(&loop, UV_RUN_ONCE);
    if (t.plain_at == 0) FAIL("the ordinary query was never answered");
    if (t.plain_status == DB_OK) FAIL("the ordinary query succeeded with no database");
    it_log("ordinary answered after %.2f s, urgent after %.2f s", t.plain_at - start, t.urgent_at - start);
    /* 3 s in the queue, checked every 250 ms: well before the urgent one expires (2 s + 3 s) */
    if (t.plain_at - start > 4.2) FAIL("the ordinary query waited %.2f s behind an urgent one", t.plain_at - start);
    if (t.urgent_at == 0 || t.urgent_at < t.plain_at) FAIL("the urgent query should expire after the ordinary one");

    int closed = 0;
    uv_close((uv_handle_t *)&timer, NULL);
    db_close(t.db, on_closed, &closed);
    while (!closed && it_now() < end + 5) uv_run(&loop, UV_RUN_ONCE);
    ASSERT_TRUE(closed);
    db_free(t.db);
    uv_run(&loop, UV_RUN_DEFAULT);
    ASSERT_EQ(uv_loop_close(&loop), 0);
}

#define GENERIC_ARRAY_SQL "SELECT count(*) FROM unnest($1::oid[]) u(x) JOIN pg_class c ON c.oid = u.x"
#define SETTING_SQL "SELECT current_setting('plan_cache_mode') || ' ' || $1::text"
static struct db_stmt q_gen_array = DB_STMT_GENERIC("it_gen_array", GENERIC_ARRAY_SQL);
static struct db_stmt q_plain_array = DB_STMT("it_plain_array", GENERIC_ARRAY_SQL);
static struct db_stmt q_gen_setting = DB_STMT_GENERIC("it_gen_setting", SETTING_SQL);
static struct db_stmt q_plain_setting = DB_STMT("it_plain_setting", SETTING_SQL);
static struct db_stmt q_plan_counts = DB_STMT("it_plan_counts",
    "SELECT name || ' generic ' || generic_plans || ' custom ' || custom_plans FROM pg_prepared_statements"
    " WHERE name IN ('it_gen_array', 'it_plain_array') ORDER BY name");

struct answers {
    char text[40][80];   /* each answer's rows, joined by "; " */
    int n, failed;
};

static void on_answer(void *arg, const struct db_result *r)
{
    struct answers *a = arg;
    if (db_result_status(r) != DB_OK) { it_log("query failed: %s", db_result_message(r)); a->failed++; return; }
    if (a->n >= 40) return;
    char *t = a->text[a->n++];
    t[0] = 0;
    for (int i = 0; i < db_result_rows(r); i++)
        snprintf(t + strlen(t), 80 - strlen(t), "%s%s", i ? "; " : "", db_result_value(r, i, 0));
}

static void ask(struct db *db, struct db_stmt *st, const char *param, struct answers *a)
{
    const char *p[] = {param};
    if (db_query(db, st, param ? 1 : 0, param ? p : NULL, on_answer, a)) FAIL("query %s refused", st->name);
}

static void wait_answers(uv_loop_t *loop, struct answers *a, int want)
{
    double end = it_now() + it_ms(10000) / 1000.0;
    while (a->n + a->failed < want && it_now() < end) uv_run(loop, UV_RUN_ONCE);
    ASSERT_EQ(a->failed, 0);
    ASSERT_EQ(a->n, want);
}

static void test_generic_plans(void)
{
    struct pg_cluster pg = {0};
    pg_start(&pg);
    uv_loop_t loop;
    uv_loop_init(&loop);
    struct db *db = db_new(&loop, pg.url, 1, "it_db");   /* one connection: one session to ask */
    ASSERT_TRUE(db != NULL);
    struct answers a = {0};

    ask(db, &q_gen_setting, "a", &a);
    ask(db, &q_plain_setting, "b", &a);
    for (int i = 0; i < 6; i++) {   /* interleaved: the setting changes before each */
        ask(db, &q_gen_array, "{1259}", &a);
        ask(db, &q_plain_array, "{1259}", &a);
    }
    ask(db, &q_plan_counts, NULL, &a);
    wait_answers(&loop, &a, 15);
    ASSERT_STR_EQ(a.text[0], "force_generic_plan a");
    ASSERT_STR_EQ(a.text[1], "auto b");
    for (int i = 2; i < 14; i++) ASSERT_STR_EQ(a.text[i], "1");
    /* The plain twin shows what PostgreSQL does on its own with such a statement (so this
     * test would fail if the generic one were run the same way). */
    ASSERT_STR_EQ(a.text[14], "it_gen_array generic 6 custom 0; it_plain_array generic 0 custom 6");

    /* The plans' age: a generic statement after DB_GENERIC_PLAN_MAX_MS costs one more round trip
     * (DISCARD PLANS), a generic statement after a generic one none. */
    uint64_t before = metrics_db_plan_settings();
    ask(db, &q_gen_setting, "c", &a);   /* after it_plan_counts: one SET */
    ask(db, &q_gen_setting, "d", &a);
    wait_answers(&loop, &a, 17);
    ASSERT_EQ(metrics_db_plan_settings() - before, 1);
    double until = it_now() + (DB_GENERIC_PLAN_MAX_MS + 300) / 1000.0;
    while (it_now() < until) { uv_run(&loop, UV_RUN_NOWAIT); uv_sleep(20); }
    ask(db, &q_gen_setting, "e", &a);
    ask(db, &q_gen_setting, "f", &a);
    wait_answers(&loop, &a, 19);
    ASSERT_EQ(metrics_db_plan_settings() - before, 2);
    ASSERT_STR_EQ(a.text[15], "force_generic_plan c");
    ASSERT_STR_EQ(a.text[18], "force_generic_plan f");

    close_pool(&loop, db);

    /* Two connections, generic and plain statements one after the other: the connection already
     * in a query's mode takes it, so only the first switch costs a round trip (without that,
     * the first idle connection took each and switched every time). */
    uv_loop_init(&loop);
    db = db_new(&loop, pg.url, 2, "it_db");
    ASSERT_TRUE(db != NULL);
    unsigned up = 0, busy, queued;
    double end = it_now() + it_ms(10000) / 1000.0;
    while (up < 2 && it_now() < end) { uv_run(&loop, UV_RUN_NOWAIT); uv_sleep(5); db_counts(db, &up, &busy, &queued); }
    ASSERT_EQ(up, 2);
    struct answers b = {0};
    before = metrics_db_plan_settings();
    for (int i = 0; i < 10; i++) {
        ask(db, i % 2 ? &q_plain_setting : &q_gen_setting, "x", &b);
        wait_answers(&loop, &b, i + 1);
        ASSERT_STR_EQ(b.text[i], i % 2 ? "auto x" : "force_generic_plan x");
    }
    ASSERT_EQ(metrics_db_plan_settings() - before, 1);
    close_pool(&loop, db);
}

static const struct it_test tests[] = {
    {"urgent_first", test_urgent_first, 60},
    {"expiry_behind_urgent", test_expiry_behind_urgent, 60},
    {"generic_plans", test_generic_plans, 60},
    {NULL, NULL, 0},
};

int main(int argc, char **argv) { return it_main(argc, argv, tests); }
