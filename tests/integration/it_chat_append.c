/* it_chat_append.c — the contract of chat_append() (server/db/functions.sql) at the SQL level,
 * on a real cluster with the schema and the demo expo a boothd applied (the node is stopped
 * before the checks: nothing but the test writes).
 *
 *   contract  one batch mixing new messages in two booths, a key repeated in the batch, every
 *             kind of refused element and a caller-chosen idx: each row says what happened,
 *             new messages get consecutive seqs per booth in array order, the counters in
 *             booth_chat_seq end at the last seq, a refused element stores nothing and fails
 *             nothing else; a second call with a stored key returns the stored row.
 *   key_race  the path where a key is committed by another transaction between chat_append's
 *             checks (which take no lock) and its insert: the other writer holds the key
 *             uncommitted in another booth, the call waits on it, finds the key taken and
 *             stores the rest one by one: the resend is answered with the other writer's row,
 *             the new message gets the booth's next seq, and no seq is skipped.
 *   booth_gone a booth deleted between the checks and the locks: its message is answered
 *             booth_not_found (nothing stored), the rest of the batch is stored.
 *
 * Each test runs in its own process with its own PostgreSQL cluster (see harness.h):
 *   it_chat_append <test> <path/to/boothd>
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct pg_cluster pg;

/* The ids the checks use, read from the demo expo. */
struct ids { long booth_a, booth_b, booth_closed, booth_archived, visitor, visitor2, staff; };

static void setup(struct ids *x)
{
    struct boothd n;
    pg_start(&pg);
    struct boothd_opts o = {.db_url = pg.url, .node_id = "loader", .demo = 1};
    boothd_start(&n, &o, 40000);
    ASSERT_EQ(boothd_stop(&n), 0);
    /* four booths in id order: two open, one that answers privately only, one archived */
    x->booth_a = psql_long(pg.url, "SELECT id FROM booths ORDER BY id OFFSET 0 LIMIT 1");
    x->booth_b = psql_long(pg.url, "SELECT id FROM booths ORDER BY id OFFSET 1 LIMIT 1");
    x->booth_closed = psql_long(pg.url, "SELECT id FROM booths ORDER BY id OFFSET 2 LIMIT 1");
    x->booth_archived = psql_long(pg.url, "SELECT id FROM booths ORDER BY id OFFSET 3 LIMIT 1");
    x->visitor = psql_long(pg.url, "SELECT id FROM accounts WHERE role = 'visitor' ORDER BY id LIMIT 1");
    x->visitor2 = psql_long(pg.url, "SELECT id FROM accounts WHERE role = 'visitor' ORDER BY id OFFSET 1 LIMIT 1");
    x->staff = psql_long(pg.url, "SELECT id FROM accounts WHERE role = 'exhibitor' ORDER BY id LIMIT 1");
    char sql[600];
    snprintf(sql, sizeof sql,
             "INSERT INTO booth_inquiry_settings (booth_id, public_chat) VALUES (%ld, false)"
             " ON CONFLICT (booth_id) DO UPDATE SET public_chat = false;"
             "INSERT INTO booth_staff (booth_id, account_id) VALUES (%ld, %ld) ON CONFLICT DO NOTHING;"
             "UPDATE booths SET archived_at = now() WHERE id = %ld;",
             x->booth_closed, x->booth_closed, x->staff, x->booth_archived);
    free(psql_ok(pg.url, sql));
    ASSERT_EQ(psql_long(pg.url, "SELECT count(*) FROM chat_messages"), 0);
    ASSERT_EQ(psql_long(pg.url, "SELECT count(*) FROM booth_chat_seq WHERE last_seq <> 0"), 0);
    ASSERT_EQ(psql_long(pg.url, "SELECT count(*) FROM booths b WHERE NOT EXISTS"
                                " (SELECT 1 FROM booth_chat_seq s WHERE s.booth_id = b.id)"), 0);
}

/* chat_append(batch) as lines "idx|booth|seq|duplicate|error|text", one per element. */
static char *append(const char *batch)
{
    size_t n = strlen(batch) + 400;
    char *sql = malloc(n);
    if (!sql) abort();
    snprintf(sql, n,
             "SELECT idx, coalesce(booth_id::text, '-'), coalesce(seq::text, '-'), coalesce(duplicate::text, '-'),"
             " coalesce(error, '-'), coalesce(text, '-') FROM chat_append('%s'::jsonb)", batch);
    char *out = psql_ok(pg.url, sql);
    free(sql);
    return out;
}

static long last_seq(long booth)
{
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT last_seq FROM booth_chat_seq WHERE booth_id = %ld", booth);
    return psql_long(pg.url, sql);
}

