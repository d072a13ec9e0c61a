/* it_nginx.c — boothd behind a real load balancer (issue 15): Debian's nginx runs the shipped
 * deploy/nginx.conf (only its upstream `server` lines and its `listen` line are replaced) in
 * front of two boothd nodes on one PostgreSQL cluster, everything on free ports and in the
 * test's own directory (nginx's prefix, pid, logs and temp paths; no root needed, none used).
 *
 *   failover   pages, /healthz and WebSocket upgrades pass through nginx; a browser Origin
 *              that matches the proxy's Host is allowed and a foreign one refused; /metrics is
 *              not served through the proxy; boothd takes the client address from nginx's
 *              X-Forwarded-For only because it trusts nginx; an oversized upload gets boothd's
 *              own 413 before any of the body is sent. Then WebSocket clients, spread over
 *              both nodes by nginx, chat in one booth; one node is killed with SIGKILL; its
 *              clients reconnect through nginx (which fails over to the other node), resume
 *              (auth.resume, booth.enter since_seq) and resend what was not acknowledged.
 *              Every client must end up having seen every message of the booth exactly once
 *              and in order (no gap), and every message sent is stored exactly once.
 *
 * Each test runs in its own process with its own cluster (see harness.h):
 *   it_nginx <test> <path/to/boothd>
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "expo.h"
#include "harness.h"
#include "visit.h"
#include "wsclient.h"

/* ---- nginx -------------------------------------------------------------------------------- */

struct nginx {
    pid_t pid;
    int port;
    char dir[700];
};

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0) FAIL("cannot write %s", path);
}

/* deploy/nginx.conf with the test's nodes and listen address. Fails when the file no longer
 * has exactly two upstream `server` lines and one `listen` line: the test must run the file
 * that ships, not a copy of its own. */
static char *site_conf(int listen_port, const int *node_ports, int n_nodes)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/deploy/nginx.conf", it_source_dir);
    char *src = it_read_file(path);
    if (!src) FAIL("cannot read %s", path);
    size_t cap = strlen(src) + 4096, len = 0;
    char *out = malloc(cap);
    if (!out) abort();
    int in_upstream = 0, servers = 0, listens = 0;
    for (char *line = src, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next) *next++ = '\0';
        const char *t = line + strspn(line, " \t");
        char repl[256] = "";
        if (!strncmp(t, "upstream boothd", 15)) in_upstream = 1;
        else if (in_upstream && *t == '}') in_upstream = 0;
        else if (in_upstream && !strncmp(t, "server ", 7)) {
            /* keep the line's parameters (max_fails, fail_timeout), change the address */
            const char *params = strchr(t + 7, ' ');
            if (servers < n_nodes)
                snprintf(repl, sizeof repl, "    server 127.0.0.1:%d%s", node_ports[servers], params ? params : ";");
            else
                snprintf(repl, sizeof repl, "    # (more nodes than this test runs)");
            servers++;
        } else if (!strncmp(t, "listen ", 7)) {
            snprintf(repl, sizeof repl, "    listen 127.0.0.1:%d;", listen_port);
            listens++;
        }
        len += (size_t)snprintf(out + len, cap - len, "%s\n", repl[0] ? repl : line);
        if (len >= cap) FAIL("site_conf: buffer");
    }
    free(src);
    if (servers != n_nodes) FAIL("deploy/nginx.conf: %d upstream server lines, the test expects %d", servers, n_nodes);
    if (listens != 1) FAIL("deploy/nginx.conf: %d listen lines, the test expects 1", listens);
    return out;
}

