/* wsconn.c — see wsconn.h. */
#include "wsconn.h"

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define READ_BUF (64 * 1024)

enum cstate { C_CONNECTING, C_HANDSHAKE, C_OPEN, C_GONE };

struct wsconn {
    uv_tcp_t tcp;                   /* tcp.data = this */
    uv_connect_t creq;
    const struct wsconn_cbs *cbs;
    void *user;
    bool quiet;                     /* the caller is gone (killed, or told of the close) */
    uint8_t state;
    bool in_msg;                    /* a fragmented message is being assembled in msg */
    char key[WS_KEY_LEN + 1];
    const char *protocol;
    char *req;                      /* the upgrade request, until it is written */
    size_t req_len;
    char *in;                       /* unparsed bytes carried over to the next read */
    size_t in_len, in_cap;
    char *msg;                      /* fragments so far of an unfinished message */
    size_t msg_len, msg_cap;
};

/* A frame (or its tail) the socket did not take at once; freed when written or cancelled. */
struct wreq {
    uv_write_t req;
    struct wsconn *c;
    size_t len;
    char data[];
};

/* One read buffer for every connection of the process: libuv calls alloc then read for one
 * handle at a time on this thread, and read_cb consumes or copies all of it before returning. */
static char read_buf[READ_BUF];

/* Mask keys and handshake nonces come from xorshift64*, not a cryptographic source. Masking
 * keeps browser scripts from steering bytes on the wire past proxies; the generator talks to
 * its own server over loopback, so unpredictability buys nothing and a getrandom() per frame
 * would be measurable at 100,000 frames/s. boothd only checks that frames are masked. */
static uint64_t prng_state;

static uint64_t prng_next(void)
{
    if (!prng_state) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        prng_state = ((uint64_t)ts.tv_nsec << 20 ^ (uint64_t)ts.tv_sec ^ (uint64_t)getpid() << 40) | 1;
    }
    prng_state ^= prng_state >> 12;
    prng_state ^= prng_state << 25;
    prng_state ^= prng_state >> 27;
    return prng_state * 0x2545F4914F6CDD1Dull;
}

static void grow(char **buf, size_t *cap, size_t need)
{
    if (need <= *cap) return;
    size_t c = *cap ? *cap : 4096;
    while (c < need) c *= 2;
    *buf = realloc(*buf, c);
    if (!*buf) abort();
    *cap = c;
}

static void on_handle_closed(uv_handle_t *h)
{
    struct wsconn *c = h->data;
    free(c->req);
    free(c->in);
    free(c->msg);
    free(c);
}

/* The end, for every reason but wsconn_kill: close the handle, then tell the caller once. */
static void fail(struct wsconn *c, const char *why)
{
    if (c->state == C_GONE) return;
    c->state = C_GONE;
    uv_close((uv_handle_t *)&c->tcp, on_handle_closed);
    if (c->quiet) return;
    c->quiet = true;
    if (c->cbs->on_closed) c->cbs->on_closed(c, c->user, why);
}

static void on_written(uv_write_t *req, int status)
{
    struct wreq *w = (struct wreq *)req;
    struct wsconn *c = w->c;
    free(w);
    if (status < 0 && status != UV_ECANCELED) fail(c, uv_strerror(status));
}

/* Writes p[0..n) now if the socket takes it, else queues the rest behind earlier writes
 * (uv_try_write refuses while anything is queued, so order holds). A write error is left for
 * the queued write to report, from the loop rather than from inside the caller. */
static void write_bytes(struct wsconn *c, const char *p, size_t n)
{
    uv_buf_t b = uv_buf_init((char *)p, (unsigned)n);
    int k = uv_try_write((uv_stream_t *)&c->tcp, &b, 1);
    if (k >= 0 && (size_t)k == n) return;
    if (k < 0) k = 0;
    struct wreq *w = malloc(sizeof *w + n - (size_t)k);
    if (!w) abort();
    w->c = c;
    w->len = n - (size_t)k;
    memcpy(w->data, p + k, w->len);
    b = uv_buf_init(w->data, (unsigned)w->len);
    int rc = uv_write(&w->req, (uv_stream_t *)&c->tcp, &b, 1, on_written);
    if (rc < 0) {
        free(w);
        fail(c, uv_strerror(rc));
    }
}

