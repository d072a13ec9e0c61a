/* Unit test of wsconn.c, the generator's WebSocket client, over real loopback TCP: a scripted
 * peer in the same loop answers the upgrade and then writes RFC 6455 frames in chunks, a
 * millisecond apart, that split headers and payloads across reads, interleave a ping with a
 * fragmented message, carry a message over 64 KiB and end with a close. It checks what the
 * client delivered and what it wrote back (masked text, pongs, the close answer); then a
 * wrong Sec-WebSocket-Accept and a refused connect. Port 0: the kernel picks free ports. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "../unit/check.h"
#include "wsconn.h"
#include "wsproto.h"

#define BIG 70000

enum peer_mode { PEER_GOOD, PEER_BAD_ACCEPT };

static uv_loop_t loop;
static uv_tcp_t listener, peer;
static uv_timer_t pacer;
static enum peer_mode mode;
static char peer_in[4096];
static size_t peer_in_len;
static bool answered;
static char *script;                        /* what the peer writes, and where each chunk ends */
static size_t script_len, cuts[32], n_cuts, next_cut, written;

/* what the client did */
static char got[8][BIG + 1];
static size_t got_len[8];
static int n_got, n_open, n_closed;
static char closed_why[128];

static void add(const void *p, size_t n)
{
    script = realloc(script, script_len + n);
    memcpy(script + script_len, p, n);
    script_len += n;
}

static void cut(void) { cuts[n_cuts++] = script_len; }

static void add_frame(uint8_t b0, const char *payload, size_t n)
{
    uint8_t h[10] = {b0};
    size_t hl = 2;
    if (n < 126) h[1] = (uint8_t)n;
    else if (n <= 0xffff) { h[1] = 126; h[2] = (uint8_t)(n >> 8); h[3] = (uint8_t)n; hl = 4; }
    else { h[1] = 127; for (int i = 0; i < 8; i++) h[2 + i] = (uint8_t)((uint64_t)n >> (56 - 8 * i)); hl = 10; }
    add(h, hl);
    add(payload, n);
}

static void on_peer_write(uv_write_t *req, int status)
{
    CHECK_INT(status, 0);
    free(req);
}

static void peer_write(const char *p, size_t n)
{
    uv_write_t *req = malloc(sizeof *req + n);
    memcpy(req + 1, p, n);
    uv_buf_t b = uv_buf_init((char *)(req + 1), (unsigned)n);
    CHECK_INT(uv_write(req, (uv_stream_t *)&peer, &b, 1, on_peer_write), 0);
}

static void on_pace(uv_timer_t *t)
{
    if (next_cut == n_cuts) { uv_timer_stop(t); return; }
    size_t end = cuts[next_cut++];
    peer_write(script + written, end - written);
    written = end;
}

/* The upgrade request is in: check it, then build the script of the answer. */
static void answer(void)
{
    peer_in[peer_in_len] = 0;
    CHECK(!strncmp(peer_in, "GET /ws HTTP/1.1\r\n", 18));
    CHECK(strstr(peer_in, "\r\nSec-WebSocket-Protocol: expo.v1\r\n") != NULL);
    const char *k = strstr(peer_in, "Sec-WebSocket-Key: ");
    CHECK(k != NULL);
    if (!k) return;
    char key[WS_KEY_LEN + 1], acc[WS_ACCEPT_LEN + 1];
    memcpy(key, k + 19, WS_KEY_LEN);
    key[WS_KEY_LEN] = 0;
    ws_accept_for(key, acc);
    if (mode == PEER_BAD_ACCEPT) acc[0] = acc[0] == 'A' ? 'B' : 'A';
    char head[256];
    int n = snprintf(head, sizeof head, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                     "Connection: Upgrade\r\nSec-WebSocket-Accept: %s\r\nSec-WebSocket-Protocol: expo.v1\r\n\r\n", acc);
    if (mode == PEER_BAD_ACCEPT) { peer_write(head, (size_t)n); return; }
    script_len = n_cuts = next_cut = written = 0;
    add(head, (size_t)n);
    add("\x81", 1);                                 /* the 101 and the first byte of a frame */
    cut();
    add("\x05hel", 4);                              /* the rest of the header, half the payload */
    cut();
    add("lo", 2);
    add_frame(0x81, "world", 5);                    /* two frames and a byte of a third in one read */
    add("\x89", 1);
    cut();
    add("\x02p1", 3);                               /* a ping */
    add_frame(0x01, "ab", 2);                       /* a fragmented message with a ping inside */
    add_frame(0x89, "p2", 2);
    cut();
    add_frame(0x80, "cd", 2);
    cut();
    static char big[BIG];
    for (int i = 0; i < BIG; i++) big[i] = (char)('a' + i % 26);
    size_t start = script_len;
    add_frame(0x81, big, BIG);                      /* > 64 KiB: the 64-bit length form */
    for (size_t at = start + 20000; at < script_len; at += 20000) { size_t end = script_len; script_len = at; cut(); script_len = end; }
    cut();
    add_frame(0x88, "\x03\xe8", 2);                 /* close, 1000 */
    cut();
    uv_timer_start(&pacer, on_pace, 1, 1);
}

