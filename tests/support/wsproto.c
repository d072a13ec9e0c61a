/* wsproto.c — see wsproto.h. */
#include "wsproto.h"

#include <openssl/evp.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define WS_GUID "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
#define MAX_RESPONSE_HEAD 8192      /* boothd's 101 is ~200 bytes */

int ws_frame_parse(const uint8_t *p, size_t n, struct ws_frame *f)
{
    if (n < 2) return 0;
    f->fin = p[0] & 0x80;
    f->opcode = p[0] & 0x0f;
    f->masked = p[1] & 0x80;
    if (p[0] & 0x70) return -1;                     /* RSV1-3: no extension negotiated */
    if (f->masked) return -1;                       /* a server never masks */
    bool control = f->opcode & 0x08;
    if (control ? f->opcode > WS_PONG : f->opcode > WS_BINARY) return -1;
    uint64_t len = p[1] & 0x7f;
    size_t h = 2;
    if (len == 126) {
        if (n < 4) return 0;
        len = (uint64_t)p[2] << 8 | p[3];
        h = 4;
    } else if (len == 127) {
        if (n < 10) return 0;
        len = 0;
        for (int i = 0; i < 8; i++) len = len << 8 | p[2 + i];
        if (len >> 63) return -1;
        h = 10;
    }
    if (control && (!f->fin || len > 125)) return -1;
    f->len = len;
    f->hdr_len = h;
    memset(f->mask, 0, sizeof f->mask);
    return (int)h;
}

size_t ws_frame_header_size(uint64_t len, bool masked)
{
    return (len < 126 ? 2 : len <= 0xffff ? 4 : 10) + (masked ? 4 : 0);
}

size_t ws_frame_header_write(uint8_t *out, uint8_t b0, uint64_t len, const uint8_t *mask)
{
    uint8_t mbit = mask ? 0x80 : 0;
    size_t h = 2;
    out[0] = b0;
    if (len < 126) {
        out[1] = (uint8_t)(mbit | len);
    } else if (len <= 0xffff) {
        out[1] = mbit | 126;
        out[2] = (uint8_t)(len >> 8);
        out[3] = (uint8_t)len;
        h = 4;
    } else {
        out[1] = mbit | 127;
        for (int i = 0; i < 8; i++) out[2 + i] = (uint8_t)(len >> (56 - 8 * i));
        h = 10;
    }
    if (mask) {
        memcpy(out + h, mask, 4);
        h += 4;
    }
    return h;
}

size_t ws_frame_header_before(uint8_t *end, enum ws_opcode op, uint64_t len, const uint8_t mask[4])
{
    size_t h = ws_frame_header_size(len, true);
    ws_frame_header_write(end - h, (uint8_t)(0x80 | op), len, mask);
    return h;
}

void ws_mask(uint8_t *p, size_t n, const uint8_t mask[4])
{
    /* eight bytes at a time: the key repeats every 4, so a doubled key lines up */
    uint64_t k8;
    uint8_t kk[8] = {mask[0], mask[1], mask[2], mask[3], mask[0], mask[1], mask[2], mask[3]};
    memcpy(&k8, kk, 8);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t v;
        memcpy(&v, p + i, 8);
        v ^= k8;
        memcpy(p + i, &v, 8);
    }
    for (; i < n; i++) p[i] ^= mask[i & 3];
}

void ws_key_encode(const uint8_t nonce[16], char out[WS_KEY_LEN + 1])
{
    EVP_EncodeBlock((unsigned char *)out, nonce, 16);
}

void ws_accept_for(const char *key, char out[WS_ACCEPT_LEN + 1])
{
    char buf[128];
    int n = snprintf(buf, sizeof buf, "%s" WS_GUID, key);
    unsigned char md[SHA_DIGEST_LENGTH];
    SHA1((const unsigned char *)buf, n > 0 && (size_t)n < sizeof buf ? (size_t)n : 0, md);
    EVP_EncodeBlock((unsigned char *)out, md, SHA_DIGEST_LENGTH);
}

