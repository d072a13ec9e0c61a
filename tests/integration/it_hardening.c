/* it_hardening.c — integration tests of hostile and broken peers (issue 14): input that cJSON
 * would mangle is refused and ids come back as written; binary frames are closed with 1003;
 * a reader that stopped reading is released at once and its socket cut within seconds; a
 * process out of file descriptors neither spins nor floods its log, and serves again.
 *
 * Each test runs in its own process with its own PostgreSQL cluster (see harness.h):
 *   it_hardening <test> <path/to/boothd>
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "expo.h"
#include "harness.h"
#include "wsclient.h"

static struct pg_cluster pg;

static void start_node(struct boothd *b, const char *const *extra)
{
    pg_start(&pg);
    struct boothd_opts o = {.db_url = pg.url, .demo = 1, .extra_args = extra};
    boothd_start(b, &o, 30000);
}

/* A new visitor signed in on c; returns the account id as SQL text in id_out. */
static void sign_up(struct expo *c, int port, const char *name, char *id_out, size_t id_len)
{
    char email[128];
    snprintf(email, sizeof email, "%s@it.example", name);
    expo_connect(c, port, name);
    cJSON *d = EXPO_OK(c, "auth.register",
                       "{\"email\":%s,\"password\":\"correct horse 1\",\"name\":%s,\"company\":\"IT\","
                       "\"country\":\"US\",\"lang\":\"en\"}", json_quote(email), json_quote(name));
    snprintf(id_out, id_len, "%s", json_text(JGET(JGET(d, "user"), "id")));
    cJSON_Delete(d);
}

/* The id (JSON text) of the first booth of the demo hall. */
static void first_booth(struct expo *c, char *out, size_t len)
{
    cJSON *d = EXPO_OK(c, "hall.list", NULL);
    const cJSON *booths = JGET(d, "booths");
    if (!cJSON_GetArraySize(booths)) FAIL("the demo hall is empty");
    snprintf(out, len, "%s", json_text(JGET(cJSON_GetArrayItem(booths, 0), "id")));
    cJSON_Delete(d);
}

/* n new visitors named <prefix><k> on port, each inside booth. */
static void crowd(struct expo *c, int n, int port, const char *prefix, const char *booth)
{
    char id[64];
    for (int k = 0; k < n; k++) {
        char name[32];
        snprintf(name, sizeof name, "%s%d", prefix, k);
        sign_up(&c[k], port, name, id, sizeof id);
        cJSON_Delete(EXPO_OK(&c[k], "booth.enter", "{\"booth_id\":%s}", booth));
    }
}

/* Sends raw text and returns the raw text of the reply (caller frees); events are skipped. */
static char *raw_reply(struct expo *c, const char *text)
{
    ASSERT_EQ(ws_send_text(&c->ws, text, strlen(text)), WS_OK);
    for (;;) {
        struct ws_msg m;
        ASSERT_EQ(ws_recv(&c->ws, &m, it_ms(5000), 0), WS_OK);
        if (strncmp(m.data, "{\"id\":", 6) == 0) {
            char *s = strdup(m.data);
            ws_msg_free(&m);
            return s;
        }
        ws_msg_free(&m);
    }
}

static void expect_bad_request(struct expo *c, const char *text, const char *why)
{
    char *r = raw_reply(c, text);
    if (!strstr(r, "\"ok\":false") || !strstr(r, "\"bad_request\""))
        FAIL("%s: expected bad_request, got %s", why, r);
    free(r);
}

/* ---- input that must be refused; ids as written ------------------------------------------ */