/* Starts nginx (master + one worker, not daemonized) on a free port in front of the nodes. */
static void nginx_start(struct nginx *n, const int *node_ports, int n_nodes)
{
    memset(n, 0, sizeof *n);
    n->port = it_free_port();
    snprintf(n->dir, sizeof n->dir, "%s/nginx", it_workdir);
    if (mkdir(n->dir, 0755)) FAIL("mkdir %s", n->dir);
    char path[1000], main_conf[8192];
    char *site = site_conf(n->port, node_ports, n_nodes);
    snprintf(path, sizeof path, "%s/boothd.conf", n->dir);
    write_file(path, site);
    free(site);
    /* Everything nginx writes stays in n->dir. As root, the worker stays root too (nginx's
     * default "nobody" could not enter the test's directory). */
    snprintf(main_conf, sizeof main_conf,
             "daemon off;\n"
             "%s"
             "worker_processes 1;\n"
             "pid %s/nginx.pid;\n"
             "error_log %s/error.log info;\n"
             "events { worker_connections 512; }\n"
             "http {\n"
             "    access_log %s/access.log;\n"
             "    client_body_temp_path %s/body;\n"
             "    proxy_temp_path %s/proxy;\n"
             "    fastcgi_temp_path %s/fastcgi;\n"
             "    uwsgi_temp_path %s/uwsgi;\n"
             "    scgi_temp_path %s/scgi;\n"
             "    include %s/boothd.conf;\n"
             "}\n",
             geteuid() == 0 ? "user root;\n" : "", n->dir, n->dir, n->dir, n->dir, n->dir, n->dir, n->dir,
             n->dir, n->dir);
    snprintf(path, sizeof path, "%s/nginx.conf", n->dir);
    write_file(path, main_conf);

    char conf[1000], errlog[1000], log[1000];
    snprintf(conf, sizeof conf, "%s/nginx.conf", n->dir);
    snprintf(errlog, sizeof errlog, "%s/error.log", n->dir);
    snprintf(log, sizeof log, "%s/nginx.out", n->dir);
    /* nginx -t first: a broken shipped file fails here with nginx's own message */
    char *check[] = {"nginx", "-t", "-q", "-p", n->dir, "-c", conf, "-e", errlog, NULL};
    pid_t t = it_spawn("nginx -t", check, log);
    int st = it_spawn_stop(t, 0, 10000);
    if (st != 0) {
        char *o = it_read_file(log);
        FAIL("nginx -t refused deploy/nginx.conf (status %d):\n%s", st, o ? o : "");
    }
    char *argv[] = {"nginx", "-p", n->dir, "-c", conf, "-e", errlog, NULL};
    n->pid = it_spawn("nginx error.log", argv, errlog);
    double end = it_now() + it_ms(10000) / 1000.0;
    for (;;) {
        struct http_resp r;
        int s = http_get(n->port, "/healthz", 1000, &r);
        http_resp_free(&r);
        if (s == 200) break;
        if (it_now() > end) FAIL("nginx on port %d did not answer /healthz with 200 (last %d)", n->port, s);
        it_sleep_ms(50);
    }
    it_log("nginx pid %d on port %d in front of %d nodes", (int)n->pid, n->port, n_nodes);
}

static void nginx_stop(struct nginx *n)
{
    if (n->pid <= 0) return;
    int st = it_spawn_stop(n->pid, SIGQUIT, 10000);   /* graceful */
    if (st != 0) it_log("nginx ended with status %d", st);
    n->pid = 0;
}

/* ---- chatters ----------------------------------------------------------------------------- */

enum { CHATTERS = 8, MAX_MSGS = 128, MAX_SEQ = 4096 };

struct pmsg {
    char cmid[48];
    long req;               /* request id while in flight, else 0 */
    int acked;
};

struct chatter {
    struct expo c;
    struct user u;
    char name[32];
    char node[64];          /* the node nginx put it on (sys.ping) */
    int moved;              /* its node died: reconnected through nginx */
    int missed;             /* messages its booth.enter since_seq brought back */
    double back_after_s;    /* from the kill to back inside the booth */
    struct pmsg m[MAX_MSGS];
    int n;
    double next_send;
    long long max_seq;      /* highest seq received (events or booth.enter messages) */
    unsigned char seen[MAX_SEQ];   /* seq - base: how often it arrived */
    int out_of_order;
};

