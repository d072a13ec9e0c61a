/* wsclient.c — see wsclient.h. Blocking in spirit (every call waits up to its timeout),
 * non-blocking underneath so that no call can hang past its deadline. What RFC 6455 says about
 * bytes (handshake, frame headers, masking) is wsproto's (tests/support); this file does the
 * socket, the waiting, reassembly and the close handshake. */
#include "wsclient.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define WS_WRITE_TIMEOUT_MS 10000
#define WS_MAX_HEAD 16384

const char *ws_strerror(int err)
{
    switch (err) {
    case WS_OK: return "ok";
    case WS_E_TIMEOUT: return "timeout";
    case WS_E_EOF: return "connection closed by peer";
    case WS_E_IO: return "socket error";
    case WS_E_PROTO: return "protocol violation by peer";
    case WS_E_REFUSED: return "upgrade refused";
    case WS_E_CLOSED: return "close frame already received";
    case WS_E_TOO_BIG: return "message too big";
    default: return "unknown error";
    }
}

/* ---- time and socket helpers ------------------------------------------------------------ */

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int remaining(int64_t deadline)
{
    int64_t r = deadline - now_ms();
    return r < 0 ? 0 : (int)r;
}

static void random_bytes(void *buf, size_t len)
{
    uint8_t *p = buf;
    while (len > 0) {
        ssize_t n = getrandom(p, len, 0);
        if (n <= 0) { /* never expected; fall back to something non-constant */
            for (size_t i = 0; i < len; i++) p[i] = (uint8_t)(rand() ^ (int)now_ms());
            return;
        }
        p += n; len -= (size_t)n;
    }
}

static int write_all(struct ws *w, const void *buf, size_t len)
{
    const uint8_t *p = buf;
    int64_t deadline = now_ms() + WS_WRITE_TIMEOUT_MS;
    while (len > 0) {
        ssize_t n = send(w->fd, p, len, MSG_NOSIGNAL);
        if (n > 0) { p += n; len -= (size_t)n; continue; }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            struct pollfd pfd = {.fd = w->fd, .events = POLLOUT};
            int ms = remaining(deadline);
            if (ms == 0) return WS_E_TIMEOUT;
            if (poll(&pfd, 1, ms) < 0 && errno != EINTR) { w->sys_errno = errno; return WS_E_IO; }
            continue;
        }
        w->sys_errno = errno;
        return WS_E_IO;
    }
    return WS_OK;
}

static void rbuf_reserve(struct ws *w, size_t extra)
{
    if (w->rlen + extra <= w->rcap) return;
    size_t cap = w->rcap ? w->rcap : 8192;
    while (cap < w->rlen + extra) cap *= 2;
    uint8_t *nb = realloc(w->rbuf, cap);
    if (!nb) abort();
    w->rbuf = nb;
    w->rcap = cap;
}

/* Reads whatever is available (waiting up to the deadline) into rbuf. */
static int fill(struct ws *w, int64_t deadline)
{
    for (;;) {
        rbuf_reserve(w, 65536);
        ssize_t n = recv(w->fd, w->rbuf + w->rlen, w->rcap - w->rlen, 0);
        if (n > 0) { w->rlen += (size_t)n; return WS_OK; }
        if (n == 0) return WS_E_EOF;
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            struct pollfd pfd = {.fd = w->fd, .events = POLLIN};
            int ms = remaining(deadline);
            if (ms == 0) return WS_E_TIMEOUT;
            int pr = poll(&pfd, 1, ms);
            if (pr < 0 && errno != EINTR) { w->sys_errno = errno; return WS_E_IO; }
            if (pr == 0) return WS_E_TIMEOUT;
            continue;
        }
        w->sys_errno = errno;
        /* A reset after the peer closed is an end of stream for our purposes. */
        return errno == ECONNRESET ? WS_E_EOF : WS_E_IO;
    }
}

static int need(struct ws *w, size_t n, int64_t deadline)
{
    while (w->rlen < n) {
        int r = fill(w, deadline);
        if (r != WS_OK) return r;
    }
    return WS_OK;
}

static void consume(struct ws *w, size_t n)
{
    memmove(w->rbuf, w->rbuf + n, w->rlen - n);
    w->rlen -= n;
}

