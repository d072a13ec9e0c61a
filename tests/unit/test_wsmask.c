/* Unit tests for net/wsmask.c: unmasked client frames are found after an upgrade, byte by
 * byte or in one piece; masked ones, payloads and plain HTTP requests are passed over. */
#include <stdlib.h>
#include "check.h"
#include "net/wsmask.h"

static const char UPGRADE[] =
    "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

/* A text frame of len bytes of 'a', masked or not, appended to out at *n. */
static void frame(uint8_t *out, size_t *n, size_t len, int masked)
{
    out[(*n)++] = 0x81;
    uint8_t m = masked ? 0x80 : 0;
    if (len < 126) out[(*n)++] = m | (uint8_t)len;
    else if (len < 65536) { out[(*n)++] = m | 126; out[(*n)++] = (uint8_t)(len >> 8); out[(*n)++] = (uint8_t)len; }
    else { out[(*n)++] = m | 127; for (int i = 7; i >= 0; i--) out[(*n)++] = (uint8_t)((uint64_t)len >> (8 * i)); }
    if (masked) for (int i = 0; i < 4; i++) out[(*n)++] = (uint8_t)(0x11 * (i + 1));
    for (size_t i = 0; i < len; i++) out[(*n)++] = masked ? (uint8_t)('a' ^ (0x11 * ((i & 3) + 1))) : 'a';
}

static bool feed_all(const uint8_t *b, size_t n, bool bytewise)
{
    struct wsmask m;
    wsmask_init(&m);
    bool r = false;
    if (bytewise) for (size_t i = 0; i < n; i++) r = wsmask_feed(&m, b + i, 1);
    else r = wsmask_feed(&m, b, n);
    if (m.mode == WSMASK_FRAMES) CHECK(m.http == NULL);   /* the line buffer went with the upgrade */
    wsmask_done(&m);
    CHECK(m.mode == WSMASK_UNUSED && m.http == NULL);
    return r;
}

int main(void)
{
    static uint8_t buf[200000];
    for (int bytewise = 0; bytewise < 2; bytewise++) {
        size_t n = 0;
        memcpy(buf, UPGRADE, sizeof UPGRADE - 1);
        n = sizeof UPGRADE - 1;
        frame(buf, &n, 5, 1);
        frame(buf, &n, 300, 1);           /* 16-bit length */
        frame(buf, &n, 70000, 1);         /* 64-bit length */
        CHECK(!feed_all(buf, n, bytewise));
        size_t masked_only = n;
        frame(buf, &n, 3, 0);             /* then an unmasked one */
        CHECK(feed_all(buf, n, bytewise));
        /* a payload that looks like an unmasked header is not a header */
        n = masked_only;
        buf[n++] = 0x81; buf[n++] = 0x80 | 2;
        buf[n++] = 0; buf[n++] = 0; buf[n++] = 0; buf[n++] = 0;  /* mask key 0: payload as is */
        buf[n++] = 0x81; buf[n++] = 0x01;
        CHECK(!feed_all(buf, n, bytewise));
    }
    /* plain HTTP (with a body, kept alive) is not WebSocket: nothing to judge */
    const char post[] = "POST /upload?booth=1 HTTP/1.1\r\nContent-Length: 4\r\n\r\n\x81\x01zz"
                        "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    CHECK(!feed_all((const uint8_t *)post, sizeof post - 1, false));
    /* an upgrade after a kept-alive request with a body is still followed */
    size_t n = 0;
    memcpy(buf, post, sizeof post - 1);
    n = sizeof post - 1;
    memcpy(buf + n, UPGRADE, sizeof UPGRADE - 1);
    n += sizeof UPGRADE - 1;
    frame(buf, &n, 2, 0);
    CHECK(feed_all(buf, n, true));
    /* a GET of another path with Upgrade is not ours; a very long line stops the watch */
    const char other[] = "GET /other HTTP/1.1\r\nUpgrade: websocket\r\n\r\n\x81\x01x";
    CHECK(!feed_all((const uint8_t *)other, sizeof other - 1, false));
    char *longline = malloc(20000);
    memset(longline, 'x', 20000);
    CHECK(!feed_all((const uint8_t *)longline, 20000, false));
    free(longline);
    /* the per-connection part is small (it sits in a table slot per descriptor, issue 15), and
     * a zeroed slot follows nothing */
    CHECK(sizeof(struct wsmask) <= 24);
    struct wsmask zero = {0};
    CHECK(!wsmask_feed(&zero, buf, n) && zero.http == NULL);
    /* an upgrade fed in two pieces: the line buffer exists between them, not after */
    struct wsmask m;
    wsmask_init(&m);
    wsmask_feed(&m, (const uint8_t *)UPGRADE, 20);
    CHECK(m.mode == WSMASK_HTTP && m.http != NULL);
    wsmask_feed(&m, (const uint8_t *)UPGRADE + 20, sizeof UPGRADE - 1 - 20);
    CHECK(m.mode == WSMASK_FRAMES && m.http == NULL);
    wsmask_done(&m);
    return check_report("test_wsmask");
}
