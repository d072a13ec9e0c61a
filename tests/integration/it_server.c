/* it_server.c — integration tests of the server process and its transport (app_run.c,
 * core/config.c, net/): the WebSocket envelope, hostile input, Origin policy, static files,
 * idle peers, /healthz across a PostgreSQL outage, shutdown, several nodes on one database,
 * the schema version guard and the flags.
 *
 * Each test runs in its own process with its own PostgreSQL cluster (see harness.h):
 *   it_server <test> <path/to/boothd>
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "expo.h"
#include "harness.h"
#include "wsclient.h"

#define MAX_MESSAGE 65536 /* the server's limit: larger messages are closed with 1009 */

static struct pg_cluster pg;

static void start_node(struct boothd *b, const char *node_id, const char *const *extra)
{
    struct boothd_opts o = {.db_url = pg.url, .node_id = node_id, .extra_args = extra};
    boothd_start(b, &o, 20000);
}

/* One sys.ping round trip: checks the reply shape, the node and that "now" is a current
 * RFC 3339 time. */
static void check_ping(struct expo *c, const char *want_node)
{
    cJSON *d = EXPO_OK(c, "sys.ping", NULL);
    const char *now = JSTR(d, "now");
    long long t;
    if (it_parse_rfc3339(now, &t) != 0) FAIL("sys.ping now \"%s\" is not RFC 3339", now);
    long long skew = t - (long long)time(NULL);
    if (skew < 0) skew = -skew;
    ASSERT_LE(skew, 60);
    if (want_node) ASSERT_STR_EQ(JSTR(d, "node"), want_node);
    cJSON_Delete(d);
}

/* ---- ping ------------------------------------------------------------------------------ */

static void test_ping(void)
{
    struct boothd n;
    pg_start(&pg);
    start_node(&n, "alpha", NULL);

    struct expo c;
    expo_connect(&c, n.port, "c1");
    ASSERT_STR_EQ(c.ws.protocol, "expo.v1");

    int replies = 0;
    for (int i = 0; i < 3; i++) {
        check_ping(&c, "alpha");
        replies++;
    }
    ASSERT_EQ(replies, 3);

    /* A string id comes back as the same string. */
    ASSERT_EQ(expo_send_text(&c, "{\"id\":\"abc-1\",\"type\":\"sys.ping\",\"data\":{}}"), WS_OK);
    cJSON *r = expo_next_reply(&c, it_ms(5000));
    ASSERT_NOT_NULL(r);
    const cJSON *id = JGET(r, "id");
    if (!cJSON_IsString(id) || strcmp(id->valuestring, "abc-1") != 0)
        FAIL("reply id %s, expected \"abc-1\": %s", json_text(id), json_text(r));
    ASSERT_TRUE(cJSON_IsTrue(JGET(r, "ok")));
    cJSON_Delete(r);

    /* A large numeric id comes back as the same number. */
    ASSERT_EQ(expo_send_text(&c, "{\"id\":987654321,\"type\":\"sys.ping\",\"data\":{}}"), WS_OK);
    r = expo_next_reply(&c, it_ms(5000));
    ASSERT_NOT_NULL(r);
    ASSERT_EQ(JINT(r, "id"), 987654321);
    cJSON_Delete(r);

    /* WebSocket-level ping: a pong with the same payload. */
    ASSERT_EQ(ws_send_frame(&c.ws, 1, WS_OP_PING, "hello", 5, 1, 0), WS_OK);
    struct ws_msg m;
    ASSERT_EQ(ws_recv(&c.ws, &m, it_ms(5000), 1), WS_OK);
    ASSERT_EQ(m.opcode, WS_OP_PONG);
    ASSERT_STR_EQ(m.data, "hello");
    ws_msg_free(&m);

    /* A clean close is answered with the same code. */
    ASSERT_EQ(ws_close(&c.ws, 1000, it_ms(5000)), 1000);
    expo_drop(&c);
}

/* ---- fragmented messages are reassembled ---------------------------------------------- */