static void test_strict_input(void)
{
    struct boothd n;
    start_node(&n, NULL);
    struct expo c;
    char me[64], booth[64];
    sign_up(&c, n.port, "strict", me, sizeof me);
    first_booth(&c, booth, sizeof booth);
    cJSON_Delete(EXPO_OK(&c, "booth.enter", "{\"booth_id\":%s}", booth));

    char msg[512];
    /* Two different client_msg_ids that a NUL would make equal: both refused, nothing stored
     * (the second was once acked as a duplicate and never written). */
    snprintf(msg, sizeof msg, "{\"id\":1,\"type\":\"chat.send\",\"data\":{\"booth_id\":%s,\"text\":\"first\","
             "\"client_msg_id\":\"k\\u0000A\"}}", booth);
    expect_bad_request(&c, msg, "client_msg_id with an escaped NUL");
    snprintf(msg, sizeof msg, "{\"id\":2,\"type\":\"chat.send\",\"data\":{\"booth_id\":%s,\"text\":\"second\","
             "\"client_msg_id\":\"k\\u0000B\"}}", booth);
    expect_bad_request(&c, msg, "client_msg_id with an escaped NUL");
    snprintf(msg, sizeof msg, "{\"id\":3,\"type\":\"chat.send\",\"data\":{\"booth_id\":%s,\"text\":\"abc\\u0000def\","
             "\"client_msg_id\":\"n1\"}}", booth);
    expect_bad_request(&c, msg, "text with an escaped NUL");
    expect_bad_request(&c, "{\"id\":4,\"type\":\"sys.ping\\u0000x\"}", "type with an escaped NUL");
    expect_bad_request(&c, "{\"id\":5,\"type\":\"sys.ping\",\"data\":{\"x\":\"a\tb\"}}", "raw TAB in a string");
    expect_bad_request(&c, "{\"id\":6,\"type\":\"sys.ping\"}trailing", "trailing bytes");
    expect_bad_request(&c, "{\"id\":7,\"type\":\"sys.ping\"}{\"id\":8,\"type\":\"sys.ping\"}", "two objects");
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM chat_messages WHERE author_id = %s", me);
    ASSERT_EQ(psql_long(pg.url, sql), 0);

    /* Ids come back byte for byte: numbers beyond a double's precision and at its limit. */
    const char *ids[] = {"9007199254740993", "1.7976931348623157e308", "-0.50", "\"x\\\"y\""};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        snprintf(msg, sizeof msg, "{\"id\":%s,\"type\":\"sys.ping\"}", ids[i]);
        char *r = raw_reply(&c, msg);
        char want[128];
        snprintf(want, sizeof want, "{\"id\":%s,\"ok\":true", ids[i]);
        if (strncmp(r, want, strlen(want)) != 0) FAIL("id %s came back as %s", ids[i], r);
        free(r);
    }
    /* A number id too long to be a sane id is refused, not rounded. */
    snprintf(msg, sizeof msg, "{\"id\":%s1,\"type\":\"sys.ping\"}",
             "1000000000000000000000000000000000000000000000000000000000000000000000");
    expect_bad_request(&c, msg, "an id of 71 digits");

    /* The connection is still fine. */
    cJSON_Delete(EXPO_OK(&c, "sys.ping", NULL));
    expo_close(&c);
}

/* ---- binary frames ------------------------------------------------------------------------ */

static void test_binary_frame(void)
{
    struct boothd n;
    start_node(&n, NULL);
    struct expo c;
    expo_connect(&c, n.port, "binary");
    const char payload[] = "{\"id\":1,\"type\":\"sys.ping\"}";
    ASSERT_EQ(ws_send_frame(&c.ws, 1, WS_OP_BINARY, payload, sizeof payload - 1, 1, 0), WS_OK);
    int discarded = 0;
    ASSERT_EQ(ws_wait_closed(&c.ws, it_ms(5000), &discarded), 1003);
    expo_drop(&c);
}

/* ---- unmasked client frames (RFC 6455 5.1) --------------------------------------------- */

static void test_unmasked_frame(void)
{
    struct boothd n;
    start_node(&n, NULL);
    struct expo c;
    expo_connect(&c, n.port, "unmasked");
    cJSON_Delete(EXPO_OK(&c, "sys.ping", NULL));            /* masked frames are fine */
    const char payload[] = "{\"id\":2,\"type\":\"sys.ping\"}";
    ASSERT_EQ(ws_send_frame(&c.ws, 1, WS_OP_TEXT, payload, sizeof payload - 1, 0, 0), WS_OK);
    int discarded = 0;
    ASSERT_EQ(ws_wait_closed(&c.ws, it_ms(5000), &discarded), 1002);
    ASSERT_EQ(discarded, 0);                                  /* and it was not answered */
    expo_drop(&c);
    /* the next connection, on a reused descriptor perhaps, is judged afresh */
    expo_connect(&c, n.port, "after");
    cJSON_Delete(EXPO_OK(&c, "sys.ping", NULL));
    expo_close(&c);
}

/* ---- a reader that stopped reading ------------------------------------------------------- */

/* True while process pid, listening on server_port, holds the TCP socket whose peer is our
 * socket fd (found by both ports in /proc/<pid>/net/tcp, then by its inode among the
 * process's descriptors). That file lists every socket of the network namespace, not only
 * pid's: matching our port alone as the remote one could pick another process's connection
 * to a server that happens to listen on that port number (a rare failure on a machine
 * running other tests at once). */