static void send_frame(struct wsconn *c, enum ws_opcode op, uint8_t *payload, size_t len)
{
    uint64_t r = prng_next();
    uint8_t mask[4];
    memcpy(mask, &r, 4);
    size_t h = ws_frame_header_before(payload, op, len, mask);
    ws_mask(payload, len, mask);
    write_bytes(c, (const char *)payload - h, h + len);
}

int wsconn_send_text(struct wsconn *c, char *payload, size_t len)
{
    if (c->state != C_OPEN) return -1;
    send_frame(c, WS_TEXT, (uint8_t *)payload, len);
    return 0;
}

static void send_control(struct wsconn *c, enum ws_opcode op, const uint8_t *payload, size_t len)
{
    uint8_t buf[WS_MAX_HDR + 125];
    memcpy(buf + WS_MAX_HDR, payload, len);     /* the parser caps control payloads at 125 */
    send_frame(c, op, buf + WS_MAX_HDR, len);
}

static void deliver(struct wsconn *c, const char *p, size_t n)
{
    if (!c->quiet) c->cbs->on_message(c, c->user, p, n);
}

/* Handles one complete frame. The connection may be gone afterwards. */
static void on_frame(struct wsconn *c, const struct ws_frame *f, const uint8_t *payload)
{
    size_t len = (size_t)f->len;
    switch (f->opcode) {
    case WS_TEXT:
    case WS_BINARY:
        if (c->in_msg) { fail(c, "a new message inside a fragmented one"); return; }
        if (f->fin) { deliver(c, (const char *)payload, len); return; }
        /* the first fragment is stored like the ones after it */
        c->in_msg = true;
        c->msg_len = 0;
        /* fall through */
    case WS_CONT:
        if (!c->in_msg) { fail(c, "a continuation without a message"); return; }
        if (c->msg_len + len > WSCONN_MAX_MESSAGE) { fail(c, "message too big"); return; }
        grow(&c->msg, &c->msg_cap, c->msg_len + len);
        memcpy(c->msg + c->msg_len, payload, len);
        c->msg_len += len;
        if (!f->fin) return;
        c->in_msg = false;
        deliver(c, c->msg, c->msg_len);
        if (c->msg_cap > 65536 && c->state != C_GONE) { free(c->msg); c->msg = NULL; c->msg_cap = 0; }
        return;
    case WS_PING:
        send_control(c, WS_PONG, payload, len);
        return;
    case WS_PONG:
        return;
    case WS_CLOSE:
        /* answer with the server's status code, then close. If the socket does not take the
         * answer at once, closing the handle drops it: the server is closing anyway. */
        send_control(c, WS_CLOSE, payload, len >= 2 ? 2 : 0);
        fail(c, "closed by the server");
        return;
    default:
        fail(c, "unknown opcode");     /* ws_frame_parse already refuses these */
        return;
    }
}

/* Consumes what it can of p[0..n): the 101 while handshaking, then whole frames. Returns the
 * bytes consumed; the rest is an incomplete head or frame. The connection may be gone. */
static size_t consume(struct wsconn *c, const char *p, size_t n)
{
    size_t off = 0;
    if (c->state == C_HANDSHAKE) {
        const char *why = NULL;
        int h = ws_response_check(p, n, c->key, c->protocol, &why);
        if (h < 0) { fail(c, why); return n; }
        if (h == 0) return 0;
        off = (size_t)h;
        c->state = C_OPEN;
        if (!c->quiet && c->cbs->on_open) c->cbs->on_open(c, c->user);
    }
    while (c->state == C_OPEN && off < n) {
        struct ws_frame f;
        int h = ws_frame_parse((const uint8_t *)p + off, n - off, &f);
        if (h < 0) { fail(c, "protocol error in a server frame"); return n; }
        if (h == 0) break;
        if (f.len > WSCONN_MAX_MESSAGE) { fail(c, "message too big"); return n; }
        if (n - off - (size_t)h < f.len) break;
        on_frame(c, &f, (const uint8_t *)p + off + h);
        off += (size_t)h + (size_t)f.len;
    }
    return off;
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    (void)h;
    (void)suggested;
    *buf = uv_buf_init(read_buf, sizeof read_buf);
}

