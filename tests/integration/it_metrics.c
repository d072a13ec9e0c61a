/* it_metrics.c — GET /metrics (issue 13): the whole exposition is parsed with a complete
 * parser of the text format 0.0.4 (promtext.c), the figures follow what the test did, and the
 * endpoint is open to loopback only unless --metrics-allow or --metrics-token opens it.
 *
 *   it_metrics <test> <path/to/boothd>
 */
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "expo.h"
#include "harness.h"
#include "promtext.h"

#define DEMO_PW "demo1234"
#define TOKEN "it-metrics-token-0123456789"

static struct pg_cluster pg;
static struct boothd na;

/* A GET to addr:port with an optional Authorization header; returns the status (0 on
 * failure) and the body in *body (free it). */
static int get_from(const char *addr, int port, const char *authorization, char **body)
{
    *body = NULL;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return 0;
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, addr, &sa.sin_addr);
    struct timeval tv = {.tv_sec = 10};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) { close(fd); return 0; }
    char req[512];
    int n = snprintf(req, sizeof req, "GET /metrics HTTP/1.1\r\nHost: %s:%d\r\n%s%s%sConnection: close\r\n\r\n", addr,
                     port, authorization ? "Authorization: " : "", authorization ? authorization : "",
                     authorization ? "\r\n" : "");
    if (send(fd, req, (size_t)n, MSG_NOSIGNAL) != n) { close(fd); return 0; }
    size_t cap = 65536, len = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (len + 4096 > cap) buf = realloc(buf, cap *= 2);
        ssize_t r = recv(fd, buf + len, cap - len - 1, 0);
        if (r <= 0) break;
        len += (size_t)r;
    }
    close(fd);
    buf[len] = 0;
    int status = 0;
    if (!strncmp(buf, "HTTP/1.", 7)) status = atoi(buf + 9);
    char *b = strstr(buf, "\r\n\r\n");
    *body = strdup(b ? b + 4 : "");
    free(buf);
    return status;
}

/* The exposition from loopback, parsed (fails the test on any grammar violation). */
static struct prom *scrape(int port)
{
    char *body;
    int st = get_from("127.0.0.1", port, NULL, &body);
    ASSERT_EQ(st, 200);
    char err[300];
    struct prom *p = prom_parse(body, err, sizeof err);
    if (!p) FAIL("/metrics does not parse: %s\n----\n%s", err, body);
    free(body);
    return p;
}

/* A non-loopback IPv4 address of this host, or "" when it has none. */
static void outside_address(char *out, size_t len)
{
    out[0] = 0;
    struct ifaddrs *ifs, *i;
    if (getifaddrs(&ifs)) return;
    for (i = ifs; i; i = i->ifa_next) {
        if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET) continue;
        struct sockaddr_in *sa = (struct sockaddr_in *)i->ifa_addr;
        if ((ntohl(sa->sin_addr.s_addr) >> 24) == 127) continue;
        inet_ntop(AF_INET, &sa->sin_addr, out, (socklen_t)len);
        break;
    }
    freeifaddrs(ifs);
}

/* ---- tests ------------------------------------------------------------------------------ */