static int holds_peer_of(pid_t pid, int server_port, int fd)
{
    struct sockaddr_in me;
    socklen_t len = sizeof me;
    if (getsockname(fd, (struct sockaddr *)&me, &len) != 0) FAIL("getsockname: %s", strerror(errno));
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/net/tcp", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    char line[512];
    unsigned long inode = 0;
    while (fgets(line, sizeof line, f)) {
        unsigned lport, rport;
        unsigned long ino;
        if (sscanf(line, " %*d: %*x:%x %*x:%x %*x %*x:%*x %*x:%*x %*x %*u %*u %lu", &lport, &rport, &ino) == 3 &&
            lport == (unsigned)server_port && rport == ntohs(me.sin_port) && ino) inode = ino;
    }
    fclose(f);
    if (!inode) return 0;
    char want[64];
    snprintf(want, sizeof want, "socket:[%lu]", inode);
    snprintf(path, sizeof path, "/proc/%d/fd", (int)pid);
    DIR *d = opendir(path);
    if (!d) return 0;
    int held = 0;
    struct dirent *e;
    while (!held && (e = readdir(d))) {
        char link[330], target[128];
        snprintf(link, sizeof link, "%s/%s", path, e->d_name);
        ssize_t n = readlink(link, target, sizeof target - 1);
        if (n > 0) { target[n] = 0; held = strcmp(target, want) == 0; }
    }
    closedir(d);
    return held;
}

static long healthz_sessions(int port)
{
    struct http_resp r;
    int st = http_get(port, "/healthz", it_ms(3000), &r);
    if (st != 200) FAIL("GET /healthz answered %d", st);
    cJSON *j = cJSON_Parse(r.body);
    http_resp_free(&r);
    if (!j) FAIL("/healthz body is not JSON");
    long n = (long)JINT(j, "sessions");
    cJSON_Delete(j);
    return n;
}

/* Senders that each post a burst (the per-session limit of any message is 30/s after a
 * burst of 120), reading their own traffic so that they do not become slow themselves. */
enum { SENDERS = 16, BURST = 110 };

static void pump_all(struct expo *senders)
{
    for (int j = 0; j < SENDERS; j++) {
        expo_pump(&senders[j], 2);
        expo_discard_events(&senders[j], "chat.message");
    }
}

static void flood_room(struct expo *senders, const char *booth, const char *text)
{
    for (int round = 0; round < BURST / 10; round++)
        for (int k = 0; k < SENDERS; k++) {
            for (int i = 0; i < 10; i++) {
                char cmid[32];
                snprintf(cmid, sizeof cmid, "s%d-%d-%d", k, round, i);
                expo_send(&senders[k], "chat.send", "{\"booth_id\":%s,\"text\":\"%s\",\"client_msg_id\":\"%s\"}",
                          booth, text, cmid);
            }
            pump_all(senders);
        }
}

/* True once boothd logged the queue overflow of session 1 (the first connection: the reader). */
static int reader_overflowed(const struct boothd *n)
{
    char *log = boothd_log(n);
    int hit = log && strstr(log, "session 1 (127.0.0.1): outbound queue overflow") != NULL;
    free(log);
    return hit;
}