static struct booth chat_booth;
static long long seq_base;          /* the booth's last_seq before the test chatted */

static void take_seq(struct chatter *ch, long long seq)
{
    long long k = seq - seq_base;
    if (k <= 0 || k >= MAX_SEQ) FAIL("%s: seq %lld outside the test's range (base %lld)", ch->name, seq, seq_base);
    if (seq <= ch->max_seq) ch->out_of_order++;
    else ch->max_seq = seq;
    ch->seen[k]++;
}

static void which_node(struct chatter *ch)
{
    cJSON *d = EXPO_OK(&ch->c, "sys.ping", NULL);
    snprintf(ch->node, sizeof ch->node, "%s", JSTR(d, "node"));
    cJSON_Delete(d);
}

/* booth.enter since ch->max_seq (0: from now); takes the messages of the reply. */
static void enter_booth(struct chatter *ch)
{
    cJSON *e = ch->max_seq
        ? EXPO_OK(&ch->c, "booth.enter", "{\"booth_id\":%s,\"since_seq\":%lld}", chat_booth.id, ch->max_seq)
        : EXPO_OK(&ch->c, "booth.enter", "{\"booth_id\":%s}", chat_booth.id);
    if (!ch->max_seq) {
        ch->max_seq = JINT(e, "last_seq");
        if (ch->max_seq != seq_base) FAIL("%s: entered at seq %lld, expected %lld", ch->name, ch->max_seq, seq_base);
    } else {
        const cJSON *tr = cJSON_GetObjectItemCaseSensitive(e, "truncated");
        if (tr && !cJSON_IsFalse(tr)) FAIL("%s: resume since %lld truncated: %s", ch->name, ch->max_seq, json_text(tr));
        const cJSON *m;
        int k = 0;
        cJSON_ArrayForEach(m, JGET(e, "messages")) { take_seq(ch, JINT(m, "seq")); k++; }
        ch->missed += k;
        it_log("%s: resumed on %s with %d message(s) it had missed", ch->name, ch->node, k);
    }
    cJSON_Delete(e);
}

static void chatter_send(struct chatter *ch, int allow_new)
{
    if (ch->c.closed || it_now() < ch->next_send) return;
    struct pmsg *p = NULL;
    for (int i = 0; i < ch->n && !p; i++)
        if (!ch->m[i].acked && !ch->m[i].req) p = &ch->m[i];   /* a resend first */
    if (!p && allow_new && ch->n < MAX_MSGS) {
        p = &ch->m[ch->n];
        snprintf(p->cmid, sizeof p->cmid, "%s-%03d", ch->name, ch->n);
        ch->n++;
    }
    if (!p) return;
    long id = expo_send(&ch->c, "chat.send", "{\"booth_id\":%s,\"text\":%s,\"client_msg_id\":%s}", chat_booth.id,
                        json_quote(p->cmid), json_quote(p->cmid));
    p->req = id > 0 ? id : 0;
    ch->next_send = it_now() + 0.1;
}

/* Takes replies and chat events that arrived; notices a closed connection. */
static void chatter_collect(struct chatter *ch)
{
    if (ch->c.closed) return;
    expo_pump(&ch->c, 1);
    cJSON *r;
    while ((r = expo_next_reply(&ch->c, 0))) {
        long id = (long)JINT(r, "id");
        for (int i = 0; i < ch->n; i++) {
            struct pmsg *p = &ch->m[i];
            if (p->req != id) continue;
            p->req = 0;
            if (cJSON_IsTrue(JGET(r, "ok"))) p->acked = 1;
            else FAIL("%s: chat.send %s refused: %s", ch->name, p->cmid, json_text(r));
        }
        cJSON_Delete(r);
    }
    cJSON *ev;
    while ((ev = expo_event(&ch->c, "chat.message", 0))) {
        take_seq(ch, JINT(JGET(ev, "message"), "seq"));
        cJSON_Delete(ev);
    }
    expo_discard_events(&ch->c, NULL);
    if (ch->c.closed)
        for (int i = 0; i < ch->n; i++) ch->m[i].req = 0;   /* unknown fate: resend (same client_msg_id) */
}