/* The parser itself must refuse what the format forbids, or the other tests prove nothing. */
static void test_parser(void)
{
    static const char *const bad[] = {
        "m 1",                                                              /* no final newline */
        "1m 1\n",                                                           /* bad name */
        "m{a=\"x} 1\n",                                                     /* unterminated label */
        "m{a=\"\\x\"} 1\n",                                                 /* bad escape */
        "m{a=\"1\",a=\"2\"} 1\n",                                           /* repeated label */
        "m one\n",                                                          /* bad value */
        "# TYPE m counter\nm -1\n",                                         /* negative counter */
        "# TYPE m gauge\n# TYPE m gauge\nm 1\n",                            /* second TYPE */
        "m 1\n# TYPE m gauge\n",                                            /* TYPE after samples */
        "# TYPE m wibble\n",                                                /* unknown type */
        "m 1\nm 2\n",                                                       /* duplicate series */
        "a 1\nb 1\na{x=\"1\"} 1\n",                                         /* not contiguous */
        "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n",  /* no +Inf */
        "# TYPE h histogram\nh_bucket{le=\"2\"} 1\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n",
        "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n",
        "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 3\n",
        "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\n",         /* no _count */
    };
    char err[300];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct prom *p = prom_parse(bad[i], err, sizeof err);
        if (p) FAIL("the parser accepted bad input #%zu:\n%s", i, bad[i]);
        it_log("refused #%zu: %s", i, err);
    }
    const char *good =
        "# HELP h A \\\\ histogram\\n.\n# TYPE h histogram\n"
        "h_bucket{k=\"a\\\"b\",le=\"0.5\"} 1\nh_bucket{k=\"a\\\"b\",le=\"+Inf\"} 2\nh_sum{k=\"a\\\"b\"} 1.5\n"
        "h_count{k=\"a\\\"b\"} 2\n\n# a comment\nu{x=\"1\",} 3 1700000000000\nv NaN\nw -Inf\n";
    struct prom *p = prom_parse(good, err, sizeof err);
    if (!p) FAIL("the parser refused good input: %s", err);
    int found;
    ASSERT_EQ((long)prom_value(p, "h_count", "k=\"a\\\"b\"", &found), 2);
    ASSERT_EQ(found, 1);
    ASSERT_EQ((long)prom_value(p, "u", "x=\"1\"", &found), 3);
    prom_free(p);
}

static void test_figures(void)
{
    it_demo_up(&pg, &na, NULL, 1);

    struct expo c;
    expo_connect(&c, na.port, "visitor");
    cJSON_Delete(EXPO_OK(&c, "auth.login", "{\"email\":\"organizer@demo.expo\",\"password\":\"" DEMO_PW "\"}"));
    for (int i = 0; i < 5; i++) cJSON_Delete(EXPO_OK(&c, "sys.ping", NULL));
    EXPO_ERR(&c, "bad_request", "no.such.type", NULL);
    char *booth = psql_ok(pg.url, "SELECT min(id) FROM booths");
    cJSON_Delete(EXPO_OK(&c, "booth.enter", "{\"booth_id\":%s}", booth));
    cJSON_Delete(EXPO_OK(&c, "chat.send", "{\"booth_id\":%s,\"text\":\"metrics\",\"client_msg_id\":\"m1\"}", booth));
    cJSON *ev = expo_event(&c, "chat.message", it_ms(5000));
    ASSERT_TRUE(ev != NULL);
    cJSON_Delete(ev);
    it_sleep_ms(300);

    struct prom *p = scrape(na.port);
    int found;
    ASSERT_STR_EQ(prom_type(p, "boothd_sessions"), "gauge");
    ASSERT_GE((long)prom_value(p, "boothd_sessions", "", &found), 1);
    ASSERT_GE((long)prom_value(p, "boothd_sessions_signed_in", "", &found), 1);
    ASSERT_STR_EQ(prom_type(p, "boothd_ws_messages_in_total"), "counter");
    ASSERT_GE((long)prom_value(p, "boothd_ws_messages_in_total", "type=\"sys.ping\"", &found), 5);
    ASSERT_GE((long)prom_value(p, "boothd_ws_messages_in_total", "type=\"unknown\"", &found), 1);
    ASSERT_GE((long)prom_value(p, "boothd_ws_messages_out_total", "type=\"reply\"", &found), 8);
    ASSERT_GE((long)prom_value(p, "boothd_ws_messages_out_total", "type=\"error\"", &found), 1);
    ASSERT_GE((long)prom_value(p, "boothd_ws_messages_out_total", "type=\"chat.message\"", &found), 1);
    ASSERT_STR_EQ(prom_type(p, "boothd_request_duration_seconds"), "histogram");
    ASSERT_GE((long)prom_value(p, "boothd_request_duration_seconds_count", "result=\"ok\",type=\"sys.ping\"", &found), 5);
    ASSERT_GE((long)prom_value(p, "boothd_request_duration_seconds_count", "result=\"ok\",type=\"chat.send\"", &found), 1);
    ASSERT_GE((long)prom_value(p, "boothd_request_duration_seconds_count", "result=\"bad_request\",type=\"unknown\"", &found), 1);
    ASSERT_GE((long)prom_value(p, "boothd_chat_batch_size_count", "", &found), 1);
    ASSERT_GE((long)prom_sum(p, "boothd_db_query_duration_seconds_count", ""), 3);
    ASSERT_GE((long)prom_value(p, "boothd_db_connections", "state=\"up\"", &found), 1);
    ASSERT_GE((long)prom_sum(p, "boothd_notify_received_total", ""), 1);
    /* The loop's iterations: many by now, each counted once; their work adds up to less than
     * the node's lifetime. */
    ASSERT_STR_EQ(prom_type(p, "boothd_loop_busy_seconds"), "histogram");
    double turns = prom_value(p, "boothd_loop_busy_seconds_count", "", &found);
    ASSERT_GT(turns, 20);
    ASSERT_EQ((long)prom_value(p, "boothd_loop_busy_seconds_bucket", "le=\"+Inf\"", &found), (long)turns);
    double busy = prom_value(p, "boothd_loop_busy_seconds_sum", "", &found);
    ASSERT_TRUE(busy > 0 && busy < it_now());   /* the node lived less long than the test */
    ASSERT_GT(prom_value(p, "process_resident_memory_bytes", "", &found), 1e6);
    ASSERT_GE((long)prom_value(p, "process_open_fds", "", &found), 5);
    ASSERT_GT(prom_value(p, "process_start_time_seconds", "", &found), 1.6e9);
    double cpu = prom_value(p, "process_cpu_seconds_total", "", &found);
    ASSERT_EQ(found, 1);
    ASSERT_TRUE(cpu >= 0);
    prom_free(p);
    free(booth);
    expo_close(&c);
}

