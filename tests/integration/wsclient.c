/* wsclient.c — see wsclient.h. Blocking in spirit (every call waits up to its timeout),
 * non-blocking underneath so that no call can hang past its deadline. */
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
#include <strings.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define WS_GUID "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
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

/* ---- SHA-1 (FIPS 180-4), just enough for Sec-WebSocket-Accept -------------------------- */

static uint32_t rol32(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

static void sha1_block(uint32_t h[5], const uint8_t *p)
{
    uint32_t w[80];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
    for (int i = 16; i < 80; i++)
        w[i] = rol32(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (int i = 0; i < 80; i++) {
        uint32_t f, k;
        if (i < 20) { f = (b & c) | (~b & d); k = 0x5A827999; }
        else if (i < 40) { f = b ^ c ^ d; k = 0x6ED9EBA1; }
        else if (i < 60) { f = (b & c) | (b & d) | (c & d); k = 0x8F1BBCDC; }
        else { f = b ^ c ^ d; k = 0xCA62C1D6; }
        uint32_t t = rol32(a, 5) + f + e + k + w[i];
        e = d; d = c; c = rol32(b, 30); b = a; a = t;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e;
}

void ws_sha1(const void *data, size_t len, uint8_t out[20])
{
    uint32_t h[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
    const uint8_t *p = data;
    size_t n = len;
    while (n >= 64) { sha1_block(h, p); p += 64; n -= 64; }
    uint8_t tail[128] = {0};
    memcpy(tail, p, n);
    tail[n] = 0x80;
    size_t tl = (n + 1 + 8 <= 64) ? 64 : 128;
    uint64_t bits = (uint64_t)len * 8;
    for (int i = 0; i < 8; i++) tail[tl - 1 - i] = (uint8_t)(bits >> (8 * i));
    sha1_block(h, tail);
    if (tl == 128) sha1_block(h, tail + 64);
    for (int i = 0; i < 5; i++) {
        out[4 * i] = (uint8_t)(h[i] >> 24); out[4 * i + 1] = (uint8_t)(h[i] >> 16);
        out[4 * i + 2] = (uint8_t)(h[i] >> 8); out[4 * i + 3] = (uint8_t)h[i];
    }
}

size_t ws_base64(const uint8_t *in, size_t len, char *out, size_t outlen)
{
    static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t need = 4 * ((len + 2) / 3) + 1, o = 0;
    if (outlen < need) return 0;
    for (size_t i = 0; i < len; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16;
        if (i + 1 < len) v |= (uint32_t)in[i + 1] << 8;
        if (i + 2 < len) v |= in[i + 2];
        out[o++] = tbl[(v >> 18) & 63];
        out[o++] = tbl[(v >> 12) & 63];
        out[o++] = i + 1 < len ? tbl[(v >> 6) & 63] : '=';
        out[o++] = i + 2 < len ? tbl[v & 63] : '=';
    }
    out[o] = '\0';
    return o;
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

/* Finds header `name` in a response head; copies its trimmed value. Returns 1 if found. */
static int find_header(const char *head, const char *name, char *out, size_t outlen)
{
    size_t nl = strlen(name);
    const char *line = strstr(head, "\r\n");
    while (line) {
        line += 2;
        const char *eol = strstr(line, "\r\n");
        if (!eol || eol == line) break;
        if ((size_t)(eol - line) > nl && strncasecmp(line, name, nl) == 0 && line[nl] == ':') {
            const char *v = line + nl + 1;
            while (v < eol && (*v == ' ' || *v == '\t')) v++;
            const char *e = eol;
            while (e > v && (e[-1] == ' ' || e[-1] == '\t')) e--;
            size_t vl = (size_t)(e - v);
            if (vl >= outlen) vl = outlen - 1;
            memcpy(out, v, vl);
            out[vl] = '\0';
            return 1;
        }
        line = eol;
    }
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
    char key[32];
    ws_base64(nonce, sizeof nonce, key, sizeof key);

    char req[8192];
    int n = snprintf(req, sizeof req,
                     "GET %s HTTP/1.1\r\n"
                     "Host: %s:%d\r\n"
                     "Upgrade: websocket\r\n"
                     "Connection: Upgrade\r\n"
                     "Sec-WebSocket-Key: %s\r\n"
                     "Sec-WebSocket-Version: 13\r\n",
                     path, host, o->port, key);
    if (o->protocol)
        n += snprintf(req + n, sizeof req - (size_t)n, "Sec-WebSocket-Protocol: %s\r\n", o->protocol);
    if (o->origin)
        n += snprintf(req + n, sizeof req - (size_t)n, "Origin: %s\r\n", o->origin);
    for (const struct ws_header *h = o->headers; h && h->name; h++)
        n += snprintf(req + n, sizeof req - (size_t)n, "%s: %s\r\n", h->name, h->value);
    n += snprintf(req + n, sizeof req - (size_t)n, "\r\n");
    if ((size_t)n >= sizeof req) { ws_close_socket(w); return WS_E_IO; }

    int r = write_all(w, req, (size_t)n);
    if (r != WS_OK) {
        /* The server may have refused us before reading: fall through and read its answer. */
    }

    /* Read the response head; anything after it already belongs to the frame stream. */
    size_t head_len = 0;
    for (;;) {
        if (w->rlen >= 4) {
            for (size_t i = 0; i + 3 < w->rlen; i++) {
                if (memcmp(w->rbuf + i, "\r\n\r\n", 4) == 0) { head_len = i + 4; break; }
            }
            if (head_len) break;
        }
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

    char val[256];
    if (!find_header(head, "Upgrade", val, sizeof val) || strcasecmp(val, "websocket") != 0) {
        ws_close_socket(w);
        return WS_E_PROTO;
    }
    char concat[64 + sizeof WS_GUID];
    snprintf(concat, sizeof concat, "%s%s", key, WS_GUID);
    uint8_t digest[20];
    ws_sha1(concat, strlen(concat), digest);
    char expect[40];
    ws_base64(digest, sizeof digest, expect, sizeof expect);
    if (!find_header(head, "Sec-WebSocket-Accept", val, sizeof val) || strcmp(val, expect) != 0) {
        ws_close_socket(w);
        return WS_E_PROTO;
    }
    if (find_header(head, "Sec-WebSocket-Protocol", val, sizeof val))
        snprintf(w->protocol, sizeof w->protocol, "%.63s", val);
    if (o->protocol && w->protocol[0] == '\0') { ws_close_socket(w); return WS_E_PROTO; }
    return WS_OK;
}

/* ---- sending --------------------------------------------------------------------------- */

int ws_send_frame(struct ws *w, int fin, int opcode, const void *payload, size_t len,
                  int mask, int rsv)
{
    if (w->fd < 0) return WS_E_IO;
    size_t hl = 2 + (len >= 126 ? (len > 0xFFFF ? 8 : 2) : 0) + (mask ? 4 : 0);
    uint8_t *f = malloc(hl + len + 1);
    if (!f) abort();
    size_t i = 0;
    f[i++] = (uint8_t)((fin ? 0x80 : 0) | ((rsv & 7) << 4) | (opcode & 0x0F));
    uint8_t mbit = mask ? 0x80 : 0;
    if (len < 126) {
        f[i++] = (uint8_t)(mbit | len);
    } else if (len <= 0xFFFF) {
        f[i++] = mbit | 126;
        f[i++] = (uint8_t)(len >> 8);
        f[i++] = (uint8_t)len;
    } else {
        f[i++] = mbit | 127;
        for (int s = 7; s >= 0; s--) f[i++] = (uint8_t)((uint64_t)len >> (8 * s));
    }
    uint8_t key[4] = {0};
    if (mask) {
        random_bytes(key, 4);
        memcpy(f + i, key, 4);
        i += 4;
    }
    const uint8_t *p = payload;
    for (size_t k = 0; k < len; k++) f[i + k] = mask ? (uint8_t)(p[k] ^ key[k & 3]) : p[k];
    int r = write_all(w, f, i + len);
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
        int r = need(w, 2, deadline);
        if (r != WS_OK) return r;
        uint8_t b0 = w->rbuf[0], b1 = w->rbuf[1];
        int fin = b0 & 0x80, rsv = b0 & 0x70, op = b0 & 0x0F, masked = b1 & 0x80;
        size_t hl = 2 + ((b1 & 0x7F) == 126 ? 2 : (b1 & 0x7F) == 127 ? 8 : 0) + (masked ? 4 : 0);
        if ((r = need(w, hl, deadline)) != WS_OK) return r;
        uint64_t len = b1 & 0x7F;
        if (len == 126) len = (uint64_t)w->rbuf[2] << 8 | w->rbuf[3];
        else if (len == 127) {
            len = 0;
            for (int i = 0; i < 8; i++) len = len << 8 | w->rbuf[2 + i];
        }
        if (rsv) return WS_E_PROTO;
        if (len > w->max_message || w->frag_len + len > w->max_message) return WS_E_TOO_BIG;
        if ((r = need(w, hl + (size_t)len, deadline)) != WS_OK) return r;
        uint8_t *p = w->rbuf + hl;
        if (masked) { /* servers must not mask; tolerate it */
            const uint8_t *k = w->rbuf + hl - 4;
            for (size_t i = 0; i < len; i++) p[i] ^= k[i & 3];
        }
        size_t plen = (size_t)len;
        if (op >= 0x8) {
            if (!fin || plen > 125) return WS_E_PROTO;
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
            if (op == WS_OP_CLOSE) {
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
            return WS_E_PROTO;
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
        if (op == WS_OP_CONT) {
            if (!w->frag_opcode) return WS_E_PROTO;
            frag_append(w, p, plen);
            consume(w, hl + plen);
            if (fin) {
                msg_set(m, w->frag_opcode, w->frag, w->frag_len);
                w->frag_opcode = 0;
                w->frag_len = 0;
                return WS_OK;
            }
            continue;
        }
        return WS_E_PROTO;
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