static void test_fragmented(void)
{
    struct boothd n;
    pg_start(&pg);
    start_node(&n, "frag", NULL);
    struct expo c;
    expo_connect(&c, n.port, "c1");

    const char *msg = "{\"id\":41,\"type\":\"sys.ping\",\"data\":{}}";
    size_t len = strlen(msg);
    ASSERT_EQ(ws_send_frame(&c.ws, 0, WS_OP_TEXT, msg, 10, 1, 0), WS_OK);
    /* A control frame may come between fragments (RFC 6455 5.4). */
    ASSERT_EQ(ws_send_frame(&c.ws, 1, WS_OP_PING, "mid", 3, 1, 0), WS_OK);
    ASSERT_EQ(ws_send_frame(&c.ws, 0, WS_OP_CONT, msg + 10, 10, 1, 0), WS_OK);
    ASSERT_EQ(ws_send_frame(&c.ws, 1, WS_OP_CONT, msg + 20, len - 20, 1, 0), WS_OK);
    cJSON *r = expo_reply(&c, 41, it_ms(5000));
    if (!r) FAIL("no reply to a ping sent in 3 fragments (closed=%d code=%d)", c.closed, c.close_code);
    ASSERT_TRUE(cJSON_IsTrue(JGET(r, "ok")));
    ASSERT_STR_EQ(JSTR(JGET(r, "data"), "node"), "frag");
    cJSON_Delete(r);
    /* The ping between the fragments is answered too: the pong may come after the reply
     * (boothd writes replies at the end of the loop turn, lws its pongs on POLLOUT). */
    if (c.ws.pongs_received == 0) {
        struct ws_msg pm;
        ASSERT_EQ(ws_recv(&c.ws, &pm, it_ms(5000), 1), WS_OK);
        ASSERT_EQ(pm.opcode, WS_OP_PONG);
        ASSERT_STR_EQ(pm.data, "mid");
        ws_msg_free(&pm);
    }
    ASSERT_EQ(c.ws.pongs_received, 1);

    /* Many tiny fragments. */
    ASSERT_EQ(ws_send_frame(&c.ws, 0, WS_OP_TEXT, "{", 1, 1, 0), WS_OK);
    const char *rest = "\"id\":42,\"type\":\"sys.ping\",\"data\":{}}";
    size_t rl = strlen(rest);
    for (size_t i = 0; i < rl; i++)
        ASSERT_EQ(ws_send_frame(&c.ws, i + 1 == rl, WS_OP_CONT, rest + i, 1, 1, 0), WS_OK);
    r = expo_reply(&c, 42, it_ms(5000));
    if (!r) FAIL("no reply to a ping sent in %zu fragments", rl + 1);
    ASSERT_TRUE(cJSON_IsTrue(JGET(r, "ok")));
    cJSON_Delete(r);
    expo_close(&c);
}

/* ---- malformed input -------------------------------------------------------------------- */

struct bad_case {
    const char *what;
    const char *text;   /* NULL: built at run time */
    const char *codes;  /* acceptable error codes, '|' separated */
    long id;            /* expected id in the reply, -1: not checked (unparseable) */
};

static int code_in(const char *code, const char *codes)
{
    char buf[128];
    snprintf(buf, sizeof buf, "%s", codes);
    for (char *save = NULL, *t = strtok_r(buf, "|", &save); t; t = strtok_r(NULL, "|", &save))
        if (strcmp(t, code) == 0) return 1;
    return 0;
}

static void test_malformed(void)
{
    struct boothd n;
    pg_start(&pg);
    start_node(&n, "mal", NULL);
    struct expo c;
    expo_connect(&c, n.port, "c1");

    static char deep[20000];
    int o = snprintf(deep, sizeof deep, "{\"id\":13,\"type\":\"sys.ping\",\"data\":{\"x\":");
    for (int i = 0; i < 5000; i++) deep[o++] = '[';
    for (int i = 0; i < 5000; i++) deep[o++] = ']';
    snprintf(deep + o, sizeof deep - (size_t)o, "}}");

    const struct bad_case cases[] = {
        {"not JSON", "hello", "bad_request", -1},
        {"empty message", "", "bad_request", -1},
        {"JSON array", "[1,2,3]", "bad_request", -1},
        {"JSON string", "\"sys.ping\"", "bad_request", -1},
        {"JSON null", "null", "bad_request", -1},
        {"truncated object", "{\"id\":7,\"type\":\"sys.pi", "bad_request", -1},
        {"type is a number", "{\"id\":3,\"type\":42,\"data\":{}}", "bad_request", 3},
        {"type missing", "{\"id\":4,\"data\":{}}", "bad_request", 4},
        {"data is a string", "{\"id\":5,\"type\":\"sys.ping\",\"data\":\"x\"}", "bad_request", 5},
        {"data is an array", "{\"id\":6,\"type\":\"sys.ping\",\"data\":[]}", "bad_request", 6},
        {"id is a boolean", "{\"id\":true,\"type\":\"sys.ping\",\"data\":{}}", "bad_request", -1},
        {"id is an object", "{\"id\":{},\"type\":\"sys.ping\",\"data\":{}}", "bad_request", -1},
        {"unknown type", "{\"id\":8,\"type\":\"no.such_type\",\"data\":{}}", "bad_request|not_found", 8},
        {"type without domain", "{\"id\":9,\"type\":\"ping\",\"data\":{}}", "bad_request|not_found", 9},
        {"empty type", "{\"id\":10,\"type\":\"\",\"data\":{}}", "bad_request|not_found", 10},
        {"NUL inside", NULL, "bad_request", -1},
        {"5000-deep nesting", deep, "bad_request", -1},
    };
    int n_cases = (int)(sizeof cases / sizeof cases[0]);
    int replies = 0;
    for (int i = 0; i < n_cases; i++) {
        const struct bad_case *bc = &cases[i];
        it_log("sending %s", bc->what);
        int r;
        if (bc->text) {
            r = ws_send_text(&c.ws, bc->text, strlen(bc->text));
        } else {
            static const char nul[] = "{\"id\":11,\"ty\0pe\":\"sys.ping\",\"data\":{}}";
            r = ws_send_text(&c.ws, nul, sizeof nul - 1);
        }
        ASSERT_EQ(r, WS_OK);
        cJSON *reply = expo_next_reply(&c, it_ms(5000));
        if (!reply)
            FAIL("no error reply to %s (connection %s, close code %d)", bc->what,
                 c.closed ? "closed" : "open", c.close_code);
        replies++;
        char code[64];
        expo_check_error_at(__FILE__, __LINE__, reply, NULL, code, sizeof code);
        if (!code_in(code, bc->codes))
            FAIL("%s: error code \"%s\" not in {%s}: %s", bc->what, code, bc->codes, json_text(reply));
        if (bc->id >= 0) {
            const cJSON *id = cJSON_GetObjectItemCaseSensitive(reply, "id");
            if (!cJSON_IsNumber(id) || (long)id->valuedouble != bc->id)
                FAIL("%s: reply id %s, expected %ld: %s", bc->what, json_text(id), bc->id, json_text(reply));
        }
        cJSON_Delete(reply);
        ASSERT_EQ(c.closed, 0);
    }
    ASSERT_EQ(replies, n_cases);
    /* The connection is still fully usable and nothing else was sent to us. */
    check_ping(&c, "mal");
    ASSERT_EQ(expo_count_events(&c, NULL, 200), 0);
    expo_close(&c);

    /* And the server still serves others. */
    struct expo d;
    expo_connect(&d, n.port, "c2");
    check_ping(&d, "mal");
    expo_close(&d);
}