static int nginx_port;

/* What a page does when its socket breaks: connect again (through nginx) after a backoff,
 * resume, enter since the last seq it has. The backoff (the pages wait about as long) lets
 * the others chat on meanwhile, so the resume has a gap to fill. */
enum { RECONNECT_BACKOFF_MS = 700 };

static void chatter_reconnect(struct chatter *ch, double killed_at)
{
    if (it_now() < killed_at + RECONNECT_BACKOFF_MS / 1000.0) return;
    expo_drop(&ch->c);
    double end = it_now() + it_ms(10000) / 1000.0;
    while (expo_open(&ch->c, nginx_port, ch->name) != WS_OK) {
        if (it_now() > end) FAIL("%s: no WebSocket through nginx for 10 s after the kill", ch->name);
        it_sleep_ms(100);
    }
    do_resume(&ch->c, &ch->u);
    which_node(ch);
    enter_booth(ch);
    ch->moved = 1;
    ch->back_after_s = it_now() - killed_at;
}

/* ---- checks through the proxy ------------------------------------------------------------- */

/* Also a regression check: boothd used to refuse a foreign upgrade by closing the socket, which
 * nginx took for a dead node (it tried the other, closed too, and marked both down for
 * fail_timeout). Now the refusal is a 403; the chatters that connect next must still be spread
 * over both nodes. */
static void check_origin(int port)
{
    char origin[64];
    snprintf(origin, sizeof origin, "http://127.0.0.1:%d", port);
    struct ws w;
    struct ws_connect_opts o = {.port = port, .protocol = "expo.v1", .origin = origin, .timeout_ms = it_ms(5000)};
    int r = ws_connect(&w, &o);
    if (r != WS_OK) FAIL("Origin %s (the proxy's own) refused through nginx: %s, HTTP %d", origin, ws_strerror(r), w.http_status);
    ws_close(&w, 1000, it_ms(3000));
    ws_close_socket(&w);
    o.origin = "http://evil.example";
    r = ws_connect(&w, &o);
    if (r != WS_E_REFUSED) FAIL("a foreign Origin got through nginx: %s", ws_strerror(r));
    it_log("Origin of the proxy allowed, a foreign one refused with HTTP %d", w.http_status);
    ws_close_socket(&w);
}

static void check_metrics(int nginx, int node)
{
    struct http_resp r;
    ASSERT_EQ(http_get(node, "/metrics", it_ms(5000), &r), 200);      /* loopback, direct */
    http_resp_free(&r);
    ASSERT_EQ(http_get(nginx, "/metrics", it_ms(5000), &r), 404);     /* never through the proxy */
    http_resp_free(&r);
    ASSERT_EQ(http_get(nginx, "//metrics", it_ms(5000), &r), 404);
    http_resp_free(&r);
    ASSERT_EQ(http_get(nginx, "/%6detrics", it_ms(5000), &r), 404);
    http_resp_free(&r);
    /* boothd trusts nginx's address (--trusted-proxy 127.0.0.1): the address nginx appended
     * to X-Forwarded-For is the client, and a client's own entries before it count for nothing */
    ASSERT_EQ(http_get_with(node, "/metrics", "X-Forwarded-For: 203.0.113.9\r\n", it_ms(5000), &r), 403);
    http_resp_free(&r);
    ASSERT_EQ(http_get_with(node, "/metrics", "X-Forwarded-For: 127.0.0.1, 203.0.113.9\r\n", it_ms(5000), &r), 403);
    http_resp_free(&r);
}

/* An upload declared over boothd's 20 MiB: boothd's own JSON 413 arrives through nginx after
 * the headers alone (nginx does not buffer the body first, and its limit is above boothd's). */