int ws_request(char *out, size_t cap, const char *host, int port, const char *path, const char *key,
               const char *protocol, const char *extra_headers)
{
    int n = snprintf(out, cap,
                     "GET %s HTTP/1.1\r\n"
                     "Host: %s:%d\r\n"
                     "Upgrade: websocket\r\n"
                     "Connection: Upgrade\r\n"
                     "Sec-WebSocket-Key: %s\r\n"
                     "Sec-WebSocket-Version: 13\r\n"
                     "%s%s%s"
                     "%s"
                     "\r\n",
                     path, host, port, key, protocol ? "Sec-WebSocket-Protocol: " : "",
                     protocol ? protocol : "", protocol ? "\r\n" : "", extra_headers ? extra_headers : "");
    return n < 0 || (size_t)n >= cap ? -1 : n;
}

/* Does the comma-separated header value v[0..n) hold the token tok (case-insensitive)? */
static bool has_token(const char *v, size_t n, const char *tok)
{
    size_t tl = strlen(tok);
    for (size_t i = 0; i < n;) {
        while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == ',')) i++;
        size_t j = i;
        while (j < n && v[j] != ',') j++;
        size_t e = j;
        while (e > i && (v[e - 1] == ' ' || v[e - 1] == '\t')) e--;
        if (e - i == tl && !strncasecmp(v + i, tok, tl)) return true;
        i = j;
    }
    return false;
}

static bool value_is(const char *v, size_t n, const char *want, bool nocase)
{
    size_t wl = strlen(want);
    return n == wl && (nocase ? !strncasecmp(v, want, wl) : !memcmp(v, want, wl));
}

int ws_response_check(const char *p, size_t n, const char *key, const char *protocol, const char **why)
{
    static const char *dummy;
    if (!why) why = &dummy;
    const char *end = memmem(p, n, "\r\n\r\n", 4);
    if (!end) {
        *why = "response head too long";
        return n > MAX_RESPONSE_HEAD ? -1 : 0;
    }
    size_t head = (size_t)(end - p) + 4;
    if (n < 12 || memcmp(p, "HTTP/1.1 ", 9) || memcmp(p + 9, "101", 3) || (head > 12 && p[12] != ' ' && p[12] != '\r')) {
        *why = "status is not 101";
        return -1;
    }
    char accept[WS_ACCEPT_LEN + 1];
    ws_accept_for(key, accept);
    bool upgrade = false, connection = false, accepted = false, proto = !protocol;
    const char *line = memchr(p, '\n', head) + 1;   /* after the status line */
    while (line < end) {
        const char *eol = memchr(line, '\r', (size_t)(end + 2 - line));
        const char *colon = memchr(line, ':', (size_t)(eol - line));
        if (!colon) { *why = "malformed header line"; return -1; }
        size_t nl = (size_t)(colon - line);
        const char *v = colon + 1;
        while (v < eol && (*v == ' ' || *v == '\t')) v++;
        size_t vl = (size_t)(eol - v);
        while (vl && (v[vl - 1] == ' ' || v[vl - 1] == '\t')) vl--;
#define NAME_IS(s) (nl == sizeof(s) - 1 && !strncasecmp(line, s, nl))
        if (NAME_IS("Upgrade")) upgrade = value_is(v, vl, "websocket", true);
        else if (NAME_IS("Connection")) connection = has_token(v, vl, "upgrade");
        else if (NAME_IS("Sec-WebSocket-Accept")) accepted = value_is(v, vl, accept, false);
        else if (NAME_IS("Sec-WebSocket-Protocol")) {
            if (!protocol && vl) { *why = "a protocol we did not ask for"; return -1; }
            proto = !protocol || value_is(v, vl, protocol, false);
        }
        else if (NAME_IS("Sec-WebSocket-Extensions") && vl) { *why = "an extension we did not offer"; return -1; }
#undef NAME_IS
        line = eol + 2;
    }
    if (!upgrade) { *why = "no Upgrade: websocket"; return -1; }
    if (!connection) { *why = "no Connection: Upgrade"; return -1; }
    if (!accepted) { *why = "wrong or missing Sec-WebSocket-Accept"; return -1; }
    if (!proto) { *why = "wrong or missing Sec-WebSocket-Protocol"; return -1; }
    return (int)head;
}