/* ---- oversized messages ----------------------------------------------------------------- */

/* A sys.ping request of exactly `size` bytes (padding in data). */
static char *ping_of_size(long id, size_t size)
{
    char head[64];
    int hl = snprintf(head, sizeof head, "{\"id\":%ld,\"type\":\"sys.ping\",\"data\":{\"pad\":\"", id);
    const char *tail = "\"}}";
    size_t tl = strlen(tail);
    char *s = malloc(size + 1);
    if (!s) abort();
    memcpy(s, head, (size_t)hl);
    memset(s + hl, 'x', size - (size_t)hl - tl);
    memcpy(s + size - tl, tail, tl);
    s[size] = '\0';
    return s;
}

static void expect_close_1009(struct expo *c, const char *what)
{
    int code = ws_wait_closed(&c->ws, it_ms(5000), NULL);
    if (code != 1009)
        FAIL("%s: expected a close frame with 1009, got %s%d", what,
             code == WS_E_TIMEOUT ? "a timeout " : code == 0 ? "TCP close without close frame " : "code ",
             code);
    expo_drop(c);
}

static void test_oversized(void)
{
    struct boothd n;
    pg_start(&pg);
    start_node(&n, "big", NULL);

    /* Exactly at the limit: served. */
    struct expo c;
    expo_connect(&c, n.port, "at-limit");
    char *msg = ping_of_size(1, MAX_MESSAGE);
    ASSERT_EQ(ws_send_text(&c.ws, msg, MAX_MESSAGE), WS_OK);
    free(msg);
    cJSON *r = expo_reply(&c, 1, it_ms(5000));
    if (!r) FAIL("no reply to a %d-byte message (closed=%d code=%d)", MAX_MESSAGE, c.closed, c.close_code);
    if (cJSON_IsFalse(JGET(r, "ok"))) {
        char code[64];
        expo_check_error_at(__FILE__, __LINE__, r, NULL, code, sizeof code);
        ASSERT_STR_NE(code, "too_large");
    }
    cJSON_Delete(r);
    check_ping(&c, "big");
    expo_close(&c);

    /* One byte over, in one frame: closed with 1009. */
    expo_connect(&c, n.port, "one-over");
    msg = ping_of_size(2, MAX_MESSAGE + 1);
    ws_send_text(&c.ws, msg, MAX_MESSAGE + 1); /* the server may close before reading it all */
    free(msg);
    expect_close_1009(&c, "65537-byte frame");

    /* Over the limit across fragments (3 x 30000 bytes). */
    expo_connect(&c, n.port, "fragments");
    msg = ping_of_size(3, 90000);
    int r1 = ws_send_frame(&c.ws, 0, WS_OP_TEXT, msg, 30000, 1, 0);
    int r2 = ws_send_frame(&c.ws, 0, WS_OP_CONT, msg + 30000, 30000, 1, 0);
    int r3 = ws_send_frame(&c.ws, 1, WS_OP_CONT, msg + 60000, 30000, 1, 0);
    it_log("fragment sends: %d %d %d", r1, r2, r3);
    free(msg);
    expect_close_1009(&c, "90000 bytes in 3 fragments");

    /* A frame announcing 8 MiB: the server must not wait for (or buffer) all of it. */
    expo_connect(&c, n.port, "announced");
    size_t part = 100000;
    uint8_t *frame = malloc(14 + part);
    if (!frame) abort();
    uint64_t big = 8u << 20;
    frame[0] = 0x81;
    frame[1] = 0x80 | 127;
    for (int i = 0; i < 8; i++) frame[2 + i] = (uint8_t)(big >> (8 * (7 - i)));
    memset(frame + 10, 0x5a, 4);              /* mask key */
    memset(frame + 14, '{' ^ 0x5a, 1);
    memset(frame + 15, ' ' ^ 0x5a, part - 1); /* masked spaces */
    ws_send_raw(&c.ws, frame, 14 + part);
    free(frame);
    expect_close_1009(&c, "frame announcing 8 MiB, 100 kB sent");

    /* The server is unharmed. */
    expo_connect(&c, n.port, "after");
    check_ping(&c, "big");
    expo_close(&c);
}

