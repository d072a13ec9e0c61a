/* it_limits.c — integration tests of the limits every session meets: message rate classes
 * (flooding) and connections per address.
 *
 * Each test runs in its own process with its own cluster and the demo expo (see visit.h):
 *   it_limits <test> <path/to/boothd>
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

static void test_flooding(void)
{
    up(1);
    struct expo a, b;
    struct user ua, ub;
    struct booth x;
    long long l0 = two_in_booth(&a, &ua, "flooder", na.port, &b, &ub, "bystander", na.port, 13, &x);

    /* 40 messages back to back, pipelined. */
    enum { N = 40 };
    long ids[N];
    for (int i = 0; i < N; i++) {
        char cmid[16];
        snprintf(cmid, sizeof cmid, "f-%d", i);
        ids[i] = expo_send(&a, "chat.send", "{\"booth_id\":%s,\"text\":\"flood %d\",\"client_msg_id\":%s}", x.id, i,
                           json_quote(cmid));
        ASSERT_GT(ids[i], 0);
    }
    int ok = 0, limited = 0;
    for (int i = 0; i < N; i++) {
        cJSON *r = expo_reply(&a, ids[i], it_ms(10000));
        if (!r) FAIL("no reply to flood message %d (connection %s)", i, a.closed ? "closed" : "open");
        if (cJSON_IsTrue(JGET(r, "ok"))) ok++;
        else {
            EXPO_CHECK_ERROR(r, "rate_limited");
            limited++;
        }
        cJSON_Delete(r);
    }
    it_log("flood: %d accepted, %d rate_limited", ok, limited);
    ASSERT_EQ(ok + limited, N);
    ASSERT_GE(ok, 8);
    ASSERT_LE(ok, 16);
    ASSERT_EQ(a.closed, 0);

    /* The bystander is not limited by someone else's flood, and saw each accepted one once. */
    cJSON_Delete(SEND_OK(&b, &x, "I can still talk", "b-1"));
    long long seqs[N + 1];
    COLLECT_CHAT(&b, &x, ok + 1, seqs, NULL, it_ms(5000));
    for (int i = 0; i <= ok; i++) ASSERT_EQ(seqs[i], l0 + 1 + i);
    ASSERT_EQ(expo_count_events(&b, "chat.message", 300), 0);
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM chat_messages WHERE author_id = %s", sql_id(ua.id));
    ASSERT_EQ(psql_long(pg.url, sql), ok);

    /* The bucket refills (~2/s). */
    it_sleep_ms(1600);
    cJSON_Delete(SEND_OK(&a, &x, "after a pause", "f-after"));

    /* Hostile input from a signed-in member of a booth: errors, then the connection is fine. */
    EXPO_ERR(&a, "bad_request", "chat.send", "{\"booth_id\":%s,\"text\":{\"html\":1},\"client_msg_id\":\"o1\"}", x.id);
    ASSERT_EQ(expo_send_text(&a, "{\"id\":999,\"type\":\"chat.send\",\"data\":{\"booth_id\":"), WS_OK);
    cJSON *r = expo_next_reply(&a, it_ms(5000));
    ASSERT_NOT_NULL(r);
    EXPO_CHECK_ERROR(r, "bad_request");
    cJSON_Delete(r);
    cJSON_Delete(EXPO_OK(&a, "sys.ping", NULL));

    /* Oversized: closed with 1009, and its presence goes with it. */
    expo_discard_events(&b, NULL);
    size_t big = 70000;
    char *msg = malloc(big + 200);
    if (!msg) abort();
    int hl = snprintf(msg, 200, "{\"id\":5,\"type\":\"chat.send\",\"data\":{\"booth_id\":%s,\"client_msg_id\":\"big\",\"text\":\"", x.id);
    memset(msg + hl, 'x', big);
    strcpy(msg + hl + big, "\"}}");
    ws_send_text(&a.ws, msg, strlen(msg));
    free(msg);
    int code = ws_wait_closed(&a.ws, it_ms(5000), NULL);
    ASSERT_EQ(code, 1009);
    expo_drop(&a);
    WAIT_PRESENCE(&b, &x, 1, -1, it_ms(5000));
    snprintf(sql, sizeof sql, "SELECT count(*) FROM chat_messages WHERE client_msg_id = 'big'");
    ASSERT_EQ(psql_long(pg.url, sql), 0);
    expo_close(&b);
}

static void test_conn_cap(void)
{
    pg_start(&pg);
    const char *extra[] = {"--max-conns-per-ip", "5", NULL};
    struct boothd_opts o = {.db_url = pg.url, .node_id = "capped", .demo = 1, .extra_args = extra};
    boothd_start(&na, &o, 40000);
    struct expo c[6];
    for (int i = 0; i < 5; i++) {
        char label[16];
        snprintf(label, sizeof label, "c%d", i);
        expo_connect(&c[i], na.port, label);
        cJSON_Delete(EXPO_OK(&c[i], "sys.ping", NULL));
    }
    /* The sixth from the same address is refused, or closed before it is served. */
    int r = expo_open(&c[5], na.port, "c5");
    if (r == WS_OK) {
        long id = expo_send(&c[5], "sys.ping", NULL);
        cJSON *reply = expo_reply(&c[5], id, it_ms(3000));
        if (reply && cJSON_IsTrue(JGET(reply, "ok")))
            FAIL("a 6th connection from one address was served with --max-conns-per-ip 5");
        cJSON_Delete(reply);
        expo_drop(&c[5]);
    } else {
        it_log("6th connection refused: %s (HTTP %d)", ws_strerror(r), c[5].ws.http_status);
    }
    /* The five are unaffected; after one leaves, a new one is admitted. */
    for (int i = 0; i < 5; i++) cJSON_Delete(EXPO_OK(&c[i], "sys.ping", NULL));
    expo_close(&c[0]);
    it_sleep_ms(300);
    expo_connect(&c[0], na.port, "c0-again");
    cJSON_Delete(EXPO_OK(&c[0], "sys.ping", NULL));
    for (int i = 0; i < 5; i++) expo_close(&c[i]);

    /* The default admits an office of buyers behind one address. */
    ASSERT_EQ(boothd_stop(&na), 0);
    struct boothd_opts d = {.db_url = pg.url, .node_id = "default-cap"};
    boothd_start(&na, &d, 40000);
    enum { OFFICE = 120 };
    static struct expo many[OFFICE];
    for (int i = 0; i < OFFICE; i++) {
        char label[16];
        snprintf(label, sizeof label, "o%d", i);
        expo_connect(&many[i], na.port, label);
    }
    for (int i = 0; i < OFFICE; i += 17) cJSON_Delete(EXPO_OK(&many[i], "sys.ping", NULL));
    for (int i = 0; i < OFFICE; i++) expo_close(&many[i]);
}

static const struct it_test tests[] = {
    {"flooding", test_flooding, 90},
    {"conn_cap", test_conn_cap, 120},
    {NULL, NULL, 0},
};

int main(int argc, char **argv) { return it_main(argc, argv, tests); }
