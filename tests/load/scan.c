/* scan.c — see scan.h. */
#include "scan.h"

#include <stdio.h>
#include <string.h>

size_t marker_format(char *out, size_t size, const struct marker *m)
{
    int n = snprintf(out, 64, "lt%lld.%d.%lld.%d", (long long)m->planned_us, m->step,
                     (long long)m->sender, m->node);
    size_t len = (size_t)n;
    if (len < size) {
        out[len++] = ' ';
        while (len < size) out[len++] = 'x';
    }
    out[len] = 0;
    return len;
}

/* Parses a non-negative decimal at *p (bounded by end); advances *p. -1 if none. */
static int parse_u(const char **p, const char *end, int64_t *out)
{
    const char *s = *p;
    int64_t v = 0;
    if (s >= end || *s < '0' || *s > '9') return -1;
    while (s < end && *s >= '0' && *s <= '9') {
        if (v > (INT64_MAX - 9) / 10) return -1;
        v = v * 10 + (*s++ - '0');
    }
    *p = s;
    *out = v;
    return 0;
}

int marker_parse(const char *text, size_t len, struct marker *m)
{
    const char *p = text, *end = text + len;
    int64_t v[4];
    if (len < 2 || p[0] != 'l' || p[1] != 't') return -1;
    p += 2;
    for (int i = 0; i < 4; i++) {
        if (parse_u(&p, end, &v[i])) return -1;
        if (i < 3) {
            if (p >= end || *p != '.') return -1;
            p++;
        }
    }
    if (p < end && *p != ' ') return -1;
    if (v[1] > 1000000 || v[3] > 1000000) return -1;
    m->planned_us = v[0];
    m->step = (int)v[1];
    m->sender = v[2];
    m->node = (int)v[3];
    return 0;
}

static int starts(const char *buf, size_t len, const char *lit)
{
    size_t l = strlen(lit);
    return len >= l && memcmp(buf, lit, l) == 0;
}

enum inbound_kind scan_kind(const char *buf, size_t len)
{
    if (starts(buf, len, "{\"type\":\"chat.message\"")) return IN_CHAT;
    if (starts(buf, len, "{\"type\":\"presence.changed\"")) return IN_PRESENCE;
    if (starts(buf, len, "{\"type\":")) return IN_OTHER_EVENT;
    if (starts(buf, len, "{\"id\":")) return IN_REPLY;
    return IN_JUNK;
}

/* Finds the key "name" (followed by optional spaces and a colon) at or after from; returns
 * a pointer just past the colon and any spaces, or NULL. */
static const char *find_key(const char *from, const char *end, const char *name)
{
    size_t nl = strlen(name);
    const char *p = from;
    while (p < end) {
        const char *q = memmem(p, (size_t)(end - p), name, nl);
        if (!q) return NULL;
        const char *r = q + nl;
        while (r < end && *r == ' ') r++;
        if (r < end && *r == ':') {
            r++;
            while (r < end && *r == ' ') r++;
            return r;
        }
        p = q + 1;
    }
    return NULL;
}

/* find_key() from `after` (the server writes a message's keys in one order: booth_id, seq,
 * id, author, text, sent_at), else from `from`: each key is searched for once instead of
 * from the message's start (the searches were the generator's largest item in perf). */
static const char *find_key_after(const char *after, const char *from, const char *end, const char *name)
{
    const char *p = find_key(after, end, name);
    return p ? p : find_key(from, end, name);
}

int scan_chat_event(const char *buf, size_t len, struct chat_event *ev)
{
    const char *end = buf + len, *p;
    memset(ev, 0, sizeof *ev);
    const char *msg = find_key(buf, end, "\"message\"");
    if (!msg || msg >= end || *msg != '{') return -1;
    if (!(p = find_key(msg, end, "\"booth_id\"")) || parse_u(&p, end, &ev->booth_id)) return -1;
    if (!(p = find_key_after(p, msg, end, "\"seq\"")) || parse_u(&p, end, &ev->seq)) return -1;
    p = find_key_after(p, msg, end, "\"text\"");
    if (!p || p >= end || *p != '"') return -1;
    p++;
    const char *q = p;
    while (q < end && *q != '"' && *q != '\\') q++;     /* our markers need no escapes */
    ev->has_marker = marker_parse(p, (size_t)(q - p), &ev->m) == 0;
    return 0;
}