static void test_access(void)
{
    char addr[64];
    outside_address(addr, sizeof addr);
    if (!addr[0]) { it_log("no non-loopback IPv4 address on this host: only loopback checked"); }
    pg_start(&pg);
    const char *args[] = {"--metrics-token", TOKEN, NULL};
    struct boothd_opts o = {.db_url = pg.url, .node_id = "node-a", .extra_args = args};
    boothd_start(&na, &o, 40000);
    char *body;
    ASSERT_EQ(get_from("127.0.0.1", na.port, NULL, &body), 200);
    free(body);
    if (!addr[0]) return;
    ASSERT_EQ(get_from(addr, na.port, NULL, &body), 401);
    free(body);
    ASSERT_EQ(get_from(addr, na.port, "Bearer not-the-token-at-all-000", &body), 401);
    free(body);
    ASSERT_EQ(get_from(addr, na.port, "Bearer " TOKEN, &body), 200);
    ASSERT_TRUE(strstr(body, "# TYPE boothd_sessions gauge") != NULL);
    free(body);
    boothd_stop(&na);

    /* no token: refused with 403 from outside; --metrics-allow opens it to that address */
    struct boothd_opts o2 = {.db_url = pg.url, .node_id = "node-b"};
    boothd_start(&na, &o2, 40000);
    ASSERT_EQ(get_from(addr, na.port, "Bearer " TOKEN, &body), 403);
    free(body);
    boothd_stop(&na);
    const char *allow[] = {"--metrics-allow", addr, NULL};
    struct boothd_opts o3 = {.db_url = pg.url, .node_id = "node-c", .extra_args = allow};
    boothd_start(&na, &o3, 40000);
    ASSERT_EQ(get_from(addr, na.port, NULL, &body), 200);
    free(body);
}

static const struct it_test tests[] = {
    {"parser", test_parser, 10},
    {"figures", test_figures, 90},
    {"access", test_access, 120},
    {NULL, NULL, 0},
};

int main(int argc, char **argv) { return it_main(argc, argv, tests); }
