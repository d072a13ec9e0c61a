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

static void new_request(struct wsmask *m)
{
    m->request_seen = m->is_ws_get = m->upgrade = false;
    m->content_length = 0;
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
    const char *l = m->line, *v;
    if (!m->request_seen) {
        if (!*l) return;                      /* blank lines before a request are allowed */
        m->request_seen = true;
        m->is_ws_get = !strncmp(l, "GET /ws ", 8) || !strncmp(l, "GET /ws?", 8);
        return;
    }
    if (!*l) {                                /* end of the headers */
        if (m->is_ws_get && m->upgrade) {
            m->mode = WSMASK_FRAMES;
            m->hdr_len = 0;
            m->hdr_need = 2;
            m->payload_left = 0;
        } else if (m->content_length) {
            m->mode = WSMASK_BODY;
            m->body_left = m->content_length;
        }
        new_request(m);
        return;
    }
    if (header_is(l, "upgrade", &v)) m->upgrade = contains_nocase(v, "websocket");
    else if (header_is(l, "content-length", &v)) m->content_length = strtoull(v, NULL, 10);
    else if (header_is(l, "transfer-encoding", &v)) m->mode = WSMASK_OFF;   /* not followed (refused anyway) */
}

/* One byte of a frame header; the header is complete when hdr_len reaches hdr_need. */
static void frame_header_byte(struct wsmask *m, uint8_t b)
{
    m->hdr[m->hdr_len++] = b;
    if (m->hdr_len == 2) {
        if (!(b & 0x80)) { m->unmasked = true; m->mode = WSMASK_OFF; return; }
        uint8_t len7 = b & 0x7f;
        m->hdr_need = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + 4;
    }
    if (m->hdr_len < m->hdr_need) return;
    uint8_t len7 = m->hdr[1] & 0x7f;
    uint64_t len = len7;
    if (len7 == 126) len = (uint64_t)m->hdr[2] << 8 | m->hdr[3];
    if (len7 == 127) {
        len = 0;
        for (int i = 0; i < 8; i++) len = len << 8 | m->hdr[2 + i];
    }
    m->payload_left = len;
    m->hdr_len = 0;
    m->hdr_need = 2;
}

bool wsmask_feed(struct wsmask *m, const uint8_t *buf, size_t n)
{
    size_t i = 0;
    while (i < n && m->mode != WSMASK_OFF) {
        switch (m->mode) {
        case WSMASK_HTTP: {
            uint8_t c = buf[i++];
            if (c == '\n') {
                size_t kept = m->line_len < WSMASK_LINE_KEEP - 1 ? m->line_len : WSMASK_LINE_KEEP - 1;
                if (kept && kept == m->line_len && m->line[kept - 1] == '\r') kept--;
                m->line[kept] = 0;
                m->line_len = 0;
                http_line(m);
            } else if (++m->line_len > WSMASK_LINE_MAX) {
                m->mode = WSMASK_OFF;         /* not an HTTP request we serve */
            } else if (m->line_len < WSMASK_LINE_KEEP) {
                m->line[m->line_len - 1] = (char)c;
            }
            break;
        }
        case WSMASK_BODY: {
            uint64_t take = n - i < m->body_left ? n - i : m->body_left;
            i += (size_t)take;
            m->body_left -= take;
            if (!m->body_left) m->mode = WSMASK_HTTP;
            break;
        }
        case WSMASK_FRAMES:
            if (m->payload_left) {
                uint64_t take = n - i < m->payload_left ? n - i : m->payload_left;
                i += (size_t)take;
                m->payload_left -= take;
            } else {
                frame_header_byte(m, buf[i++]);
            }
            break;
        case WSMASK_OFF:
            break;
        }
    }
    return m->unmasked;
}