/* ---- handshake ------------------------------------------------------------------------- */

/* Appends "name: value\r\n" to buf[0..*len) (cap bytes). Returns -1 when it does not fit. */
static int add_header(char *buf, size_t cap, size_t *len, const char *name, const char *value)
{
    int n = snprintf(buf + *len, cap - *len, "%s: %s\r\n", name, value);
    if (n < 0 || (size_t)n >= cap - *len) return -1;
    *len += (size_t)n;
    return 0;
}

int ws_connect(struct ws *w, const struct ws_connect_opts *o)
{
    memset(w, 0, sizeof *w);
    w->fd = -1;
    w->auto_pong = 1;
    w->max_message = 16u << 20;
    const char *host = o->host ? o->host : "127.0.0.1";
    const char *path = o->path ? o->path : "/ws";
    int timeout = o->timeout_ms > 0 ? o->timeout_ms : 5000;
    int64_t deadline = now_ms() + timeout;

    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)o->port)};
    if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) return WS_E_IO;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) { w->sys_errno = errno; return WS_E_IO; }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
        if (errno != EINPROGRESS) { w->sys_errno = errno; close(fd); return WS_E_IO; }
        struct pollfd pfd = {.fd = fd, .events = POLLOUT};
        if (poll(&pfd, 1, remaining(deadline)) <= 0) { close(fd); return WS_E_TIMEOUT; }
        int err = 0;
        socklen_t el = sizeof err;
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el);
        if (err) { w->sys_errno = err; close(fd); return WS_E_IO; }
    }
    w->fd = fd;

    uint8_t nonce[16];
    random_bytes(nonce, sizeof nonce);
    char key[WS_KEY_LEN + 1];
    ws_key_encode(nonce, key);

    char extra[4096], req[8192];
    size_t el = 0;
    extra[0] = '\0';
    int bad = o->origin && add_header(extra, sizeof extra, &el, "Origin", o->origin) < 0;
    for (const struct ws_header *h = o->headers; h && h->name && !bad; h++)
        bad = add_header(extra, sizeof extra, &el, h->name, h->value) < 0;
    int n = bad ? -1 : ws_request(req, sizeof req, host, o->port, path, key, o->protocol, extra);
    if (n < 0) { ws_close_socket(w); return WS_E_IO; }

    int r = write_all(w, req, (size_t)n);
    if (r != WS_OK) {
        /* The server may have refused us before reading: fall through and read its answer. */
    }

    /* Read the response head; anything after it already belongs to the frame stream. */
    size_t head_len = 0;
    for (;;) {
        const uint8_t *end = w->rlen ? memmem(w->rbuf, w->rlen, "\r\n\r\n", 4) : NULL; /* rbuf NULL at first */
        if (end) { head_len = (size_t)(end - w->rbuf) + 4; break; }
        if (w->rlen > WS_MAX_HEAD) { ws_close_socket(w); return WS_E_PROTO; }
        r = fill(w, deadline);
        if (r != WS_OK) {
            /* Closed (or timed out) without a complete answer: refused without a status,
             * unless we got at least a status line. */
            if (w->rlen > 12 && memcmp(w->rbuf, "HTTP/1.", 7) == 0)
                w->http_status = atoi((char *)w->rbuf + 9);
            ws_close_socket(w);
            return (r == WS_E_TIMEOUT) ? WS_E_TIMEOUT : WS_E_REFUSED;
        }
    }
    w->response_headers = malloc(head_len + 1);
    if (!w->response_headers) abort();
    memcpy(w->response_headers, w->rbuf, head_len);
    w->response_headers[head_len] = '\0';
    consume(w, head_len);

    const char *head = w->response_headers;
    if (strncmp(head, "HTTP/1.", 7) != 0 || strlen(head) < 12) { ws_close_socket(w); return WS_E_PROTO; }
    w->http_status = atoi(head + 9);
    if (w->http_status != 101) { ws_close_socket(w); return WS_E_REFUSED; }
    /* Upgrade, Connection, Sec-WebSocket-Accept for our key, the subprotocol we asked for (and
     * none if we asked for none), no extension. */
    if (ws_response_check(head, head_len, key, o->protocol, &w->proto_error) <= 0) {
        ws_close_socket(w);
        return WS_E_PROTO;
    }
    if (o->protocol) snprintf(w->protocol, sizeof w->protocol, "%.63s", o->protocol);
    return WS_OK;
}