/* ---- Origin policy ---------------------------------------------------------------------- */

static int try_origin(int port, const char *origin, int *http_status)
{
    struct ws w;
    struct ws_connect_opts o = {.port = port, .protocol = "expo.v1", .origin = origin,
                                .timeout_ms = it_ms(5000)};
    int r = ws_connect(&w, &o);
    *http_status = w.http_status;
    if (r == WS_OK) {
        /* Accepted: prove the session works, then leave. */
        char ping[] = "{\"id\":1,\"type\":\"sys.ping\",\"data\":{}}";
        ASSERT_EQ(ws_send_text(&w, ping, strlen(ping)), WS_OK);
        struct ws_msg m;
        int rr = ws_recv(&w, &m, it_ms(5000), 0);
        if (rr != WS_OK || m.opcode != WS_OP_TEXT || !strstr(m.data, "\"ok\":true"))
            FAIL("Origin %s: accepted but no ping reply (%s)", origin ? origin : "(none)", ws_strerror(rr));
        ws_msg_free(&m);
        ws_close(&w, 1000, it_ms(3000));
    }
    ws_close_socket(&w);
    return r;
}

static void expect_origin(int port, const char *origin, int allowed)
{
    int status = 0;
    int r = try_origin(port, origin, &status);
    it_log("Origin %s -> %s (HTTP %d)", origin ? origin : "(none)", ws_strerror(r), status);
    if (allowed && r != WS_OK)
        FAIL("Origin %s on port %d should be accepted, got %s (HTTP status %d)", origin ? origin : "(none)",
             port, ws_strerror(r), status);
    if (!allowed) {
        if (r == WS_OK) FAIL("Origin %s on port %d should be refused, but the upgrade succeeded", origin, port);
        if (r != WS_E_REFUSED)
            FAIL("Origin %s: expected a refusal (HTTP 403 or close), got %s", origin, ws_strerror(r));
        if (status == 101) FAIL("Origin %s: refused with status 101?", origin);
    }
}

static void test_origin(void)
{
    struct boothd a, b;
    pg_start(&pg);
    start_node(&a, "default-origins", NULL);
    const char *extra[] = {"--allowed-origin", "https://expo.example.com", "--allowed-origin",
                           "http://booths.example:8443", NULL};
    start_node(&b, "listed-origins", extra);

    char own1[64], own2[64], other_port[64];
    snprintf(own1, sizeof own1, "http://localhost:%d", a.port);
    snprintf(own2, sizeof own2, "http://127.0.0.1:%d", a.port);
    snprintf(other_port, sizeof other_port, "http://localhost:%d", a.port + 1);

    /* Defaults: the server's own origins, and clients without Origin. */
    expect_origin(a.port, NULL, 1);
    expect_origin(a.port, own1, 1);
    expect_origin(a.port, own2, 1);
    expect_origin(a.port, "https://evil.example", 0);
    expect_origin(a.port, other_port, 0);
    expect_origin(a.port, "null", 0);
    char prefix_trick[96];
    snprintf(prefix_trick, sizeof prefix_trick, "http://localhost:%d.evil.example", a.port);
    expect_origin(a.port, prefix_trick, 0);

    /* An explicit list replaces the defaults. */
    char b_own[64];
    snprintf(b_own, sizeof b_own, "http://localhost:%d", b.port);
    expect_origin(b.port, NULL, 1);
    expect_origin(b.port, "https://expo.example.com", 1);
    expect_origin(b.port, "http://booths.example:8443", 1);
    expect_origin(b.port, "https://expo.example.com.evil.example", 0);
    expect_origin(b.port, "http://expo.example.com", 0);
    expect_origin(b.port, b_own, 0);

    /* Refusals did not disturb anything. */
    struct expo c;
    expo_connect(&c, a.port, "after");
    check_ping(&c, "default-origins");
    expo_close(&c);
}