/* The booth's stored seqs are exactly 1..n. */
static void expect_gapless(long booth, long n)
{
    char sql[300];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM chat_messages WHERE booth_id = %ld", booth);
    ASSERT_EQ(psql_long(pg.url, sql), n);
    snprintf(sql, sizeof sql, "SELECT coalesce(max(seq), 0) FROM chat_messages WHERE booth_id = %ld", booth);
    ASSERT_EQ(psql_long(pg.url, sql), n);
    ASSERT_EQ(last_seq(booth), n);
}

static void test_contract(void)
{
    struct ids x;
    setup(&x);
    char batch[4000];
    snprintf(batch, sizeof batch,
             "["
             "{\"booth_id\":%ld,\"author_id\":%ld,\"text\":\"a one\",\"client_msg_id\":\"k1\"},"          /* 0 new */
             "{\"booth_id\":%ld,\"author_id\":%ld,\"text\":\"b one\",\"client_msg_id\":\"k2\"},"          /* 1 new */
             "{\"booth_id\":%ld,\"author_id\":%ld,\"text\":\"a two\",\"client_msg_id\":\"k3\"},"          /* 2 new */
             "{\"booth_id\":%ld,\"author_id\":%ld,\"text\":\"again\",\"client_msg_id\":\"k1\"},"          /* 3 repeat of 0 */
             "{\"booth_id\":999999999,\"author_id\":%ld,\"text\":\"nowhere\",\"client_msg_id\":\"k5\"},"  /* 4 */
             "{\"booth_id\":%ld,\"author_id\":999999999,\"text\":\"nobody\",\"client_msg_id\":\"k6\"},"   /* 5 */
             "{\"booth_id\":%ld,\"author_id\":%ld,\"text\":\"\",\"client_msg_id\":\"k7\"},"               /* 6 */
             "{\"booth_id\":%ld,\"author_id\":%ld,\"text\":\"long key\",\"client_msg_id\":\"%065d\"},"    /* 7 */
             "{\"booth_id\":%ld,\"author_id\":%ld,\"text\":\"closed\",\"client_msg_id\":\"k9\"},"         /* 8 */
             "{\"booth_id\":%ld,\"author_id\":%ld,\"text\":\"staff may\",\"client_msg_id\":\"k10\"},"     /* 9 new */
             "{\"booth_id\":%ld,\"author_id\":%ld,\"text\":\"archived\",\"client_msg_id\":\"k11\"},"      /* 10 */
             "{\"booth_id\":%ld,\"author_id\":%ld,\"text\":\"tagged\",\"client_msg_id\":\"k12\",\"idx\":77}" /* 11 new */
             "]",
             x.booth_a, x.visitor, x.booth_b, x.visitor, x.booth_a, x.visitor, x.booth_a, x.visitor,
             x.visitor, x.booth_a, x.booth_a, x.visitor, x.booth_a, x.visitor, 0,
             x.booth_closed, x.visitor, x.booth_closed, x.staff, x.booth_archived, x.visitor,
             x.booth_b, x.visitor2);
    char *got = append(batch);
    char want[2000];
    snprintf(want, sizeof want,
             "0|%ld|1|false|-|a one\n"
             "1|%ld|1|false|-|b one\n"
             "2|%ld|2|false|-|a two\n"
             "3|%ld|1|true|-|a one\n"
             "4|-|-|-|booth_not_found|-\n"
             "5|-|-|-|author_not_found|-\n"
             "6|-|-|-|bad_text|-\n"
             "7|-|-|-|bad_client_msg_id|-\n"
             "8|-|-|-|chat_closed|-\n"
             "9|%ld|1|false|-|staff may\n"
             "10|-|-|-|booth_archived|-\n"
             "77|%ld|2|false|-|tagged",
             x.booth_a, x.booth_b, x.booth_a, x.booth_a, x.booth_closed, x.booth_b);
    ASSERT_STR_EQ(got, want);
    free(got);
    expect_gapless(x.booth_a, 2);
    expect_gapless(x.booth_b, 2);
    expect_gapless(x.booth_closed, 1);
    expect_gapless(x.booth_archived, 0);
    ASSERT_EQ(psql_long(pg.url, "SELECT count(*) FROM chat_messages"), 5);
    ASSERT_EQ(psql_long(pg.url, "SELECT count(*) FROM booth_chat_seq WHERE last_seq <> 0"), 3);

    /* A resend of a stored key (other text, even another booth) returns the stored row and
     * uses no seq; a new key in the same call follows the counter. */
    snprintf(batch, sizeof batch,
             "[{\"booth_id\":%ld,\"author_id\":%ld,\"text\":\"resent\",\"client_msg_id\":\"k2\"},"
             "{\"booth_id\":%ld,\"author_id\":%ld,\"text\":\"b three\",\"client_msg_id\":\"k13\"}]",
             x.booth_a, x.visitor, x.booth_b, x.visitor);
    got = append(batch);
    snprintf(want, sizeof want, "0|%ld|1|true|-|b one\n1|%ld|3|false|-|b three", x.booth_b, x.booth_b);
    ASSERT_STR_EQ(got, want);
    free(got);
    expect_gapless(x.booth_a, 2);
    expect_gapless(x.booth_b, 3);

    /* Nothing but errors: no row, no counter moves. */
    snprintf(batch, sizeof batch, "[{\"booth_id\":%ld,\"author_id\":%ld,\"text\":\"\",\"client_msg_id\":\"k14\"}]",
             x.booth_a, x.visitor);
    got = append(batch);
    ASSERT_STR_EQ(got, "0|-|-|-|bad_text|-");
    free(got);
    expect_gapless(x.booth_a, 2);
    ASSERT_EQ(psql_long(pg.url, "SELECT count(*) FROM chat_messages"), 6);
}