static void test_slow_reader(void)
{
    struct boothd n;
    start_node(&n, (const char *const[]){"--chat-rate", "1000", NULL});
    struct expo reader, senders[SENDERS];
    char rid[64], booth[64];
    sign_up(&reader, n.port, "sleepy", rid, sizeof rid);
    /* a small receive window, so that the server's queue fills rather than the kernel's */
    int small = 4096;
    setsockopt(reader.ws.fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    first_booth(&reader, booth, sizeof booth);
    cJSON_Delete(EXPO_OK(&reader, "booth.enter", "{\"booth_id\":%s}", booth));
    crowd(senders, SENDERS, n.port, "loud", booth);
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM presence WHERE account_id = %s", rid);
    ASSERT_EQ(psql_long(pg.url, sql), 1);
    ASSERT_EQ(healthz_sessions(n.port), 1 + SENDERS);
    ASSERT_TRUE(holds_peer_of(n.pid, n.port, reader.ws.fd));

    /* The reader never reads again. 2,000-character messages until the server gives up on it. */
    static char text[6200];
    size_t k = 0;
    while (k + 3 <= 6000) { memcpy(text + k, "\xea\xb0\x80", 3); k += 3; }   /* "가" x 2000 */
    text[k] = 0;
    flood_room(senders, booth, text);
    double overflow_at = 0, give_up = it_now() + it_ms(20000) / 1000.0;
    while (!overflow_at && it_now() < give_up) {
        pump_all(senders);
        if (reader_overflowed(&n)) overflow_at = it_now();
    }
    if (!overflow_at) FAIL("the reader's queue never overflowed (%ld messages stored)",
                           psql_long(pg.url, "SELECT count(*) FROM chat_messages"));
    it_log("the reader's queue overflowed");

    /* At once: out of presence and of the session count. */
    double deadline = overflow_at + it_ms(1500) / 1000.0;
    while (psql_long(pg.url, sql) != 0 || healthz_sessions(n.port) != SENDERS) {
        if (it_now() > deadline) FAIL("the closing reader still counts 1.5 s after its overflow");
        it_sleep_ms(50);
    }
    /* Within a few seconds: its socket is gone, whatever the peer does. */
    deadline = overflow_at + it_ms(5000) / 1000.0;
    while (holds_peer_of(n.pid, n.port, reader.ws.fd)) {
        if (it_now() > deadline) FAIL("boothd still holds the reader's socket 5 s after closing it");
        it_sleep_ms(100);
    }
    it_log("socket cut %.1f s after the overflow", it_now() - overflow_at);
    /* The senders are unaffected. */
    for (int j = 0; j < SENDERS; j++) {
        cJSON_Delete(EXPO_OK(&senders[j], "sys.ping", NULL));
        expo_close(&senders[j]);
    }
    expo_drop(&reader);
}

/* ---- out of file descriptors -------------------------------------------------------------- */

static double cpu_seconds(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    char *s = it_read_file(path);
    if (!s) FAIL("cannot read %s", path);
    char *p = strrchr(s, ')');
    unsigned long ut = 0, st = 0;
    /* fields after the command: state ppid ... utime (14th) stime (15th) */
    if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
        FAIL("cannot parse %s", path);
    free(s);
    return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

/* A connection that sent the start of a request line and stops there (boothd's listening
 * socket hands over only connections that sent something: TCP_DEFER_ACCEPT). */
static int tcp_connect_idle(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(0x7f000001)};
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0 || write(fd, "GET", 3) != 3) { close(fd); return -1; }
    return fd;
}

static void test_out_of_fds(void)
{
    /* boothd inherits a soft limit of 96 descriptors (set around the spawn only). */
    struct rlimit old, low;
    getrlimit(RLIMIT_NOFILE, &old);
    low = old;
    low.rlim_cur = 96;
    pg_start(&pg);
    setrlimit(RLIMIT_NOFILE, &low);
    struct boothd n;
    struct boothd_opts o = {.db_url = pg.url, .demo = 1};
    boothd_spawn(&n, &o);
    setrlimit(RLIMIT_NOFILE, &old);
    if (boothd_wait_ready(&n, it_ms(30000)) != 0) FAIL("boothd did not start with 96 descriptors");

    /* Stalled TCP connections (no full request, so no per-address WebSocket cap) until it
     * runs out. */
    enum { IDLE = 200 };
    int fds[IDLE], opened = 0;
    for (int i = 0; i < IDLE; i++) if ((fds[i] = tcp_connect_idle(n.port)) >= 0) opened++;
    it_log("%d idle connections opened (the backlog takes what boothd cannot accept)", opened);
    double cpu0 = cpu_seconds(n.pid);
    it_sleep_ms(it_ms(3000));
    double cpu = cpu_seconds(n.pid) - cpu0;
    char *log = boothd_log(&n);
    int spam = 0, reports = 0;
    for (char *p = log; p && (p = strstr(p, "accept failed")); p++) spam++;
    for (char *p = log; p && (p = strstr(p, "out of file descriptors")); p++) reports++;
    size_t log_len = log ? strlen(log) : 0;
    free(log);
    it_log("3 s out of descriptors: %.2f s of CPU, %d reports, %d accept-failed lines, log %zu bytes",
           cpu, reports, spam, log_len);
    ASSERT_GE(reports, 1);
    ASSERT_LE(reports, 2);
    ASSERT_EQ(spam, 0);
    if (cpu >= 0.5) FAIL("boothd used %.2f s of CPU in 3 s out of descriptors", cpu);
    ASSERT_LT((long)log_len, 64 * 1024);

    /* Descriptors free up: service resumes. */
    for (int i = 0; i < IDLE; i++) if (fds[i] >= 0) close(fds[i]);
    double deadline = it_now() + it_ms(10000) / 1000.0;
    struct expo c;
    while (expo_open(&c, n.port, "after") != 0) {
        if (it_now() > deadline) FAIL("no WebSocket connection 10 s after descriptors were freed");
        it_sleep_ms(200);
    }
    cJSON_Delete(EXPO_OK(&c, "sys.ping", NULL));
    expo_close(&c);
}