static void check_upload_413(int port)
{
    struct expo s;
    struct user staff;
    expo_connect(&s, port, "staff");
    do_login(&s, &staff, "staff@haneul-cosmetics.demo.expo", DEMO_PW);
    cJSON *d = EXPO_OK(&s, "hall.list", "{\"q\":\"Haneul\"}");
    const cJSON *b = cJSON_GetArrayItem(JGET(d, "booths"), 0);
    if (!b) FAIL("the demo hall has no Haneul booth");
    char booth[64];
    snprintf(booth, sizeof booth, "%s", json_text(JGET(b, "id")));
    cJSON_Delete(d);
    expo_close(&s);
    char req[1400];
    int n = snprintf(req, sizeof req,
                     "POST /upload?booth=%s&name=big.pdf HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n"
                     "Authorization: Bearer %s\r\nContent-Type: application/pdf\r\nContent-Length: %ld\r\n\r\n",
                     booth, port, staff.token, 20L * 1024 * 1024 + 1);
    struct http_resp r;
    double t0 = it_now();
    int st = http_request(port, req, (size_t)n, 0, it_ms(10000), &r);
    if (st != 413 || !r.body || !strstr(r.body, "too_large"))
        FAIL("upload of 20 MiB + 1 through nginx: status %d, body %s (want boothd's 413 too_large)", st,
             r.body ? r.body : "(none)");
    it_log("413 too_large from boothd through nginx %.3f s after the headers, no body sent", it_now() - t0);
    http_resp_free(&r);
}

/* ---- the test ----------------------------------------------------------------------------- */