/* ---- sending --------------------------------------------------------------------------- */

int ws_send_frame(struct ws *w, int fin, int opcode, const void *payload, size_t len,
                  int mask, int rsv)
{
    if (w->fd < 0) return WS_E_IO;
    uint8_t key[4];
    if (mask) random_bytes(key, 4);
    size_t hl = ws_frame_header_size(len, mask);
    uint8_t *f = malloc(hl + len + 1);
    if (!f) abort();
    uint8_t b0 = (uint8_t)((fin ? 0x80 : 0) | ((rsv & 7) << 4) | (opcode & 0x0F));
    ws_frame_header_write(f, b0, len, mask ? key : NULL);
    if (len) memcpy(f + hl, payload, len);
    if (mask) ws_mask(f + hl, len, key);
    int r = write_all(w, f, hl + len);
    free(f);
    return r;
}

int ws_send_text(struct ws *w, const char *text, size_t len)
{
    return ws_send_frame(w, 1, WS_OP_TEXT, text, len, 1, 0);
}

int ws_send_raw(struct ws *w, const void *buf, size_t len)
{
    if (w->fd < 0) return WS_E_IO;
    return write_all(w, buf, len);
}

int ws_send_close(struct ws *w, int code, const char *reason)
{
    if (w->close_sent) return WS_OK;
    uint8_t p[125];
    size_t len = 0;
    if (code > 0) {
        p[0] = (uint8_t)(code >> 8);
        p[1] = (uint8_t)code;
        len = 2;
        if (reason) {
            size_t rl = strlen(reason);
            if (rl > 123) rl = 123;
            memcpy(p + 2, reason, rl);
            len += rl;
        }
    }
    w->close_sent = 1;
    return ws_send_frame(w, 1, WS_OP_CLOSE, p, len, 1, 0);
}

/* ---- receiving ------------------------------------------------------------------------- */

static void frag_append(struct ws *w, const uint8_t *p, size_t len)
{
    if (w->frag_len + len + 1 > w->frag_cap) {
        size_t cap = w->frag_cap ? w->frag_cap : 4096;
        while (cap < w->frag_len + len + 1) cap *= 2;
        uint8_t *nb = realloc(w->frag, cap);
        if (!nb) abort();
        w->frag = nb;
        w->frag_cap = cap;
    }
    memcpy(w->frag + w->frag_len, p, len);
    w->frag_len += len;
}

static void msg_set(struct ws_msg *m, int opcode, const uint8_t *p, size_t len)
{
    m->opcode = opcode;
    m->data = malloc(len + 1);
    if (!m->data) abort();
    if (len) memcpy(m->data, p, len);
    m->data[len] = '\0';
    m->len = len;
    m->close_code = 0;
}