/* ---- handshakes: a cap on those in flight, which slow clients cannot hold shut ----------- */

/* Seconds until a new WebSocket connection answers sys.ping (polling every 50 ms), or -1. */
static double time_to_ping(int port, double limit_s)
{
    double t0 = it_now();
    struct expo c;
    while (expo_open(&c, port, "door") != 0) {
        if (it_now() - t0 > limit_s) return -1;
        it_sleep_ms(50);
    }
    cJSON_Delete(EXPO_OK(&c, "sys.ping", NULL));
    expo_close(&c);
    return it_now() - t0;
}

static void test_slow_handshakes(void)
{
    pg_start(&pg);
    struct boothd n;
    start_node(&n, NULL);

    /* More connections than the handshake cap (256, net/ws.c) that sent the first bytes of a
     * request and stop: each takes a slot. Accepting stops at the cap, and slots older than a
     * second stop counting, so a buyer still gets in, within about a second, not after lws's
     * 10-s header timeout. */
    enum { STALLED = 400 };
    int fds[STALLED], opened = 0;
    for (int i = 0; i < STALLED; i++) if ((fds[i] = tcp_connect_idle(n.port)) >= 0) opened++;
    ASSERT_EQ(opened, STALLED);
    double t = time_to_ping(n.port, it_ms(5000) / 1000.0);
    it_log("%d stalled handshakes: a new connection answered after %.2f s", STALLED, t);
    if (t < 0) FAIL("no WebSocket connection within 5 s behind %d stalled handshakes", STALLED);
    if (t > it_ms(3000) / 1000.0) FAIL("a new connection waited %.2f s behind stalled handshakes", t);

    /* Connections that send nothing are not handed to boothd at all (deferred accept). */
    for (int i = 0; i < STALLED; i++) if (fds[i] >= 0) close(fds[i]);
    it_sleep_ms(200);
    int empty[STALLED];
    for (int i = 0; i < STALLED; i++) {
        empty[i] = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)n.port),
                                .sin_addr.s_addr = htonl(0x7f000001)};
        if (empty[i] < 0 || connect(empty[i], (struct sockaddr *)&a, sizeof a) != 0) FAIL("connect %d", i);
    }
    t = time_to_ping(n.port, it_ms(5000) / 1000.0);
    it_log("%d empty connections: a new connection answered after %.2f s", STALLED, t);
    if (t < 0 || t > it_ms(1000) / 1000.0) FAIL("a new connection waited %.2f s behind empty connections", t);
    for (int i = 0; i < STALLED; i++) close(empty[i]);

    /* and every slot comes back: a burst of real clients gets in */
    enum { ARRIVALS = 50 };
    struct expo c[ARRIVALS];
    for (int i = 0; i < ARRIVALS; i++) {
        char name[16];
        snprintf(name, sizeof name, "b%d", i);
        expo_connect(&c[i], n.port, name);
    }
    for (int i = 0; i < ARRIVALS; i++) {
        cJSON_Delete(EXPO_OK(&c[i], "sys.ping", NULL));
        expo_close(&c[i]);
    }
}

/* ---- password guessing over many connections and two nodes ------------------------------ */

/* One auth.login on a new connection (each connection has its own per-session limit, which is
 * what the throttle must not depend on). Returns the reply (caller frees). */
static cJSON *login_fresh(int port, const char *email, const char *password)
{
    struct expo c;
    expo_connect(&c, port, "guess");
    cJSON *r = expo_call(&c, "auth.login", "{\"email\":%s,\"password\":%s}", json_quote(email), json_quote(password));
    expo_close(&c);
    return r;
}

static const char *error_code(const cJSON *reply)
{
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(reply, "error");
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(e, "code");
    return cJSON_IsString(c) ? c->valuestring : "";
}

