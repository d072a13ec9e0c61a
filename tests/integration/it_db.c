/* it_db: the database module's queue, against a real PostgreSQL cluster, without boothd.
 *
 * urgent_first: with the only connection busy and client queries waiting, a statement defined
 * with DB_STMT_URGENT (the node heartbeat) runs before every waiting query. Why: under overload the queue holds seconds of client work; a
 * heartbeat waiting there made other nodes reap this node and delete its presence (the full-box
 * benchmark, docs/benchmarks.md "Full box (#15)"). */
#include "check.h"
#include "harness.h"
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

    int closed = 0;
    db_close(db, on_closed, &closed);
    double end = it_now() + it_ms(5000) / 1000.0;
    while (!closed && it_now() < end) uv_run(&loop, UV_RUN_ONCE);
    ASSERT_TRUE(closed);
    db_free(db);
    uv_run(&loop, UV_RUN_DEFAULT);
    ASSERT_EQ(uv_loop_close(&loop), 0);
}

static const struct it_test tests[] = {
    {"urgent_first", test_urgent_first, 60},
    {NULL, NULL, 0},
};

int main(int argc, char **argv) { return it_main(argc, argv, tests); }