/* ---- /healthz across a PostgreSQL outage ------------------------------------------------ */

/* Polls /healthz until it answers `want`; every single request must answer within 6 s
 * (the server promises an answer within ~5 s). Returns the seconds it took. */
static double wait_health(int port, int want, int within_ms)
{
    double t = it_now(), deadline = t + within_ms / 1000.0;
    int last = 0;
    for (;;) {
        struct http_resp r;
        double t1 = it_now();
        int st = http_get(port, "/healthz", 6000 + it_ms(1000), &r);
        double took = it_now() - t1;
        if (st < 0) FAIL("GET /healthz got no answer within %.1f s (result %d)", took, st);
        last = st;
        if (st == want) {
            if (want == 200) {
                cJSON *j = cJSON_Parse(r.body);
                if (!j) FAIL("/healthz 200 body is not JSON: %s", r.body);
                ASSERT_STR_EQ(JSTR(j, "status"), "ok");
                cJSON_Delete(j);
            }
            http_resp_free(&r);
            return it_now() - t;
        }
        http_resp_free(&r);
        if (it_now() >= deadline) FAIL("/healthz still %d after %d ms, expected %d", last, within_ms, want);
        it_sleep_ms(200);
    }
}

static void test_healthz(void)
{
    struct boothd n;
    pg_start(&pg);
    start_node(&n, "health", NULL);

    struct http_resp r;
    ASSERT_EQ(http_get(n.port, "/healthz", it_ms(5000), &r), 200);
    char ct[128] = "";
    http_header(&r, "Content-Type", ct, sizeof ct);
    ASSERT_CONTAINS(ct, "application/json");
    cJSON *j = cJSON_Parse(r.body);
    if (!j) FAIL("/healthz body is not JSON: %s", r.body);
    ASSERT_STR_EQ(JSTR(j, "status"), "ok");
    cJSON_Delete(j);
    http_resp_free(&r);

    struct expo c;
    expo_connect(&c, n.port, "during");

    pg_stop(&pg);
    double t = wait_health(n.port, 503, it_ms(10000));
    it_log("/healthz answered 503 %.1f s after PostgreSQL stopped", t);
    /* The loop is not blocked by the lost database: pings are answered, new sessions open. */
    check_ping(&c, "health");
    struct expo d;
    expo_connect(&d, n.port, "new-during-outage");
    check_ping(&d, "health");
    expo_close(&d);
    /* Still 503 a bit later (it does not flap while the database is away). */
    it_sleep_ms(1500);
    ASSERT_EQ(http_get(n.port, "/healthz", 6000 + it_ms(1000), &r), 503);
    http_resp_free(&r);

    pg_start_again(&pg);
    t = wait_health(n.port, 200, it_ms(30000));
    it_log("/healthz back to 200 %.1f s after PostgreSQL started", t);
    check_ping(&c, "health");
    expo_close(&c);

    /* A second outage is survived just the same. */
    pg_stop(&pg);
    wait_health(n.port, 503, it_ms(10000));
    pg_start_again(&pg);
    wait_health(n.port, 200, it_ms(30000));
    ASSERT_EQ(n.exited, 0);
}

/* ---- PostgreSQL not there at start ------------------------------------------------------ */

static void test_db_late(void)
{
    struct boothd n;
    pg_start(&pg);
    pg_stop(&pg);
    struct boothd_opts o = {.db_url = pg.url, .node_id = "late"};
    boothd_spawn(&n, &o);
    /* It waits (retrying) instead of exiting. */
    ASSERT_EQ(boothd_wait_exit(&n, it_ms(4000)), 0);
    pg_start_again(&pg);
    int r = boothd_wait_ready(&n, it_ms(40000));
    if (r != 0) FAIL("boothd did not become ready after PostgreSQL came up (%s)", r == -1 ? "it exited" : "timeout");
    struct expo c;
    expo_connect(&c, n.port, "c1");
    check_ping(&c, "late");
    expo_close(&c);
    char *log = boothd_log(&n);
    it_log("log while waiting for the database:\n%.1500s", log);
    free(log);
}

/* ---- shutdown ------------------------------------------------------------------------- */