static void test_login_throttle(void)
{
    struct boothd a, b;
    start_node(&a, NULL);
    struct boothd_opts o = {.db_url = pg.url, .node_id = "it-2"};
    boothd_start(&b, &o, 30000);
    struct expo c;
    char id[64];
    sign_up(&c, a.port, "victim", id, sizeof id);
    expo_close(&c);
    sign_up(&c, a.port, "bystander", id, sizeof id);
    expo_close(&c);

    /* Five free failures, spread over both nodes; the sixth is still checked (and counted). */
    for (int i = 0; i < 6; i++) {
        cJSON *r = login_fresh(i % 2 ? b.port : a.port, "victim@it.example", "wrong guess");
        ASSERT_STR_EQ(error_code(r), "unauthorized");
        cJSON_Delete(r);
    }
    /* From now on the account is slowed down, on either node, before any password check. */
    for (int i = 0; i < 4; i++) {
        cJSON *r = login_fresh(i % 2 ? b.port : a.port, "victim@it.example", "wrong guess");
        ASSERT_STR_EQ(error_code(r), "rate_limited");
        long long after = json_int_at(__FILE__, __LINE__, JGET(r, "error"), "retry_after_ms");
        ASSERT_GT(after, 0);
        ASSERT_LE(after, 1000);
        cJSON_Delete(r);
    }
    /* Even the right password waits: an attacker must not learn it was right. */
    cJSON *r = login_fresh(a.port, "VICTIM@it.example", "correct horse 1");
    ASSERT_STR_EQ(error_code(r), "rate_limited");
    cJSON_Delete(r);

    /* Another account signs in at once and fast. */
    double t0 = it_now();
    r = login_fresh(b.port, "bystander@it.example", "correct horse 1");
    ASSERT_TRUE(cJSON_IsTrue(JGET(r, "ok")));
    cJSON_Delete(r);
    it_log("another account's sign-in meanwhile: %.0f ms", (it_now() - t0) * 1000);
    ASSERT_TRUE(it_now() - t0 < 2.0);

    /* One log line for the burst, on the node that counted the sixth failure; no e-mail in it. */
    char *la = boothd_log(&a), *lb = boothd_log(&b);
    int lines = 0;
    for (char *p = la; p && (p = strstr(p, "are slowed down from now on")); p++) lines++;
    for (char *p = lb; p && (p = strstr(p, "are slowed down from now on")); p++) lines++;
    ASSERT_EQ(lines, 1);
    ASSERT_TRUE(!strstr(la, "victim@") && !strstr(lb, "victim@"));
    free(la);
    free(lb);

    /* After the wait the right password works, and clears the count. */
    it_sleep_ms(1100);
    r = login_fresh(b.port, "victim@it.example", "correct horse 1");
    ASSERT_TRUE(cJSON_IsTrue(JGET(r, "ok")));
    cJSON_Delete(r);
    r = login_fresh(a.port, "victim@it.example", "wrong guess");
    ASSERT_STR_EQ(error_code(r), "unauthorized");
    cJSON_Delete(r);
    ASSERT_EQ(psql_long(pg.url, "SELECT failures FROM login_throttle WHERE key = 'account:victim@it.example'"), 1);
}

/* ---- PostgreSQL away for 10 s under chat load ------------------------------------------- */

enum { CHATTERS = 8, MAX_SENT = 4000 };

struct sent { double at, answered; int ok; char cmid[24]; };