static void on_read(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf)
{
    struct wsconn *c = stream->data;
    if (nread == 0 || c->state == C_GONE) return;
    if (nread < 0) {
        fail(c, nread == UV_EOF ? "closed by the server (EOF)" : uv_strerror((int)nread));
        return;
    }
    size_t n = (size_t)nread;
    if (c->in_len) {
        /* a frame was split: complete it in the connection's own buffer */
        grow(&c->in, &c->in_cap, c->in_len + n);
        memcpy(c->in + c->in_len, buf->base, n);
        c->in_len += n;
        size_t used = consume(c, c->in, c->in_len);
        if (c->state == C_GONE) return;
        c->in_len -= used;
        memmove(c->in, c->in + used, c->in_len);
        if (!c->in_len && c->in_cap > 65536) { free(c->in); c->in = NULL; c->in_cap = 0; }
        return;
    }
    size_t used = consume(c, buf->base, n);
    if (c->state == C_GONE || used == n) return;
    grow(&c->in, &c->in_cap, n - used);
    memcpy(c->in, buf->base + used, n - used);
    c->in_len = n - used;
}

static void on_connect(uv_connect_t *req, int status)
{
    struct wsconn *c = req->handle->data;
    if (status == UV_ECANCELED || c->state == C_GONE) return;
    if (status < 0) { fail(c, uv_strerror(status)); return; }
    uv_tcp_nodelay(&c->tcp, 1);
    c->state = C_HANDSHAKE;
    int rc = uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read);
    if (rc < 0) { fail(c, uv_strerror(rc)); return; }
    write_bytes(c, c->req, c->req_len);
    free(c->req);
    c->req = NULL;
}

struct wsconn *wsconn_connect(uv_loop_t *loop, const struct wsconn_target *t, const struct wsconn_cbs *cbs,
                              void *user, const char **why)
{
    struct sockaddr_in dst, src;
    if (uv_ip4_addr(t->host, t->port, &dst) || (t->src_addr && uv_ip4_addr(t->src_addr, 0, &src))) {
        *why = "not an IPv4 address";
        return NULL;
    }
    struct wsconn *c = calloc(1, sizeof *c);
    if (!c) abort();
    c->cbs = cbs;
    c->user = user;
    c->protocol = t->protocol;
    uint8_t nonce[16];
    uint64_t r[2] = {prng_next(), prng_next()};
    memcpy(nonce, r, sizeof nonce);
    ws_key_encode(nonce, c->key);
    char req[512];
    int n = ws_request(req, sizeof req, t->host, t->port, t->path, c->key, t->protocol, NULL);
    if (n < 0) {
        free(c);
        *why = "upgrade request too long";
        return NULL;
    }
    c->req = malloc((size_t)n);
    if (!c->req) abort();
    memcpy(c->req, req, (size_t)n);
    c->req_len = (size_t)n;

    /* The socket is made at once (init_ex) so that, bound to a source address, it can take
     * IP_BIND_ADDRESS_NO_PORT first: a bind to port 0 otherwise picks the ephemeral port at bind
     * time, searching the ports in use for one free for ANY destination, which grows with every
     * open connection (tens of thousands here); with the option the port is picked at connect,
     * per destination. */
    int rc = uv_tcp_init_ex(loop, &c->tcp, AF_INET);
    if (rc < 0) {
        free(c->req);
        free(c);
        *why = uv_strerror(rc);
        return NULL;
    }
    c->tcp.data = c;
    if (t->src_addr) {
        uv_os_fd_t fd;
        int one = 1;
        if (uv_fileno((uv_handle_t *)&c->tcp, &fd) == 0)
            setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
        rc = uv_tcp_bind(&c->tcp, (const struct sockaddr *)&src, 0);
    }
    if (!rc) rc = uv_tcp_connect(&c->creq, &c->tcp, (const struct sockaddr *)&dst, on_connect);
    if (rc < 0) {
        *why = uv_strerror(rc);
        c->state = C_GONE;
        uv_close((uv_handle_t *)&c->tcp, on_handle_closed);
        return NULL;
    }
    return c;
}

void wsconn_kill(struct wsconn *c)
{
    c->quiet = true;
    if (c->state == C_GONE) return;
    c->state = C_GONE;
    uv_close((uv_handle_t *)&c->tcp, on_handle_closed);
}