static void shutdown_test(int sig)
{
    struct boothd n;
    pg_start(&pg);
    start_node(&n, "bye", NULL);
    struct expo c1, c2;
    expo_connect(&c1, n.port, "c1");
    expo_connect(&c2, n.port, "c2");
    check_ping(&c1, "bye");
    check_ping(&c2, "bye");

    boothd_signal(&n, sig);
    int closes = 0;
    struct expo *cs[] = {&c1, &c2};
    for (int i = 0; i < 2; i++) {
        int code = ws_wait_closed(&cs[i]->ws, it_ms(5000), NULL);
        if (code != 1001)
            FAIL("%s: expected close 1001 after signal %d, got %s %d", cs[i]->label, sig,
                 code == WS_E_TIMEOUT ? "timeout" : code == 0 ? "TCP close without close frame" : "code", code);
        closes++;
        expo_drop(cs[i]);
    }
    ASSERT_EQ(closes, 2);
    if (!boothd_wait_exit(&n, it_ms(10000))) FAIL("boothd still running 10 s after signal %d", sig);
    if (!WIFEXITED(n.wait_status) || WEXITSTATUS(n.wait_status) != 0)
        FAIL("boothd ended with %s after signal %d, expected exit 0", it_status_str(n.wait_status), sig);
    /* Nothing listens any more. */
    struct http_resp r;
    ASSERT_LT(http_get(n.port, "/healthz", 2000, &r), 0);
    http_resp_free(&r);
}

static void test_sigterm(void) { shutdown_test(SIGTERM); }
static void test_sigint(void) { shutdown_test(SIGINT); }

/* ---- several nodes, schema applied once ------------------------------------------------- */