static void test_db_outage_answers(void)
{
    struct boothd n;
    start_node(&n, (const char *const[]){"--chat-rate", "50", NULL});
    struct expo c[CHATTERS];
    static struct sent sent[CHATTERS][MAX_SENT / CHATTERS];
    int n_sent[CHATTERS] = {0};
    long first_id[CHATTERS];
    char booth[64];
    struct expo probe;
    expo_connect(&probe, n.port, "probe");
    first_booth(&probe, booth, sizeof booth);
    expo_close(&probe);
    crowd(c, CHATTERS, n.port, "chatter", booth);
    for (int k = 0; k < CHATTERS; k++) first_id[k] = c[k].next_id;
    double t0 = it_now(), stopped_at = 0, back_at = 0, first_ack_after = 0;
    /* 16 s: each chatter sends every 100 ms; PostgreSQL stops at 3 s and is back at 13 s. */
    while (it_now() - t0 < 16.0) {
        double t = it_now() - t0;
        if (!stopped_at && t >= 3.0) { pg_stop(&pg); stopped_at = it_now(); it_log("PostgreSQL stopped"); }
        if (stopped_at && !back_at && it_now() - stopped_at >= 10.0) {
            pg_start_again(&pg);
            back_at = it_now();
            it_log("PostgreSQL is back");
        }
        for (int k = 0; k < CHATTERS; k++) {
            struct sent *m = &sent[k][n_sent[k]];
            snprintf(m->cmid, sizeof m->cmid, "o%d-%d", k, n_sent[k]);
            m->at = it_now();
            ASSERT_GT(expo_send(&c[k], "chat.send", "{\"booth_id\":%s,\"text\":\"during the outage\",\"client_msg_id\":\"%s\"}",
                                booth, m->cmid), 0);
            n_sent[k]++;
        }
        double until = it_now() + 0.1;
        while (it_now() < until)
            for (int k = 0; k < CHATTERS; k++) {
                cJSON *r;
                while ((r = expo_next_reply(&c[k], 1))) {
                    long i = (long)JINT(r, "id") - first_id[k];
                    if (i < 0 || i >= n_sent[k] || sent[k][i].answered) FAIL("unexpected reply %s", json_text(r));
                    sent[k][i].answered = it_now();
                    sent[k][i].ok = cJSON_IsTrue(JGET(r, "ok"));
                    if (sent[k][i].ok && back_at && !first_ack_after) first_ack_after = it_now();
                    cJSON_Delete(r);
                }
                expo_discard_events(&c[k], NULL);
            }
    }
    /* The last answers: 6 s more at most. */
    double until = it_now() + 6.0;
    int missing;
    do {
        missing = 0;
        for (int k = 0; k < CHATTERS; k++) {
            cJSON *r;
            while ((r = expo_next_reply(&c[k], 1))) {
                long i = (long)JINT(r, "id") - first_id[k];
                if (i >= 0 && i < n_sent[k] && !sent[k][i].answered) {
                    sent[k][i].answered = it_now();
                    sent[k][i].ok = cJSON_IsTrue(JGET(r, "ok"));
                }
                cJSON_Delete(r);
            }
            expo_discard_events(&c[k], NULL);
            for (int i = 0; i < n_sent[k]; i++) missing += !sent[k][i].answered;
        }
    } while (missing && it_now() < until);
    if (missing) {
        for (int k = 0; k < CHATTERS; k++)
            for (int i = 0; i < n_sent[k]; i++)
                if (!sent[k][i].answered)
                    it_log("unanswered: chatter %d message %d sent at %.2f s", k, i, sent[k][i].at - t0);
        FAIL("%d requests were never answered", missing);
    }
    double slowest = 0;
    int total = 0, acked = 0;
    size_t cap = 64 + (size_t)MAX_SENT * 28, len = 0;
    char *sql = malloc(cap);
    if (!sql) abort();
    len += (size_t)snprintf(sql, cap, "SELECT count(*) FROM chat_messages WHERE client_msg_id IN (''");
    for (int k = 0; k < CHATTERS; k++)
        for (int i = 0; i < n_sent[k]; i++) {
            double d = sent[k][i].answered - sent[k][i].at;
            if (d > slowest) slowest = d;
            total++;
            if (!sent[k][i].ok) continue;
            acked++;
            len += (size_t)snprintf(sql + len, cap - len, ",'%s'", sent[k][i].cmid);
        }
    snprintf(sql + len, cap - len, ")");
    /* every acked message is stored, exactly once (client_msg_id is unique per author) */
    ASSERT_EQ(psql_long(pg.url, sql), acked);
    free(sql);
    it_log("%d requests, %d acked (all stored), slowest answer %.2f s, first ack %.2f s after PostgreSQL was back",
           total, acked, slowest, first_ack_after ? first_ack_after - back_at : -1.0);
    if (slowest > 5.0) FAIL("a request was answered after %.2f s (limit 5 s)", slowest);
    if (!first_ack_after || first_ack_after - back_at > 1.5)
        FAIL("chat did not resume within 1.5 s of PostgreSQL's return");
    for (int k = 0; k < CHATTERS; k++) expo_close(&c[k]);
}

/* ---- a node killed with SIGKILL while its clients chat ------------------------------------ */

enum { ON_A = 6, PER = 60 };