static void on_peer_alloc(uv_handle_t *h, size_t s, uv_buf_t *b)
{
    (void)h;
    (void)s;
    *b = uv_buf_init(peer_in + peer_in_len, (unsigned)(sizeof peer_in - 1 - peer_in_len));
}

static void on_peer_read(uv_stream_t *st, ssize_t n, const uv_buf_t *b)
{
    (void)b;
    if (n < 0) {                                    /* the client is gone: so is this test's peer */
        uv_close((uv_handle_t *)st, NULL);
        if (!uv_is_closing((uv_handle_t *)&listener)) uv_close((uv_handle_t *)&listener, NULL);
        uv_timer_stop(&pacer);
        return;
    }
    peer_in_len += (size_t)n;
    if (!answered && memmem(peer_in, peer_in_len, "\r\n\r\n", 4)) {
        answered = true;
        size_t head = (size_t)((char *)memmem(peer_in, peer_in_len, "\r\n\r\n", 4) - peer_in) + 4;
        answer();
        peer_in_len -= head;
        memmove(peer_in, peer_in + head, peer_in_len);
    }
}

static void on_accept(uv_stream_t *l, int status)
{
    CHECK_INT(status, 0);
    uv_tcp_init(&loop, &peer);
    CHECK_INT(uv_accept(l, (uv_stream_t *)&peer), 0);
    uv_tcp_nodelay(&peer, 1);
    uv_read_start((uv_stream_t *)&peer, on_peer_alloc, on_peer_read);
}

static void on_open(struct wsconn *c, void *user)
{
    (void)user;
    n_open++;
    char buf[WSCONN_PRE + 8];
    memcpy(buf + WSCONN_PRE, "hi", 2);
    CHECK_INT(wsconn_send_text(c, buf + WSCONN_PRE, 2), 0);
}

static void on_message(struct wsconn *c, void *user, const char *buf, size_t len)
{
    (void)c;
    (void)user;
    if (n_got < 8) { memcpy(got[n_got], buf, len); got_len[n_got] = len; }
    n_got++;
}

static void on_closed(struct wsconn *c, void *user, const char *why)
{
    (void)c;
    (void)user;
    n_closed++;
    snprintf(closed_why, sizeof closed_why, "%s", why);
}

static const struct wsconn_cbs cbs = {on_open, on_message, on_closed};

/* Reads the client frame at *p (masked, as a client must send), unmasks it into out. */
static int client_frame(const uint8_t **p, const uint8_t *end, uint8_t *op, char *out, size_t *n)
{
    if (end - *p < 6 || !((*p)[1] & 0x80) || ((*p)[1] & 0x7f) > 125) return -1;
    *op = (*p)[0];
    *n = (*p)[1] & 0x7f;
    const uint8_t *mask = *p + 2;
    if ((size_t)(end - *p) < 6 + *n) return -1;
    for (size_t i = 0; i < *n; i++) out[i] = (char)((*p)[6 + i] ^ mask[i & 3]);
    *p += 6 + *n;
    return 0;
}

static int listen_port(void)
{
    struct sockaddr_in a;
    uv_ip4_addr("127.0.0.1", 0, &a);
    uv_tcp_init(&loop, &listener);
    CHECK_INT(uv_tcp_bind(&listener, (const struct sockaddr *)&a, 0), 0);
    CHECK_INT(uv_listen((uv_stream_t *)&listener, 4, on_accept), 0);
    int len = sizeof a;
    uv_tcp_getsockname(&listener, (struct sockaddr *)&a, &len);
    return ntohs(a.sin_port);
}

static void reset(enum peer_mode m)
{
    mode = m;
    peer_in_len = 0;
    answered = false;
    n_got = n_open = n_closed = 0;
    closed_why[0] = 0;
}