static void test_two_nodes(void)
{
    struct boothd a, b;
    pg_start(&pg);
    start_node(&a, "node-a", NULL);
    long tables = psql_long(pg.url, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'");
    ASSERT_GT(tables, 5);
    start_node(&b, "node-b", NULL);

    struct expo ca, cb;
    expo_connect(&ca, a.port, "on-a");
    expo_connect(&cb, b.port, "on-b");
    check_ping(&ca, "node-a");
    check_ping(&cb, "node-b");

    /* The schema was applied once: same tables, one version row with the source's version. */
    ASSERT_EQ(psql_long(pg.url, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"), tables);
    ASSERT_EQ(psql_long(pg.url, "SELECT count(*) FROM schema_version"), 1);
    ASSERT_EQ(psql_long(pg.url, "SELECT version FROM schema_version"), it_schema_version());

    /* Restarting a node on the existing database works too. */
    ASSERT_EQ(boothd_stop(&a), 0);
    start_node(&a, "node-a", NULL);
    expo_close(&ca);
    expo_connect(&ca, a.port, "on-a-again");
    check_ping(&ca, "node-a");
    check_ping(&cb, "node-b");
    ASSERT_EQ(psql_long(pg.url, "SELECT count(*) FROM schema_version"), 1);
    expo_close(&ca);
    expo_close(&cb);
}

static void test_concurrent_start(void)
{
    /* Two nodes started at the same moment on an empty database (as an orchestrator does). */
    struct boothd a, b;
    pg_start(&pg);
    struct boothd_opts oa = {.db_url = pg.url, .node_id = "twin-a", .demo = 1};
    struct boothd_opts ob = {.db_url = pg.url, .node_id = "twin-b", .demo = 1};
    boothd_spawn(&a, &oa);
    boothd_spawn(&b, &ob);
    int ra = boothd_wait_ready(&a, it_ms(40000));
    int rb = boothd_wait_ready(&b, it_ms(40000));
    if (ra != 0 || rb != 0)
        FAIL("both nodes must come up: twin-a %s, twin-b %s", ra == 0 ? "ready" : ra == -1 ? "exited" : "timeout",
             rb == 0 ? "ready" : rb == -1 ? "exited" : "timeout");
    ASSERT_EQ(psql_long(pg.url, "SELECT count(*) FROM schema_version"), 1);
    /* The demo was loaded once. */
    long booths = psql_long(pg.url, "SELECT count(*) FROM booths");
    ASSERT_GE(booths, 40);
    ASSERT_EQ(psql_long(pg.url, "SELECT count(*) FROM (SELECT slug FROM booths GROUP BY slug) s"), booths);
    long accounts = psql_long(pg.url, "SELECT count(*) FROM accounts");
    ASSERT_EQ(boothd_stop(&b), 0);
    start_node(&b, "twin-b", (const char *const[]){"--demo", NULL});
    ASSERT_EQ(psql_long(pg.url, "SELECT count(*) FROM booths"), booths);
    ASSERT_EQ(psql_long(pg.url, "SELECT count(*) FROM accounts"), accounts);
}

static void test_default_node_id(void)
{
    struct boothd n;
    pg_start(&pg);
    struct boothd_opts o = {.db_url = pg.url, .node_id = ""};
    boothd_start(&n, &o, 20000);
    char host[256];
    gethostname(host, sizeof host);
    host[sizeof host - 1] = '\0';
    char want[320];
    snprintf(want, sizeof want, "%s:%d", host, (int)n.pid);
    struct expo c;
    expo_connect(&c, n.port, "c1");
    check_ping(&c, want);
    expo_close(&c);
}

/* ---- schema version guard --------------------------------------------------------------- */

static void test_schema_mismatch(void)
{
    struct boothd n;
    pg_start(&pg);
    start_node(&n, "v1", NULL);
    ASSERT_EQ(boothd_stop(&n), 0);
    free(psql_ok(pg.url, "UPDATE schema_version SET version = 999"));

    struct boothd_opts o = {.db_url = pg.url, .node_id = "v-mismatch"};
    boothd_spawn(&n, &o);
    if (!boothd_wait_exit(&n, it_ms(20000))) FAIL("boothd kept running on a database at schema version 999");
    if (WIFEXITED(n.wait_status) && WEXITSTATUS(n.wait_status) == 0)
        FAIL("boothd exited 0 on a database at schema version 999");
    if (!WIFEXITED(n.wait_status)) FAIL("boothd died with %s instead of exiting", it_status_str(n.wait_status));
    char *log = boothd_log(&n);
    it_log("log of the refusing boothd:\n%s", log);
    if (!strcasestr(log, "schema")) FAIL("the refusal does not mention the schema: %s", log);
    ASSERT_CONTAINS(log, "999");
    free(log);
    /* It did not touch the database. */
    ASSERT_EQ(psql_long(pg.url, "SELECT version FROM schema_version"), 999);
    ASSERT_EQ(psql_long(pg.url, "SELECT count(*) FROM schema_version"), 1);
}

/* ---- flags ------------------------------------------------------------------------------ */

static void expect_flag_error(const char *const *args, const char *flag, int one_line)
{
    char *out = NULL, *err = NULL;
    int st = it_run_boothd(args, it_ms(10000), &out, &err);
    char cmd[256] = "";
    for (const char *const *a = args + 1; *a; a++) {
        strncat(cmd, *a, sizeof cmd - strlen(cmd) - 2);
        strcat(cmd, " ");
    }
    it_log("boothd %s-> %s, stderr: %s", cmd, it_status_str(st), err);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 2)
        FAIL("boothd %s: %s, expected exit 2 (stderr: %s)", cmd, it_status_str(st), err);
    if (!strstr(err, flag)) FAIL("boothd %s: stderr does not name %s: \"%s\"", cmd, flag, err);
    if (one_line && it_count_lines(err) != 1)
        FAIL("boothd %s: expected a one-line error, got %d lines: \"%s\"", cmd, it_count_lines(err), err);
    free(out);
    free(err);
}

static void test_flag_errors(void)
{
    expect_flag_error((const char *const[]){"boothd", "--port", "abc", NULL}, "--port", 1);
    expect_flag_error((const char *const[]){"boothd", "--port", "70000", NULL}, "--port", 1);
    expect_flag_error((const char *const[]){"boothd", "--port", "-1", NULL}, "--port", 1);
    expect_flag_error((const char *const[]){"boothd", "--port", "80x", NULL}, "--port", 1);
    expect_flag_error((const char *const[]){"boothd", "--log-level", "loud", NULL}, "--log-level", 1);
    expect_flag_error((const char *const[]){"boothd", "--allowed-origin", "not an origin", NULL},
                      "--allowed-origin", 1);
    expect_flag_error((const char *const[]){"boothd", "--db", "postgresql://127.0.0.1:1/x", "--port", "abc", NULL},
                      "--port", 1);
    /* Not values but still usage errors: exit 2 naming the flag. */
    expect_flag_error((const char *const[]){"boothd", "--no-such-flag", NULL}, "--no-such-flag", 0);
    expect_flag_error((const char *const[]){"boothd", "--port", NULL}, "--port", 0);
}

static void test_help(void)
{
    char *out = NULL, *err = NULL;
    int st = it_run_boothd((const char *const[]){"boothd", "--help", NULL}, it_ms(10000), &out, &err);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) FAIL("boothd --help: %s, expected exit 0", it_status_str(st));
    size_t ol = strlen(out), el = strlen(err);
    char *all = malloc(ol + el + 2);
    if (!all) abort();
    memcpy(all, out, ol);
    all[ol] = '\n';
    memcpy(all + ol + 1, err, el + 1);
    const char *flags[] = {"--port", "--db", "--assets", "--allowed-origin", "--node-id", "--demo",
                           "--log-level", "--help", NULL};
    for (int i = 0; flags[i]; i++)
        if (!strstr(all, flags[i])) FAIL("boothd --help does not list %s:\n%s", flags[i], all);
    /* ... and their environment fallbacks. */
    const char *envs[] = {"BOOTHD_PORT", "DATABASE_URL", NULL};
    for (int i = 0; envs[i]; i++)
        if (!strstr(all, envs[i])) FAIL("boothd --help does not mention %s:\n%s", envs[i], all);
    free(all);
    free(out);
    free(err);
}

/* ---- static files ----------------------------------------------------------------------- */

static void test_http_static(void)
{
    struct boothd n;
    pg_start(&pg);
    start_node(&n, "http", NULL);
    struct http_resp r;
    char v[256];

    ASSERT_EQ(http_get(n.port, "/", it_ms(5000), &r), 200);
    ASSERT_TRUE(http_header(&r, "Content-Type", v, sizeof v));
    ASSERT_CONTAINS(v, "text/html");
    http_resp_free(&r);

    ASSERT_EQ(http_get(n.port, "/favicon.svg", it_ms(5000), &r), 200);
    ASSERT_TRUE(http_header(&r, "Content-Type", v, sizeof v));
    ASSERT_CONTAINS(v, "image/svg+xml");
    ASSERT_TRUE(http_header(&r, "Cache-Control", v, sizeof v) || http_header(&r, "ETag", v, sizeof v) ||
                http_header(&r, "Last-Modified", v, sizeof v));
    http_resp_free(&r);

    ASSERT_EQ(http_get(n.port, "/no-such-file.html", it_ms(5000), &r), 404);
    http_resp_free(&r);

    const char *escapes[] = {"/../../../../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                             "/css/../../../../../../etc/passwd", "/vendor/../../../../etc/passwd",
                             "/..%2f..%2f..%2f..%2fetc%2fpasswd", NULL};
    for (int i = 0; escapes[i]; i++) {
        int st = http_get(n.port, escapes[i], it_ms(5000), &r);
        it_log("GET %s -> %d", escapes[i], st);
        if (st == 200 && r.body && strstr(r.body, "root:"))
            FAIL("GET %s served /etc/passwd", escapes[i]);
        http_resp_free(&r);
    }
    /* Still serving. */
    ASSERT_EQ(http_get(n.port, "/healthz", it_ms(5000), &r), 200);
    http_resp_free(&r);
}

/* ---- dead peers --------------------------------------------------------------------------- */

static void test_idle_peer(void)
{
    struct boothd n;
    pg_start(&pg);
    start_node(&n, "idle", NULL);
    struct expo dead, alive;
    expo_connect(&dead, n.port, "dead");
    expo_connect(&alive, n.port, "alive");
    dead.ws.auto_pong = 0;
    double t0 = it_now();
    int dropped = 0;
    double limit = 100; /* ≈30 s promised; generous for slow builds */
    while (it_now() - t0 < limit) {
        expo_pump(&alive, 250); /* answers the server's pings */
        ASSERT_EQ(alive.closed, 0);
        struct ws_msg m;
        int r = ws_recv(&dead.ws, &m, 250, 0);
        if (r == WS_OK) {
            int op = m.opcode;
            ws_msg_free(&m);
            if (op == WS_OP_CLOSE) { dropped = 1; break; }
        } else if (r != WS_E_TIMEOUT) {
            dropped = 1;
            break;
        }
    }
    double took = it_now() - t0;
    it_log("silent peer: dropped=%d after %.1f s, %d pings received; responsive peer got %d pings",
           dropped, took, dead.ws.pings_received, alive.ws.pings_received);
    if (!dropped) FAIL("a peer that answers no ping was not dropped within %.0f s", limit);
    ASSERT_GE(took, 10);
    ASSERT_GE(dead.ws.pings_received, 1);
    ASSERT_GE(alive.ws.pings_received, 1);
    /* The responsive peer is still served. */
    check_ping(&alive, "idle");
    expo_close(&alive);
    expo_drop(&dead);
}

static const struct it_test tests[] = {
    {"ping", test_ping, 60},
    {"fragmented", test_fragmented, 60},
    {"malformed", test_malformed, 60},
    {"oversized", test_oversized, 60},
    {"origin", test_origin, 60},
    {"healthz_db_outage", test_healthz, 150},
    {"db_late_start", test_db_late, 90},
    {"sigterm", test_sigterm, 60},
    {"sigint", test_sigint, 60},
    {"two_nodes", test_two_nodes, 90},
    {"concurrent_start", test_concurrent_start, 120},
    {"default_node_id", test_default_node_id, 60},
    {"schema_mismatch", test_schema_mismatch, 90},
    {"flag_errors", test_flag_errors, 60},
    {"help", test_help, 30},
    {"http_static", test_http_static, 60},
    {"idle_peer_dropped", test_idle_peer, 150},
    {NULL, NULL, 0},
};

int main(int argc, char **argv) { return it_main(argc, argv, tests); }
