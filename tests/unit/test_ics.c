/* Unit tests for util/ics.c (RFC 5545 output) and timefmt_is_rfc3339. */
#include <stdlib.h>
#include "check.h"
#include "util/ics.h"
#include "util/timefmt.h"

static struct ics_event sample(void)
{
    struct ics_event e = {
        .uid = "abc123@boothd", .sequence = 2, .status = "accepted", .tzid = "Asia/Seoul",
        .start_local = "20261209T090000", .end_local = "20261209T093000", .utc_offset = "+0900",
        .start_utc = "20261209T000000Z", .end_utc = "20261209T003000Z", .stamp_utc = "20261127T051910Z",
        .summary = "Meeting: Haneul Cosmetics, 하늘코스메틱; buyer",
        .description = "Note: line1\nline2 \\ end", .location = "https://meet.jit.si/boothd-x",
        .organizer_cn = "Haneul \"Cosmetics\"", .organizer_email = "staff@haneul.demo.expo",
        .attendee_cn = "Dana", .attendee_email = "dana@example.com",
    };
    return e;
}

static void test_escape(void)
{
    char *s = ics_escape("a,b;c\\d\ne\r");
    CHECK_STR(s, "a\\,b\\;c\\\\d\\ne");
    free(s);
}

static void test_single(void)
{
    struct ics_event e = sample();
    char *c = ics_calendar(&e, 1, false);
    CHECK(!strncmp(c, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", 30));
    CHECK(strstr(c, "METHOD:REQUEST\r\n") != NULL);
    CHECK(strstr(c, "BEGIN:VTIMEZONE\r\nTZID:Asia/Seoul\r\n") != NULL);
    CHECK(strstr(c, "TZOFFSETTO:+0900\r\n") != NULL);
    CHECK(strstr(c, "DTSTART;TZID=Asia/Seoul:20261209T090000\r\n") != NULL);
    CHECK(strstr(c, "DTEND;TZID=Asia/Seoul:20261209T093000\r\n") != NULL);
    CHECK(strstr(c, "UID:abc123@boothd\r\nSEQUENCE:2\r\n") != NULL);
    CHECK(strstr(c, "STATUS:CONFIRMED\r\n") != NULL);
    CHECK(strstr(c, "SUMMARY:Meeting: Haneul Cosmetics\\, 하늘코스메틱\\; buyer\r\n") != NULL);
    CHECK(strstr(c, "ORGANIZER;CN=\"Haneul Cosmetics\":mailto:staff@haneul.demo.expo\r\n") != NULL);
    CHECK(!strcmp(c + strlen(c) - 15, "END:VCALENDAR\r\n"));
    /* every physical line <= 75 octets and ends with CRLF; no bare LF */
    const char *p = c;
    while (*p) {
        const char *eol = strstr(p, "\r\n");
        CHECK(eol != NULL);
        if (!eol) break;
        CHECK(eol - p <= 75);
        CHECK(memchr(p, '\n', (size_t)(eol - p)) == NULL);
        p = eol + 2;
    }
    free(c);
}

static void test_fold_utf8(void)
{
    struct ics_event e = sample();
    char longs[600] = "";
    for (int i = 0; i < 60; i++) strcat(longs, "한국");     /* 3-byte sequences */
    e.description = longs;
    char *c = ics_calendar(&e, 1, true);
    CHECK(strstr(c, "METHOD:CANCEL\r\n") != NULL);
    /* unfold and compare: folding must not split or lose bytes */
    char *u = malloc(strlen(c) + 1), *o = u;
    for (const char *p = c; *p; p++) {
        if (p[0] == '\r' && p[1] == '\n' && p[2] == ' ') { p += 2; continue; }
        *o++ = *p;
    }
    *o = 0;
    char want[700];
    snprintf(want, sizeof want, "DESCRIPTION:%s\r\n", longs);
    CHECK(strstr(u, want) != NULL);
    /* continuation lines never start inside a UTF-8 sequence */
    for (const char *p = strstr(c, "\r\n "); p; p = strstr(p + 1, "\r\n "))
        CHECK(((unsigned char)p[3] & 0xC0) != 0x80);
    free(u);
    free(c);
}

static void test_feed(void)
{
    struct ics_event e[2] = {sample(), sample()};
    e[1].uid = "def@boothd";
    e[1].status = "requested";
    char *c = ics_calendar(e, 2, false);
    CHECK(strstr(c, "VTIMEZONE") == NULL);
    CHECK(strstr(c, "DTSTART:20261209T000000Z\r\n") != NULL);
    CHECK(strstr(c, "UID:def@boothd\r\n") != NULL);
    CHECK(strstr(c, "STATUS:TENTATIVE\r\n") != NULL);
    free(c);
}

static void test_dst_fallback(void)
{
    struct ics_event e = sample();
    e.near_dst_change = true;
    char *c = ics_calendar(&e, 1, false);
    CHECK(strstr(c, "VTIMEZONE") == NULL);
    CHECK(strstr(c, "DTSTART:20261209T000000Z\r\n") != NULL);
    CHECK(strstr(c, "TZID=") == NULL);
    free(c);
}

static void test_rfc3339(void)
{
    CHECK(timefmt_is_rfc3339("2026-12-09T09:00:00+09:00"));
    CHECK(timefmt_is_rfc3339("2026-12-09T00:00:00Z"));
    CHECK(timefmt_is_rfc3339("2026-12-09t00:00:00.123z"));
    CHECK(timefmt_is_rfc3339("2027-03-14T01:30:00-05:00"));
    CHECK(!timefmt_is_rfc3339("2026-12-09T09:00:00"));          /* no offset */
    CHECK(!timefmt_is_rfc3339("2026-12-09"));
    CHECK(!timefmt_is_rfc3339("2026-13-09T09:00:00Z"));
    CHECK(!timefmt_is_rfc3339("2026-12-09T24:00:00Z"));
    CHECK(!timefmt_is_rfc3339("2026-12-09T09:00:00+9:00"));
    CHECK(!timefmt_is_rfc3339("tomorrow at nine"));
    CHECK(!timefmt_is_rfc3339("2026-12-09T09:00:00+09:00; DROP TABLE"));
}

int main(void)
{
    test_escape();
    test_single();
    test_fold_utf8();
    test_feed();
    test_dst_fallback();
    test_rfc3339();
    return check_report("test_ics");
}
