/* wsmask.c — see wsmask.h. */
#include "net/wsmask.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

void wsmask_init(struct wsmask *m)
{
    memset(m, 0, sizeof *m);
    m->mode = WSMASK_HTTP;
}

void wsmask_done(struct wsmask *m)
{
    free(m->http);
    memset(m, 0, sizeof *m);
}

/* Leaves the HTTP phase for `mode`: the line buffer is not needed any more. */
static void leave_http(struct wsmask *m, enum wsmask_mode mode)
{
    free(m->http);
    m->http = NULL;
    m->mode = mode;
}

/* Case-insensitive "needle in s" (Upgrade values are tokens such as "websocket"). */
static bool contains_nocase(const char *s, const char *needle)
{
    size_t n = strlen(needle);
    for (; *s; s++)
        if (!strncasecmp(s, needle, n)) return true;
    return false;
}

static bool header_is(const char *line, const char *name, const char **value)
{
    size_t n = strlen(name);
    if (strncasecmp(line, name, n) != 0 || line[n] != ':') return false;
    *value = line + n + 1;
    while (**value == ' ' || **value == '\t') (*value)++;
    return true;
}

/* One complete line of an HTTP request (without CR LF). */
static void http_line(struct wsmask *m)
{
    struct wsmask_http *h = m->http;
    const char *l = h->line, *v;
    if (!h->request_seen) {
        if (!*l) return;                      /* blank lines before a request are allowed */
        h->request_seen = true;
        h->is_ws_get = !strncmp(l, "GET /ws ", 8) || !strncmp(l, "GET /ws?", 8);
        return;
    }
    if (!*l) {                                /* end of the headers */
        if (h->is_ws_get && h->upgrade) {
            leave_http(m, WSMASK_FRAMES);
            m->hdr_pos = 0;
            m->hdr_need = 2;
            m->left = 0;
        } else if (h->content_length) {
            m->left = h->content_length;
            leave_http(m, WSMASK_BODY);       /* a new request after it starts a new line buffer */
        } else {
            memset(h, 0, sizeof *h);          /* the next request on this connection */
        }
        return;
    }
    if (header_is(l, "upgrade", &v)) h->upgrade = contains_nocase(v, "websocket");
    else if (header_is(l, "content-length", &v)) h->content_length = strtoull(v, NULL, 10);
    else if (header_is(l, "transfer-encoding", &v)) leave_http(m, WSMASK_OFF);   /* not followed (refused anyway) */
}

/* One byte of an HTTP request line. */
static void http_byte(struct wsmask *m, uint8_t c)
{
    if (!m->http && !(m->http = calloc(1, sizeof *m->http))) abort();
    struct wsmask_http *h = m->http;
    if (c == '\n') {
        size_t kept = h->line_len < WSMASK_LINE_KEEP - 1 ? h->line_len : WSMASK_LINE_KEEP - 1;
        if (kept && kept == h->line_len && h->line[kept - 1] == '\r') kept--;
        h->line[kept] = 0;
        h->line_len = 0;
        http_line(m);
    } else if (++h->line_len > WSMASK_LINE_MAX) {
        leave_http(m, WSMASK_OFF);            /* not an HTTP request we serve */
    } else if (h->line_len < WSMASK_LINE_KEEP) {
        h->line[h->line_len - 1] = (char)c;
    }
}

/* One byte of a frame header: 2 bytes, then 0, 2 or 8 of extended length (big-endian, read
 * into `left`), then the 4-byte mask key (skipped). */
static void frame_header_byte(struct wsmask *m, uint8_t b)
{
    uint8_t pos = m->hdr_pos++;
    if (pos == 1) {
        if (!(b & 0x80)) { m->unmasked = true; m->mode = WSMASK_OFF; return; }
        uint8_t len7 = b & 0x7f;
        m->left = len7 < 126 ? len7 : 0;
        m->hdr_need = (uint8_t)(2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + 4);
    } else if (pos >= 2 && pos < m->hdr_need - 4) {
        m->left = m->left << 8 | b;
    }
    if (m->hdr_pos == m->hdr_need) {          /* complete: `left` is now the payload to skip */
        m->hdr_pos = 0;
        m->hdr_need = 2;
    }
}

bool wsmask_feed(struct wsmask *m, const uint8_t *buf, size_t n)
{
    size_t i = 0;
    while (i < n && m->mode != WSMASK_OFF && m->mode != WSMASK_UNUSED) {
        switch (m->mode) {
        case WSMASK_HTTP:
            http_byte(m, buf[i++]);
            break;
        case WSMASK_BODY: {
            uint64_t take = n - i < m->left ? n - i : m->left;
            i += (size_t)take;
            m->left -= take;
            if (!m->left) m->mode = WSMASK_HTTP;
            break;
        }
        case WSMASK_FRAMES:
            if (m->hdr_pos == 0 && m->left) {
                uint64_t take = n - i < m->left ? n - i : m->left;
                i += (size_t)take;
                m->left -= take;
            } else {
                frame_header_byte(m, buf[i++]);
            }
            break;
        default:
            break;
        }
    }
    return m->unmasked;
}