static void test_good_peer(void)
{
    reset(PEER_GOOD);
    struct wsconn_target t = {.host = "127.0.0.1", .port = listen_port(), .path = "/ws", .protocol = "expo.v1",
                              .src_addr = "127.0.0.1"};
    const char *why = NULL;
    CHECK(wsconn_connect(&loop, &t, &cbs, NULL, &why) != NULL);
    uv_run(&loop, UV_RUN_DEFAULT);

    CHECK_INT(n_open, 1);
    CHECK_INT(n_got, 4);
    CHECK(got_len[0] == 5 && !memcmp(got[0], "hello", 5));
    CHECK(got_len[1] == 5 && !memcmp(got[1], "world", 5));
    CHECK(got_len[2] == 4 && !memcmp(got[2], "abcd", 4));
    CHECK_INT(got_len[3], BIG);
    bool same = true;
    for (int i = 0; i < BIG; i++) same = same && got[3][i] == (char)('a' + i % 26);
    CHECK(same);
    CHECK_INT(n_closed, 1);
    CHECK_STR(closed_why, "closed by the server");

    /* what the client wrote after the upgrade: "hi", two pongs, the close answer */
    const uint8_t *p = (const uint8_t *)peer_in, *end = p + peer_in_len;
    static const struct { uint8_t op; const char *payload; size_t n; } want[] = {
        {0x81, "hi", 2}, {0x8A, "p1", 2}, {0x8A, "p2", 2}, {0x88, "\x03\xe8", 2}};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        uint8_t op = 0;
        char out[126];
        size_t n = 0;
        CHECK_INT(client_frame(&p, end, &op, out, &n), 0);
        CHECK_INT(op, want[i].op);
        CHECK(n == want[i].n && !memcmp(out, want[i].payload, n));
    }
    CHECK(p == end);
}

static void test_bad_accept(void)
{
    reset(PEER_BAD_ACCEPT);
    struct wsconn_target t = {.host = "127.0.0.1", .port = listen_port(), .path = "/ws", .protocol = "expo.v1"};
    const char *why = NULL;
    CHECK(wsconn_connect(&loop, &t, &cbs, NULL, &why) != NULL);
    uv_run(&loop, UV_RUN_DEFAULT);
    CHECK_INT(n_open, 0);
    CHECK_INT(n_got, 0);
    CHECK_INT(n_closed, 1);
    CHECK_STR(closed_why, "wrong or missing Sec-WebSocket-Accept");
}

static void test_refused(void)
{
    reset(PEER_GOOD);
    int port = listen_port();                       /* a port that was free, closed again */
    uv_close((uv_handle_t *)&listener, NULL);
    uv_run(&loop, UV_RUN_DEFAULT);
    struct wsconn_target t = {.host = "127.0.0.1", .port = port, .path = "/ws", .protocol = "expo.v1"};
    const char *why = NULL;
    CHECK(wsconn_connect(&loop, &t, &cbs, NULL, &why) != NULL);
    uv_run(&loop, UV_RUN_DEFAULT);
    CHECK_INT(n_open, 0);
    CHECK_INT(n_closed, 1);
    CHECK_STR(closed_why, uv_strerror(UV_ECONNREFUSED));

    /* not an address: refused at once, and no callback ever runs */
    t.host = "localhost";
    CHECK(wsconn_connect(&loop, &t, &cbs, NULL, &why) == NULL);
    CHECK_STR(why, "not an IPv4 address");
    uv_run(&loop, UV_RUN_DEFAULT);
    CHECK_INT(n_closed, 1);

    /* killed while connecting: no callback either */
    reset(PEER_GOOD);
    t.host = "127.0.0.1";
    t.port = listen_port();
    struct wsconn *c = wsconn_connect(&loop, &t, &cbs, NULL, &why);
    CHECK(c != NULL);
    if (c) wsconn_kill(c);
    uv_close((uv_handle_t *)&listener, NULL);
    uv_run(&loop, UV_RUN_DEFAULT);
    CHECK_INT(n_open + n_closed, 0);
}

int main(void)
{
    uv_loop_init(&loop);
    uv_timer_init(&loop, &pacer);
    uv_unref((uv_handle_t *)&pacer);
    test_good_peer();
    test_bad_accept();
    test_refused();
    uv_close((uv_handle_t *)&pacer, NULL);
    uv_run(&loop, UV_RUN_DEFAULT);
    CHECK_INT(uv_loop_close(&loop), 0);
    free(script);
    return check_report("test_wsconn");
}