static void test_failover(void)
{
    pg_start(&pg);
    const char *const flags[] = {"--chat-rate", "50", "--trusted-proxy", "127.0.0.1", NULL};
    struct boothd_opts o = {.db_url = pg.url, .node_id = "ng-a", .demo = 1, .extra_args = flags};
    boothd_start(&na, &o, 40000);
    o.node_id = "ng-b";
    boothd_start(&nb, &o, 40000);
    struct nginx ng;
    int ports[2] = {na.port, nb.port};
    nginx_start(&ng, ports, 2);
    nginx_port = ng.port;

    struct http_resp r;
    ASSERT_EQ(http_get(ng.port, "/", it_ms(5000), &r), 200);
    if (!strstr(r.body, "<html") && !strstr(r.body, "<!doctype") && !strstr(r.body, "<!DOCTYPE"))
        FAIL("/ through nginx is not a page: %.200s", r.body);
    http_resp_free(&r);
    check_origin(ng.port);
    check_metrics(ng.port, na.port);
    check_upload_413(ng.port);

    /* Chatters through nginx: round robin spreads them over both nodes. */
    static struct chatter ch[CHATTERS];
    int on_a = 0;
    for (int k = 0; k < CHATTERS; k++) {
        struct chatter *c = &ch[k];
        snprintf(c->name, sizeof c->name, "ng%d", k);
        char email[64];
        snprintf(email, sizeof email, "%s@it.example", c->name);
        expo_connect(&c->c, ng.port, c->name);
        do_register(&c->c, &c->u, c->name, email);
        which_node(c);
        on_a += !strcmp(c->node, "ng-a");
        if (k == 0) {
            hall_booth(&c->c, 2, &chat_booth);
            char sql[160];
            snprintf(sql, sizeof sql, "SELECT last_seq FROM booth_chat_seq WHERE booth_id = %s", sql_id(chat_booth.id));
            seq_base = psql_long(pg.url, sql);
        }
        enter_booth(c);
    }
    it_log("%d chatters on ng-a, %d on ng-b (through nginx)", on_a, CHATTERS - on_a);
    if (on_a == 0 || on_a == CHATTERS) FAIL("nginx did not spread the clients over both nodes");

    /* Chat for 2 s, kill node A with SIGKILL, keep chatting for 3 s. */
    double end = it_now() + 2.0;
    while (it_now() < end) {
        for (int k = 0; k < CHATTERS; k++) { chatter_send(&ch[k], 1); chatter_collect(&ch[k]); }
        it_sleep_ms(5);
    }
    boothd_kill9(&na);
    double killed_at = it_now();
    it_log("node ng-a killed with SIGKILL");
    end = it_now() + 3.0;
    while (it_now() < end) {
        for (int k = 0; k < CHATTERS; k++) {
            if (ch[k].c.closed) chatter_reconnect(&ch[k], killed_at);
            chatter_send(&ch[k], 1);
            chatter_collect(&ch[k]);
        }
        it_sleep_ms(5);
    }
    /* Settle: resend until everything is acknowledged, then wait for the last events. */
    end = it_now() + it_ms(10000) / 1000.0;
    for (;;) {
        int open = 0;
        for (int k = 0; k < CHATTERS; k++) {
            if (ch[k].c.closed) chatter_reconnect(&ch[k], killed_at);
            chatter_send(&ch[k], 0);
            chatter_collect(&ch[k]);
            for (int i = 0; i < ch[k].n; i++) open += !ch[k].m[i].acked;
        }
        if (!open) break;
        if (it_now() > end) FAIL("%d message(s) still not acknowledged 10 s after the chat stopped", open);
        it_sleep_ms(5);
    }
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT last_seq FROM booth_chat_seq WHERE booth_id = %s", sql_id(chat_booth.id));
    long long last = psql_long(pg.url, sql);
    end = it_now() + it_ms(5000) / 1000.0;
    for (int k = 0; k < CHATTERS; k++)
        while (ch[k].max_seq < last) {
            if (it_now() > end) FAIL("%s: saw seqs up to %lld of %lld", ch[k].name, ch[k].max_seq, last);
            chatter_collect(&ch[k]);
        }
    for (int k = 0; k < CHATTERS; k++) chatter_collect(&ch[k]);

    /* Every client saw every message exactly once, in order; the moved ones are on node B. */
    int sent = 0, moved = 0, missed = 0;
    double slowest_back = 0;
    for (int k = 0; k < CHATTERS; k++) {
        struct chatter *c = &ch[k];
        sent += c->n;
        for (long long s = seq_base + 1; s <= last; s++)
            if (c->seen[s - seq_base] != 1)
                FAIL("%s (%s%s): seq %lld arrived %d times", c->name, c->node, c->moved ? ", moved" : "", s,
                     c->seen[s - seq_base]);
        if (c->out_of_order) FAIL("%s: %d message(s) out of order", c->name, c->out_of_order);
        if (c->moved) {
            moved++;
            missed += c->missed;
            ASSERT_STR_EQ(c->node, "ng-b");
            if (c->back_after_s > slowest_back) slowest_back = c->back_after_s;
        }
    }
    ASSERT_EQ(moved, on_a);
    ASSERT_GT(missed, 0);   /* the gap was real and came back through since_seq */
    ASSERT_EQ(last - seq_base, sent);   /* each message stored once: resends were recognized */
    snprintf(sql, sizeof sql, "SELECT count(DISTINCT client_msg_id) FROM chat_messages WHERE booth_id = %s AND client_msg_id LIKE 'ng%%'",
             sql_id(chat_booth.id));
    ASSERT_EQ(psql_long(pg.url, sql), sent);
    it_log("%d messages, %d clients moved from the killed node through nginx (slowest back in the booth %.2f s "
           "after the kill, %d ms of it backoff; %d missed messages came back with since_seq); every client saw "
           "seqs %lld..%lld exactly once, in order",
           sent, moved, slowest_back, RECONNECT_BACKOFF_MS, missed, seq_base + 1, last);
    if (slowest_back > 5.0) FAIL("a client needed %.2f s to get back (limit 5 s)", slowest_back);

    for (int k = 0; k < CHATTERS; k++) expo_close(&ch[k].c);
    nginx_stop(&ng);
    ASSERT_EQ(boothd_stop(&nb), 0);
}

static const struct it_test tests[] = {
    {"failover", test_failover, 120},
    {NULL, NULL, 0},
};

int main(int argc, char **argv) { return it_main(argc, argv, tests); }
