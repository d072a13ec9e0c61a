/* ics.c — see ics.h. */
#define _GNU_SOURCE   /* vasprintf */
#include "util/ics.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sbuf { char *p; size_t len, cap; };

static void sb_grow(struct sbuf *b, size_t more)
{
    if (b->len + more + 1 <= b->cap) return;
    while (b->len + more + 1 > b->cap) b->cap = b->cap ? b->cap * 2 : 1024;
    b->p = realloc(b->p, b->cap);
    if (!b->p) abort();
}

static void sb_raw(struct sbuf *b, const char *s, size_t n)
{
    sb_grow(b, n);
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
}

/* Writes one content line, folded: at most 75 octets per physical line, continuation lines
 * start with a space, never splitting a UTF-8 sequence. */
static void sb_line(struct sbuf *b, const char *fmt, ...)
{
    char *line;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&line, fmt, ap) < 0) abort();
    va_end(ap);
    size_t len = strlen(line), pos = 0, limit = 75;
    while (len - pos > limit) {
        size_t cut = pos + limit;
        while (cut > pos && ((unsigned char)line[cut] & 0xC0) == 0x80) cut--;
        sb_raw(b, line + pos, cut - pos);
        sb_raw(b, "\r\n ", 3);
        pos = cut;
        limit = 74;               /* the leading space counts */
    }
    sb_raw(b, line + pos, len - pos);
    sb_raw(b, "\r\n", 2);
    free(line);
}

char *ics_escape(const char *s)
{
    struct sbuf b = {0};
    sb_grow(&b, 0);
    b.p[0] = 0;
    for (; s && *s; s++) {
        switch (*s) {
        case '\\': sb_raw(&b, "\\\\", 2); break;
        case ';': sb_raw(&b, "\\;", 2); break;
        case ',': sb_raw(&b, "\\,", 2); break;
        case '\n': sb_raw(&b, "\\n", 2); break;
        case '\r': break;
        default:
            if ((unsigned char)*s >= 0x20 || *s == '\t') sb_raw(&b, s, 1);
        }
    }
    return b.p;
}

/* Parameter values (CN) are quoted; DQUOTE is not allowed inside, so it is dropped. */
static char *param_value(const char *s)
{
    struct sbuf b = {0};
    sb_raw(&b, "\"", 1);
    for (; s && *s; s++)
        if (*s != '"' && (unsigned char)*s >= 0x20) sb_raw(&b, s, 1);
    sb_raw(&b, "\"", 1);
    return b.p;
}

static void tz_component(struct sbuf *b, const struct ics_event *e)
{
    sb_line(b, "BEGIN:VTIMEZONE");
    sb_line(b, "TZID:%s", e->tzid);
    sb_line(b, "BEGIN:STANDARD");
    sb_line(b, "DTSTART:19700101T000000");
    sb_line(b, "TZOFFSETFROM:%s", e->utc_offset);
    sb_line(b, "TZOFFSETTO:%s", e->utc_offset);
    sb_line(b, "END:STANDARD");
    sb_line(b, "END:VTIMEZONE");
}

static const char *ics_status(const char *status)
{
    if (!strcmp(status, "accepted")) return "CONFIRMED";
    if (!strcmp(status, "requested")) return "TENTATIVE";
    return "CANCELLED";
}

static void event(struct sbuf *b, const struct ics_event *e, bool local)
{
    sb_line(b, "BEGIN:VEVENT");
    sb_line(b, "UID:%s", e->uid);
    sb_line(b, "SEQUENCE:%d", e->sequence);
    sb_line(b, "DTSTAMP:%s", e->stamp_utc);
    if (local) {
        sb_line(b, "DTSTART;TZID=%s:%s", e->tzid, e->start_local);
        sb_line(b, "DTEND;TZID=%s:%s", e->tzid, e->end_local);
    } else {
        sb_line(b, "DTSTART:%s", e->start_utc);
        sb_line(b, "DTEND:%s", e->end_utc);
    }
    sb_line(b, "STATUS:%s", ics_status(e->status));
    char *t = ics_escape(e->summary);
    sb_line(b, "SUMMARY:%s", t);
    free(t);
    if (e->description && *e->description) {
        t = ics_escape(e->description);
        sb_line(b, "DESCRIPTION:%s", t);
        free(t);
    }
    if (e->location && *e->location) {
        t = ics_escape(e->location);
        sb_line(b, "LOCATION:%s", t);
        free(t);
        if (!strncmp(e->location, "https://", 8) && !strpbrk(e->location, " \r\n\""))
            sb_line(b, "URL:%s", e->location);
    }
    if (e->organizer_email && *e->organizer_email) {
        t = param_value(e->organizer_cn);
        sb_line(b, "ORGANIZER;CN=%s:mailto:%s", t, e->organizer_email);
        free(t);
    }
    if (e->attendee_email && *e->attendee_email) {
        t = param_value(e->attendee_cn);
        sb_line(b, "ATTENDEE;CN=%s;ROLE=REQ-PARTICIPANT:mailto:%s", t, e->attendee_email);
        free(t);
    }
    sb_line(b, "END:VEVENT");
}

char *ics_calendar(const struct ics_event *ev, size_t n, bool cancel)
{
    struct sbuf b = {0};
    sb_line(&b, "BEGIN:VCALENDAR");
    sb_line(&b, "VERSION:2.0");
    sb_line(&b, "PRODID:-//boothd//virtual expo//EN");
    sb_line(&b, "CALSCALE:GREGORIAN");
    sb_line(&b, "METHOD:%s", cancel ? "CANCEL" : "REQUEST");
    bool local = n == 1 && !ev[0].near_dst_change;
    if (local) tz_component(&b, &ev[0]);
    for (size_t i = 0; i < n; i++) event(&b, &ev[i], local);
    sb_line(&b, "END:VCALENDAR");
    return b.p;
}