int ws_recv(struct ws *w, struct ws_msg *m, int timeout_ms, int want_pong)
{
    memset(m, 0, sizeof *m);
    if (w->close_received) return WS_E_CLOSED;
    if (w->fd < 0) return WS_E_EOF;
    int64_t deadline = now_ms() + (timeout_ms < 0 ? 0 : timeout_ms);
    for (;;) {
        /* The header by wsproto's rules for a server's frame: unmasked, no RSV bits, a known
         * opcode, control frames final and at most 125 bytes. */
        struct ws_frame f;
        int h, r;
        while ((h = ws_frame_parse(w->rbuf, w->rlen, &f)) == 0)
            if ((r = fill(w, deadline)) != WS_OK) return r;
        if (h < 0) {
            w->proto_error = "a frame header a server must not send (masked, RSV bits, unknown opcode, "
                             "or a control frame fragmented or over 125 bytes)";
            return WS_E_PROTO;
        }
        size_t hl = (size_t)h;
        if (f.len > w->max_message || w->frag_len + f.len > w->max_message) return WS_E_TOO_BIG;
        if ((r = need(w, hl + (size_t)f.len, deadline)) != WS_OK) return r;
        uint8_t *p = w->rbuf + hl;
        size_t plen = (size_t)f.len;
        int op = f.opcode, fin = f.fin;
        if (op & 0x08) {
            if (op == WS_OP_PING) {
                w->pings_received++;
                if (w->auto_pong && !w->close_sent) {
                    uint8_t copy[125];
                    memcpy(copy, p, plen);
                    consume(w, hl + plen);
                    r = ws_send_frame(w, 1, WS_OP_PONG, copy, plen, 1, 0);
                    if (r != WS_OK) return r;
                } else {
                    consume(w, hl + plen);
                }
                continue;
            }
            if (op == WS_OP_PONG) {
                w->pongs_received++;
                if (want_pong) {
                    msg_set(m, WS_OP_PONG, p, plen);
                    consume(w, hl + plen);
                    return WS_OK;
                }
                consume(w, hl + plen);
                continue;
            }
            /* WS_OP_CLOSE: the only other control opcode ws_frame_parse lets through */
            if (plen == 1) return WS_E_PROTO;
            int code = plen >= 2 ? (p[0] << 8 | p[1]) : 1005;
            size_t rl = plen >= 2 ? plen - 2 : 0;
            if (rl >= sizeof w->close_reason) rl = sizeof w->close_reason - 1;
            memcpy(w->close_reason, p + 2, rl);
            w->close_reason[rl] = '\0';
            w->close_code = code;
            w->close_received = 1;
            msg_set(m, WS_OP_CLOSE, p, plen);
            m->close_code = code;
            consume(w, hl + plen);
            if (!w->close_sent) ws_send_close(w, code == 1005 ? 0 : code, NULL);
            return WS_OK;
        }
        if (op == WS_OP_TEXT || op == WS_OP_BINARY) {
            if (w->frag_opcode) return WS_E_PROTO;
            if (fin) {
                msg_set(m, op, p, plen);
                consume(w, hl + plen);
                return WS_OK;
            }
            w->frag_opcode = op;
            w->frag_len = 0;
            frag_append(w, p, plen);
            consume(w, hl + plen);
            continue;
        }
        /* WS_OP_CONT: the only other data opcode ws_frame_parse lets through */
        if (!w->frag_opcode) return WS_E_PROTO;
        frag_append(w, p, plen);
        consume(w, hl + plen);
        if (fin) {
            msg_set(m, w->frag_opcode, w->frag, w->frag_len);
            w->frag_opcode = 0;
            w->frag_len = 0;
            return WS_OK;
        }
    }
}

int ws_wait_closed(struct ws *w, int timeout_ms, int *discarded)
{
    int64_t deadline = now_ms() + timeout_ms;
    if (discarded) *discarded = 0;
    for (;;) {
        if (w->close_received) return w->close_code;
        struct ws_msg m;
        int r = ws_recv(w, &m, remaining(deadline), 0);
        if (r == WS_OK) {
            int op = m.opcode, code = m.close_code;
            ws_msg_free(&m);
            if (op == WS_OP_CLOSE) return code;
            if (discarded) (*discarded)++;
            continue;
        }
        if (r == WS_E_TIMEOUT) return WS_E_TIMEOUT;
        if (r == WS_E_CLOSED) return w->close_code;
        return 0; /* EOF, reset, or garbage: the connection is gone without a close frame */
    }
}

int ws_close(struct ws *w, int code, int timeout_ms)
{
    if (w->fd < 0) return WS_E_EOF;
    int r = WS_OK;
    if (!w->close_sent) r = ws_send_close(w, code, NULL);
    int got = ws_wait_closed(w, timeout_ms, NULL);
    ws_close_socket(w);
    if (got == 0) return r == WS_OK ? WS_E_EOF : r;
    return got;
}

void ws_close_socket(struct ws *w)
{
    if (w->fd >= 0) close(w->fd);
    w->fd = -1;
    free(w->rbuf);
    w->rbuf = NULL;
    w->rlen = w->rcap = 0;
    free(w->frag);
    w->frag = NULL;
    w->frag_len = w->frag_cap = 0;
    w->frag_opcode = 0;
    free(w->response_headers);
    w->response_headers = NULL;
}

void ws_msg_free(struct ws_msg *m)
{
    free(m->data);
    m->data = NULL;
    m->len = 0;
}