/* Runs chat_append(batch) while another session has run `held` (SQL) in a transaction that it
 * commits 3 s later, and checks that the call waited for that commit (so the race under test
 * really happened). Returns append()'s lines; the other session has ended. */
static char *append_behind(const char *held, const char *batch)
{
    char sql[800];
    snprintf(sql, sizeof sql, "BEGIN; %s; SELECT pg_sleep(3); COMMIT", held);
    pid_t holder = it_psql_hold(pg.url, "it-holder", sql);
    for (int i = 0; psql_long(pg.url, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'it-holder'"
                                      " AND wait_event = 'PgSleep'") != 1; i++) {
        if (i > it_ms(10000) / 20) FAIL("the other session did not start its transaction");
        it_sleep_ms(20);
    }
    double t0 = it_now();
    char *got = append(batch);
    double took = it_now() - t0;
    it_log("the call waited %.2f s for the other session's commit", took);
    ASSERT_GE((long)(took * 1000), 1000);
    ASSERT_EQ(it_spawn_stop(holder, SIGTERM, 5000) >= 0, 1);
    return got;
}

static void test_key_race(void)
{
    struct ids x;
    setup(&x);
    /* Another writer stores visitor's key "race-1" in booth A and keeps its transaction open
     * for 3 s: chat_append's check does not see the uncommitted row, so the call below takes
     * the key for new, then its insert waits for that transaction and finds the key taken. */
    char held[400];
    snprintf(held, sizeof held,
             "SELECT count(*) FROM chat_append(jsonb_build_array(jsonb_build_object('booth_id', %ld,"
             " 'author_id', %ld, 'text', 'held', 'client_msg_id', 'race-1')))", x.booth_a, x.visitor);
    char batch[600];
    snprintf(batch, sizeof batch,
             "[{\"booth_id\":%ld,\"author_id\":%ld,\"text\":\"resent elsewhere\",\"client_msg_id\":\"race-1\"},"
             "{\"booth_id\":%ld,\"author_id\":%ld,\"text\":\"after\",\"client_msg_id\":\"race-2\"}]",
             x.booth_b, x.visitor, x.booth_b, x.visitor2);
    char *got = append_behind(held, batch);
    char want[400];
    snprintf(want, sizeof want, "0|%ld|1|true|-|held\n1|%ld|1|false|-|after", x.booth_a, x.booth_b);
    ASSERT_STR_EQ(got, want);
    free(got);
    expect_gapless(x.booth_a, 1);
    expect_gapless(x.booth_b, 1);
    ASSERT_EQ(psql_long(pg.url, "SELECT count(*) FROM chat_messages WHERE client_msg_id = 'race-1'"), 1);
}

static void test_booth_gone(void)
{
    struct ids x;
    setup(&x);
    /* Another session deletes booth B and commits 3 s later. The call's checks still see B
     * (the delete is not committed), its lock on B's counter waits for the delete, and then
     * there is no counter to number from. */
    char held[200];
    snprintf(held, sizeof held, "DELETE FROM booths WHERE id = %ld", x.booth_b);
    char batch[600];
    snprintf(batch, sizeof batch,
             "[{\"booth_id\":%ld,\"author_id\":%ld,\"text\":\"to a booth going away\",\"client_msg_id\":\"g1\"},"
             "{\"booth_id\":%ld,\"author_id\":%ld,\"text\":\"to a booth that stays\",\"client_msg_id\":\"g2\"}]",
             x.booth_b, x.visitor, x.booth_a, x.visitor);
    char *got = append_behind(held, batch);
    char want[300];
    snprintf(want, sizeof want, "0|-|-|-|booth_not_found|-\n1|%ld|1|false|-|to a booth that stays", x.booth_a);
    ASSERT_STR_EQ(got, want);
    free(got);
    expect_gapless(x.booth_a, 1);
    ASSERT_EQ(psql_long(pg.url, "SELECT count(*) FROM chat_messages WHERE client_msg_id = 'g1'"), 0);
}

static const struct it_test tests[] = {
    {"contract", test_contract, 90},
    {"key_race", test_key_race, 90},
    {"booth_gone", test_booth_gone, 90},
    {NULL, NULL, 0},
};

int main(int argc, char **argv) { return it_main(argc, argv, tests); }