static void test_node_killed_while_chatting(void)
{
    struct boothd a, b;
    start_node(&a, (const char *const[]){"--chat-rate", "50", NULL});
    struct boothd_opts o = {.db_url = pg.url, .node_id = "it-2", .extra_args = (const char *const[]){"--chat-rate", "50", NULL}};
    boothd_start(&b, &o, 30000);
    struct expo c[ON_A], watcher;
    static int acked[ON_A][PER];
    long first_id[ON_A];
    char id[64], booth[64];
    sign_up(&watcher, b.port, "watcher", id, sizeof id);
    first_booth(&watcher, booth, sizeof booth);
    cJSON_Delete(EXPO_OK(&watcher, "booth.enter", "{\"booth_id\":%s}", booth));
    crowd(c, ON_A, a.port, "doomed", booth);
    for (int k = 0; k < ON_A; k++) first_id[k] = c[k].next_id;
    /* Every 20 ms each client sends; node A dies with SIGKILL half-way. */
    int sent = 0;
    for (int i = 0; i < PER; i++) {
        if (i == PER / 2) { boothd_kill9(&a); it_log("node A killed"); }
        for (int k = 0; k < ON_A; k++)
            if (!c[k].closed)
                expo_send(&c[k], "chat.send", "{\"booth_id\":%s,\"text\":\"m %d\",\"client_msg_id\":\"k%d-%d\"}",
                          booth, i, k, i);
        sent = i + 1;
        for (int k = 0; k < ON_A; k++) {
            cJSON *r;
            while ((r = expo_next_reply(&c[k], 1))) {
                long j = (long)JINT(r, "id") - first_id[k];
                if (j >= 0 && j < PER && cJSON_IsTrue(JGET(r, "ok"))) acked[k][j] = 1;
                cJSON_Delete(r);
            }
            expo_discard_events(&c[k], NULL);
        }
        it_sleep_ms(20);
    }
    int n_acked = 0;
    for (int k = 0; k < ON_A; k++) for (int i = 0; i < sent; i++) n_acked += acked[k][i];
    it_log("%d messages acked by node A before it died", n_acked);
    ASSERT_GT(n_acked, 0);

    /* Every acked message is stored (once: client_msg_id is unique per author). */
    static char in[ON_A * PER * 12 + 128];
    size_t len = (size_t)snprintf(in, sizeof in, "SELECT count(*) FROM chat_messages WHERE client_msg_id IN (''");
    for (int k = 0; k < ON_A; k++)
        for (int i = 0; i < sent; i++)
            if (acked[k][i]) len += (size_t)snprintf(in + len, sizeof in - len, ",'k%d-%d'", k, i);
    snprintf(in + len, sizeof in - len, ")");
    ASSERT_EQ(psql_long(pg.url, in), n_acked);
    char sql[256];

    /* The clients move to node B and resend what was not acked: each is stored exactly once
     * (a message that was committed but not acked comes back as a duplicate). */
    for (int k = 0; k < ON_A; k++) {
        expo_drop(&c[k]);
        char email[64];
        snprintf(email, sizeof email, "doomed%d@it.example", k);
        expo_connect(&c[k], b.port, "moved");
        cJSON_Delete(EXPO_OK(&c[k], "auth.login", "{\"email\":%s,\"password\":\"correct horse 1\"}", json_quote(email)));
        cJSON_Delete(EXPO_OK(&c[k], "booth.enter", "{\"booth_id\":%s}", booth));
        for (int i = 0; i < sent; i++)
            if (!acked[k][i])
                cJSON_Delete(EXPO_OK(&c[k], "chat.send", "{\"booth_id\":%s,\"text\":\"m %d\",\"client_msg_id\":\"k%d-%d\"}",
                                     booth, i, k, i));
        expo_close(&c[k]);
    }
    ASSERT_EQ(psql_long(pg.url, "SELECT count(*) FROM chat_messages WHERE client_msg_id LIKE 'k%'"), ON_A * sent);
    snprintf(sql, sizeof sql, "SELECT count(*) = max(seq) - min(seq) + 1 FROM chat_messages WHERE booth_id = %s", booth);
    char *gapless = psql_ok(pg.url, sql);
    ASSERT_STR_EQ(gapless, "t");
    free(gapless);
    expo_close(&watcher);
}

static const struct it_test tests[] = {
    {"node_killed_while_chatting", test_node_killed_while_chatting, 90},
    {"db_outage_answers", test_db_outage_answers, 90},
    {"login_throttle", test_login_throttle, 90},
    {"strict_input", test_strict_input, 90},
    {"binary_frame", test_binary_frame, 60},
    {"unmasked_frame", test_unmasked_frame, 60},
    {"slow_reader", test_slow_reader, 120},
    {"out_of_fds", test_out_of_fds, 90},
    {"slow_handshakes", test_slow_handshakes, 90},
    {NULL, NULL, 0},
};

int main(int argc, char **argv) { return it_main(argc, argv, tests); }
