/* it_meetings.c — integration tests of issue 4, 1:1 business meetings: availability, slots,
 * requests, accept/decline/cancel, races decided by PostgreSQL's exclusion constraints (on one
 * node and across two), double booking of a visitor, authorization (IDOR), the ICS downloads,
 * a daylight-saving boundary, meeting.updated events across nodes, and bad input.
 *
 * Each test runs in its own process with its own cluster and the demo expo (see harness.h):
 *   it_meetings <test> <path/to/boothd>
 * Tests do not depend on the demo's meeting windows: the booth's staff first sets its own
 * availability (which replaces the booth's windows) in 2027, after the demo expo.
 *
 * Shapes the issue leaves open are accepted in either form: booth.name as a string or as
 * {en, ko}; times with "Z" or with an offset (but an offset, when given, must be the booth's
 * offset at that instant); an ICS time as UTC ("Z") or local with TZID (then the TZID must be
 * the booth's zone and a VTIMEZONE must define it). Instants are always checked exactly.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "expo.h"
#include "harness.h"
#include "wsclient.h"

#define DEMO_PW "demo1234"

/* Booths in Seoul without a video link of their own (the generated room URL is used). */
#define SEOUL_PLAIN "time_zone = 'Asia/Seoul' AND video_call_url IS NULL"

static struct pg_cluster pg;
static struct boothd na, nb;

static void up(int nodes)
{
    it_demo_up(&pg, &na, &nb, nodes);
    /* The tests count meetings per visitor and booth: start from none, whatever the demo has. */
    free(psql_ok(pg.url, "DELETE FROM meetings"));
}

/* ---- small helpers ------------------------------------------------------------------------ */

static int same_id(const cJSON *v, const char *id_text) { return strcmp(json_text(v), id_text) == 0; }

/* An id's JSON text as an SQL literal / URL segment: numbers as they are, strings without
 * their quotes. */
static const char *sql_id(const char *json_id)
{
    static char buf[8][64];
    static int i;
    i = (i + 1) % 8;
    size_t n = strlen(json_id);
    if (n >= 2 && json_id[0] == '"') snprintf(buf[i], sizeof buf[i], "%.*s", (int)(n - 2), json_id + 1);
    else snprintf(buf[i], sizeof buf[i], "%s", json_id);
    return buf[i];
}

static long long at_(const char *file, int line, const char *s)
{
    long long e;
    if (it_parse_rfc3339(s, &e) != 0) it_fail(file, line, "bad time literal in the test: %s", s);
    return e;
}
#define AT(s) at_(__FILE__, __LINE__, (s))

/* RFC 3339 text of an instant written with a UTC offset of off_min minutes ("Z" for 0).
 * Rotating static buffers. */
static const char *ts(long long epoch, int off_min)
{
    static char buf[16][40];
    static int i;
    i = (i + 1) % 16;
    time_t t = (time_t)(epoch + off_min * 60LL);
    struct tm tm;
    gmtime_r(&t, &tm);
    int n = snprintf(buf[i], sizeof buf[i], "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    if (off_min == 0) snprintf(buf[i] + n, sizeof buf[i] - (size_t)n, "Z");
    else
        snprintf(buf[i] + n, sizeof buf[i] - (size_t)n, "%c%02d:%02d", off_min < 0 ? '-' : '+', abs(off_min) / 60,
                 abs(off_min) % 60);
    return buf[i];
}

/* The UTC offset (seconds) of IANA zone tz at an instant, from the system's tzdata. */
static long zone_offset(const char *tz, long long epoch)
{
    char *old = getenv("TZ") ? strdup(getenv("TZ")) : NULL;
    setenv("TZ", tz, 1);
    tzset();
    time_t t = (time_t)epoch;
    struct tm tm;
    localtime_r(&t, &tm);
    long off = tm.tm_gmtoff;
    if (old) setenv("TZ", old, 1);
    else unsetenv("TZ");
    tzset();
    free(old);
    return off;
}

/* Checks a time from the server: RFC 3339, the expected instant, and an offset that is either
 * UTC or the booth zone's offset at that instant. */
static void check_time_at(const char *file, int line, const char *what, const char *s, long long want,
                          const char *tz)
{
    long long got;
    if (it_parse_rfc3339(s, &got) != 0) it_fail(file, line, "%s \"%s\" is not RFC 3339 with an offset", what, s);
    if (got != want)
        it_fail(file, line, "%s \"%s\" is %s, expected %s (%+lld s)", what, s, ts(got, 0), ts(want, 0), got - want);
    size_t n = strlen(s);
    if (s[n - 1] == 'Z' || s[n - 1] == 'z') return;
    int oh = 0, om = 0;
    if (n < 6 || sscanf(s + n - 5, "%2d:%2d", &oh, &om) != 2)
        it_fail(file, line, "%s \"%s\": cannot read the offset", what, s);
    long off = (oh * 60L + om) * 60L * (s[n - 6] == '-' ? -1 : 1);
    if (off == 0) return;
    long want_off = zone_offset(tz, want);
    if (off != want_off)
        it_fail(file, line, "%s \"%s\": offset %+ld s, but %s is at %+ld s at that instant", what, s, off, tz,
                want_off);
}
#define CHECK_TIME(what, s, want, tz) check_time_at(__FILE__, __LINE__, (what), (s), (want), (tz))

/* ---- booths and people ------------------------------------------------------------------ */

struct mbooth {
    char id[32];
    char slug[96];
    char tz[64];
    char video[512];      /* the booth's own video_call_url, "" if none */
    char name_en[256];
    char name_ko[256];
    char staff_email[160];
};

static int split_fields(char *s, char **f, int max)
{
    int n = 0;
    f[n++] = s;
    for (char *p = s; *p && n < max; p++)
        if (*p == '|') {
            *p = '\0';
            f[n++] = p + 1;
        }
    return n;
}

/* The n-th booth (by id) matching an SQL condition. */
static void pick_booth(struct mbooth *b, const char *where, int n)
{
    memset(b, 0, sizeof *b);
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT id || '|' || slug || '|' || time_zone || '|' || coalesce(video_call_url, '') || '|' || "
             "name_ko || '|' || name_en FROM booths WHERE %s ORDER BY id OFFSET %d LIMIT 1",
             where, n);
    char *out = psql_ok(pg.url, sql);
    char *f[6];
    if (!out[0] || split_fields(out, f, 6) != 6) FAIL("no booth #%d where %s (psql: \"%s\")", n, where, out);
    snprintf(b->id, sizeof b->id, "%s", f[0]);
    snprintf(b->slug, sizeof b->slug, "%s", f[1]);
    snprintf(b->tz, sizeof b->tz, "%s", f[2]);
    snprintf(b->video, sizeof b->video, "%s", f[3]);
    snprintf(b->name_ko, sizeof b->name_ko, "%s", f[4]);
    snprintf(b->name_en, sizeof b->name_en, "%s", f[5]);
    snprintf(b->staff_email, sizeof b->staff_email, "staff@%s.demo.expo", b->slug);
    free(out);
    it_log("booth %s (%s, %s)", b->id, b->slug, b->tz);
}

/* A signed-in connection. */
struct party {
    struct expo c;
    char email[160];
    char token[512];
    char id[64];             /* JSON text of user.id */
    char name[256];
    char role[32];
    char company[256];       /* JSON text of accounts.company (string or null) */
    char country[128];       /* JSON text of accounts.country */
};

static void party_db(struct party *p)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT json_build_object('company', company, 'country', country)::text FROM accounts WHERE id = %s",
             sql_id(p->id));
    char *out = psql_ok(pg.url, sql);
    cJSON *j = cJSON_Parse(out);
    if (!j) FAIL("psql returned no JSON for account %s: %s", p->id, out);
    snprintf(p->company, sizeof p->company, "%s", json_text(JGET(j, "company")));
    snprintf(p->country, sizeof p->country, "%s", json_text(JGET(j, "country")));
    cJSON_Delete(j);
    free(out);
}

static void fill_party(struct party *p, const char *email, const cJSON *d)
{
    snprintf(p->email, sizeof p->email, "%s", email);
    snprintf(p->token, sizeof p->token, "%s", JSTR(d, "token"));
    const cJSON *u = JGET(d, "user");
    snprintf(p->id, sizeof p->id, "%s", json_text(JGET(u, "id")));
    snprintf(p->name, sizeof p->name, "%s", JSTR(u, "name"));
    snprintf(p->role, sizeof p->role, "%s", JSTR(u, "role"));
    party_db(p);
}

/* Connects to port and signs in with the demo password (a new connection each: auth is
 * rate limited per connection). */
static void login(struct party *p, int port, const char *email, const char *label)
{
    memset(p, 0, sizeof *p);
    expo_connect(&p->c, port, label);
    cJSON *d = EXPO_OK(&p->c, "auth.login", "{\"email\":%s,\"password\":%s}", json_quote(email), json_quote(DEMO_PW));
    fill_party(p, email, d);
    cJSON_Delete(d);
}

static void login_staff(struct party *p, int port, const struct mbooth *b, const char *label)
{
    login(p, port, b->staff_email, label);
    ASSERT_STR_EQ(p->role, "exhibitor");
}

/* Another connection on port, signed in as the same user with auth.resume. */
static void same_user(struct party *p, const struct party *from, int port, const char *label)
{
    *p = *from;
    memset(&p->c, 0, sizeof p->c);
    expo_connect(&p->c, port, label);
    cJSON *d = EXPO_OK(&p->c, "auth.resume", "{\"token\":%s}", json_quote(from->token));
    ASSERT_STR_EQ(json_text(JGET(JGET(d, "user"), "id")), from->id);
    cJSON_Delete(d);
}

/* ---- meetings ------------------------------------------------------------------------------ */

/* One availability window [start, end) written with offset off_min, slots of slot minutes;
 * checks the reply's windows. */
static void set_window_at(const char *file, int line, struct party *staff, const struct mbooth *b, long long start,
                          long long end, int off_min, int slot)
{
    cJSON *d = expo_ok_at(file, line, &staff->c, "meeting.availability.set",
                          "{\"booth_id\":%s,\"windows\":[{\"starts_at\":\"%s\",\"ends_at\":\"%s\"}],\"slot_minutes\":%d}",
                          b->id, ts(start, off_min), ts(end, off_min), slot);
    const cJSON *w = json_get_at(file, line, d, "windows");
    if (cJSON_GetArraySize(w) != 1) it_fail(file, line, "availability.set: 1 window sent, reply: %s", json_text(d));
    const cJSON *w0 = cJSON_GetArrayItem(w, 0);
    check_time_at(file, line, "window starts_at", json_str_at(file, line, w0, "starts_at"), start, b->tz);
    check_time_at(file, line, "window ends_at", json_str_at(file, line, w0, "ends_at"), end, b->tz);
    cJSON_Delete(d);
}
#define SET_WINDOW(staff, b, start, end, off, slot) set_window_at(__FILE__, __LINE__, (staff), (b), (start), (end), (off), (slot))

/* Checks every field of a meeting object. start/end < 0: not checked. */
static void check_meeting_at(const char *file, int line, const cJSON *m, const struct mbooth *b,
                             const struct party *v, const char *status, long long start, long long end)
{
    json_get_at(file, line, m, "id");
    const cJSON *mb = json_get_at(file, line, m, "booth");
    if (!same_id(json_get_at(file, line, mb, "id"), b->id))
        it_fail(file, line, "meeting.booth.id %s, expected %s: %s", json_text(JGET(mb, "id")), b->id, json_text(m));
    const cJSON *bn = json_get_at(file, line, mb, "name");
    if (cJSON_IsString(bn)) {
        if (strcmp(bn->valuestring, b->name_en) != 0 && strcmp(bn->valuestring, b->name_ko) != 0)
            it_fail(file, line, "meeting.booth.name \"%s\", expected \"%s\" or \"%s\"", bn->valuestring, b->name_en,
                    b->name_ko);
    } else {
        const char *en = json_str_at(file, line, bn, "en");
        if (strcmp(en, b->name_en) != 0)
            it_fail(file, line, "meeting.booth.name.en \"%s\", expected \"%s\"", en, b->name_en);
    }
    const cJSON *mv = json_get_at(file, line, m, "visitor");
    if (!same_id(json_get_at(file, line, mv, "id"), v->id))
        it_fail(file, line, "meeting.visitor.id %s, expected %s: %s", json_text(JGET(mv, "id")), v->id, json_text(m));
    const char *vn = json_str_at(file, line, mv, "name");
    if (strcmp(vn, v->name) != 0) it_fail(file, line, "meeting.visitor.name \"%s\", expected \"%s\"", vn, v->name);
    const char *vc = json_text(json_get_at(file, line, mv, "company"));
    if (strcmp(vc, v->company) != 0) it_fail(file, line, "meeting.visitor.company %s, expected %s", vc, v->company);
    const char *vk = json_text(json_get_at(file, line, mv, "country"));
    if (strcmp(vk, v->country) != 0) it_fail(file, line, "meeting.visitor.country %s, expected %s", vk, v->country);
    const char *sa = json_str_at(file, line, m, "starts_at");
    const char *ea = json_str_at(file, line, m, "ends_at");
    long long s_e, e_e;
    if (it_parse_rfc3339(sa, &s_e) || it_parse_rfc3339(ea, &e_e))
        it_fail(file, line, "meeting times are not RFC 3339: %s", json_text(m));
    if (start >= 0) check_time_at(file, line, "meeting.starts_at", sa, start, b->tz);
    if (end >= 0) check_time_at(file, line, "meeting.ends_at", ea, end, b->tz);
    if (e_e <= s_e) it_fail(file, line, "meeting ends_at %s <= starts_at %s", ea, sa);
    const char *st = json_str_at(file, line, m, "status");
    if (status && strcmp(st, status) != 0)
        it_fail(file, line, "meeting status \"%s\", expected \"%s\": %s", st, status, json_text(m));
    const cJSON *note = json_get_at(file, line, m, "note");
    const cJSON *msg = json_get_at(file, line, m, "message");
    if (!cJSON_IsString(note) && !cJSON_IsNull(note)) it_fail(file, line, "meeting.note is %s", json_text(note));
    if (!cJSON_IsString(msg) && !cJSON_IsNull(msg)) it_fail(file, line, "meeting.message is %s", json_text(msg));
    const cJSON *vu = json_get_at(file, line, m, "video_url");
    if (strcmp(st, "accepted") == 0) {
        if (!cJSON_IsString(vu) || (strncmp(vu->valuestring, "https://", 8) != 0 &&
                                    strncmp(vu->valuestring, "http://", 7) != 0) || strlen(vu->valuestring) < 12)
            it_fail(file, line, "an accepted meeting has video_url %s, expected an http(s) URL", json_text(vu));
        if (b->video[0] && strcmp(vu->valuestring, b->video) != 0)
            it_fail(file, line, "video_url \"%s\", expected the booth's own link \"%s\"", vu->valuestring, b->video);
    } else if (strcmp(st, "requested") == 0 || strcmp(st, "declined") == 0) {
        if (!cJSON_IsNull(vu)) it_fail(file, line, "a %s meeting has video_url %s, expected null", st, json_text(vu));
    }
    const char *up = json_str_at(file, line, m, "updated_at");
    long long u;
    if (it_parse_rfc3339(up, &u) != 0) it_fail(file, line, "meeting.updated_at \"%s\" is not RFC 3339", up);
}
#define CHECK_MEETING(m, b, v, status, start, end) \
    check_meeting_at(__FILE__, __LINE__, (m), (b), (v), (status), (start), (end))

static cJSON *take_meeting_at(const char *file, int line, cJSON *d)
{
    cJSON *m = cJSON_DetachItemFromObjectCaseSensitive(d, "meeting");
    if (!cJSON_IsObject(m)) it_fail(file, line, "reply without a meeting object: %s", json_text(d));
    cJSON_Delete(d);
    return m;
}

/* meeting.request that must succeed; checks the meeting (requested, the slot's instants);
 * returns it. */
static cJSON *request_ok_at(const char *file, int line, struct party *v, const struct mbooth *b, const char *starts_at,
                            long long start, long long end)
{
    cJSON *m = take_meeting_at(file, line, expo_ok_at(file, line, &v->c, "meeting.request",
                                                      "{\"booth_id\":%s,\"starts_at\":%s}", b->id,
                                                      json_quote(starts_at)));
    check_meeting_at(file, line, m, b, v, "requested", start, end);
    return m;
}
#define REQUEST_OK(v, b, text, start, end) request_ok_at(__FILE__, __LINE__, (v), (b), (text), (start), (end))

static cJSON *respond_ok_at(const char *file, int line, struct party *staff, const char *mid, const char *decision)
{
    return take_meeting_at(file, line, expo_ok_at(file, line, &staff->c, "meeting.respond",
                                                  "{\"meeting_id\":%s,\"decision\":%s}", mid, json_quote(decision)));
}
#define RESPOND_OK(staff, mid, decision) respond_ok_at(__FILE__, __LINE__, (staff), (mid), (decision))

static cJSON *cancel_ok_at(const char *file, int line, struct party *p, const char *mid)
{
    return take_meeting_at(file, line, expo_ok_at(file, line, &p->c, "meeting.cancel", "{\"meeting_id\":%s}", mid));
}
#define CANCEL_OK(p, mid) cancel_ok_at(__FILE__, __LINE__, (p), (mid))

static void mid_of(char *out, size_t len, const cJSON *m) { snprintf(out, len, "%s", json_text(JGET(m, "id"))); }

/* meeting.slots over [from, to); checks the reply's shape and time zone. */
static cJSON *slots_at(const char *file, int line, struct party *p, const struct mbooth *b, long long from,
                       long long to)
{
    cJSON *d = expo_ok_at(file, line, &p->c, "meeting.slots", "{\"booth_id\":%s,\"from\":\"%s\",\"to\":\"%s\"}", b->id,
                          ts(from, 0), ts(to, 0));
    const char *tz = json_str_at(file, line, d, "time_zone");
    if (strcmp(tz, b->tz) != 0) it_fail(file, line, "meeting.slots time_zone \"%s\", expected \"%s\"", tz, b->tz);
    const cJSON *sl = json_get_at(file, line, d, "slots");
    if (!cJSON_IsArray(sl)) it_fail(file, line, "slots is not an array: %s", json_text(d));
    const cJSON *s;
    cJSON_ArrayForEach(s, sl)
    {
        const char *a = json_str_at(file, line, s, "starts_at");
        const char *e = json_str_at(file, line, s, "ends_at");
        long long ae, ee;
        if (it_parse_rfc3339(a, &ae) || it_parse_rfc3339(e, &ee))
            it_fail(file, line, "slot times are not RFC 3339: %s", json_text(s));
        check_time_at(file, line, "slot starts_at", a, ae, b->tz);
        check_time_at(file, line, "slot ends_at", e, ee, b->tz);
        json_bool_at(file, line, s, "available");
    }
    return d;
}
#define SLOTS(p, b, from, to) slots_at(__FILE__, __LINE__, (p), (b), (from), (to))

/* 1/0: the slot starting at `start` is (un)available; -1: no such slot. */
static int slot_state(const cJSON *d, long long start)
{
    const cJSON *s;
    cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(d, "slots"))
    {
        long long e;
        const cJSON *a = cJSON_GetObjectItemCaseSensitive(s, "starts_at");
        if (cJSON_IsString(a) && it_parse_rfc3339(a->valuestring, &e) == 0 && e == start)
            return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(s, "available"));
    }
    return -1;
}

/* Asks for slots around `start` and checks the state of that slot (1 available, 0 taken). */
static void expect_slot_at(const char *file, int line, struct party *p, const struct mbooth *b, long long start,
                           int want)
{
    cJSON *d = slots_at(file, line, p, b, start - 86400, start + 86400);
    int st = slot_state(d, start);
    if (st != want)
        it_fail(file, line, "%s: slot %s of booth %s is %s, expected %s: %s", p->c.label, ts(start, 0), b->id,
                st < 0 ? "missing" : st ? "available" : "unavailable", want ? "available" : "unavailable",
                json_text(JGET(d, "slots")));
    cJSON_Delete(d);
}
#define EXPECT_SLOT(p, b, start, want) expect_slot_at(__FILE__, __LINE__, (p), (b), (start), (want))

/* The table's view of one meeting: "status|sequence|updated_at|message|cancel_reason|video_url". */
static char *meeting_row(const char *mid)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT status || '|' || sequence || '|' || updated_at || '|' || coalesce(message, '<null>') || '|' || "
             "coalesce(cancel_reason, '<null>') || '|' || coalesce(video_url, '<null>') FROM meetings WHERE id = %s",
             sql_id(mid));
    return psql_ok(pg.url, sql);
}

static char *meeting_status(const char *mid)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT status FROM meetings WHERE id = %s", sql_id(mid));
    return psql_ok(pg.url, sql);
}
#define ASSERT_DB_STATUS(mid, want)          \
    do {                                     \
        char *st_ = meeting_status(mid);     \
        ASSERT_STR_EQ(st_, (want));          \
        free(st_);                           \
    } while (0)

/* A snapshot of a booth's availability rows. */
static char *availability_rows(const struct mbooth *b)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT coalesce(string_agg(starts_at || '/' || ends_at || '/' || slot_minutes, ',' ORDER BY starts_at), '') "
             "FROM meeting_availability WHERE booth_id = %s",
             b->id);
    return psql_ok(pg.url, sql);
}

static long count_sql(const char *fmt, const char *a)
{
    char sql[1024];
    snprintf(sql, sizeof sql, fmt, a);
    return psql_long(pg.url, sql);
}

/* Waits for meeting.updated of meeting mid with status, skipping other meeting.updated events;
 * checks the meeting; returns it. */
static cJSON *wait_update_at(const char *file, int line, struct party *p, const char *mid, const char *status,
                             const struct mbooth *b, const struct party *v, int timeout_ms)
{
    double deadline = it_now() + timeout_ms / 1000.0;
    char last[1024] = "none";
    for (;;) {
        int left = (int)((deadline - it_now()) * 1000);
        cJSON *ev = expo_event(&p->c, "meeting.updated", left > 0 ? left : 0);
        if (!ev)
            it_fail(file, line, "%s: no meeting.updated {meeting %s, status %s} within %d ms (last seen: %s)", p->c.label,
                    mid, status, timeout_ms, last);
        snprintf(last, sizeof last, "%s", json_text(ev));
        cJSON *m = cJSON_DetachItemFromObjectCaseSensitive(ev, "meeting");
        cJSON_Delete(ev);
        if (!cJSON_IsObject(m)) it_fail(file, line, "%s: meeting.updated without a meeting: %s", p->c.label, last);
        const cJSON *st = cJSON_GetObjectItemCaseSensitive(m, "status");
        if (same_id(JGET(m, "id"), mid) && cJSON_IsString(st) && strcmp(st->valuestring, status) == 0) {
            check_meeting_at(file, line, m, b, v, status, -1, -1);
            return m;
        }
        cJSON_Delete(m);
    }
}
#define WAIT_UPDATE(p, mid, status, b, v) \
    cJSON_Delete(wait_update_at(__FILE__, __LINE__, (p), (mid), (status), (b), (v), it_ms(5000)))

/* The ids (JSON texts) of meeting.list, comma-joined in a static buffer; also checks shapes. */
static int list_has(struct party *p, const char *mid, const char *status)
{
    cJSON *d = EXPO_OK(&p->c, "meeting.list", "{}");
    const cJSON *ms = JGET(d, "meetings");
    if (!cJSON_IsArray(ms)) FAIL("meeting.list meetings is not an array: %s", json_text(d));
    int found = 0;
    const cJSON *m;
    cJSON_ArrayForEach(m, ms)
    {
        if (!same_id(JGET(m, "id"), mid)) continue;
        found++;
        if (status && strcmp(JSTR(m, "status"), status) != 0)
            FAIL("%s: meeting.list shows meeting %s as %s, expected %s", p->c.label, mid, JSTR(m, "status"), status);
    }
    cJSON_Delete(d);
    if (found > 1) FAIL("%s: meeting.list lists meeting %s %d times", p->c.label, mid, found);
    return found;
}

/* A reply to a concurrent accept: returns 1 for ok (meeting in *m), 0 for conflict; anything
 * else fails. */
static int accept_outcome_at(const char *file, int line, struct party *p, long id, cJSON **m)
{
    cJSON *r = expo_reply(&p->c, id, it_ms(10000));
    if (!r) it_fail(file, line, "%s: no reply to meeting.respond (id %ld)", p->c.label, id);
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "ok"))) {
        cJSON *d = cJSON_DetachItemFromObjectCaseSensitive(r, "data");
        cJSON_Delete(r);
        *m = take_meeting_at(file, line, d);
        return 1;
    }
    expo_check_error_at(file, line, r, "conflict", NULL, 0);
    cJSON_Delete(r);
    *m = NULL;
    return 0;
}

/* ---- HTTP with a bearer token (http_get_auth: harness.h) ------------------------------------- */

/* GET with the party's token; fails unless the status is `want`. */
static void get_ics_at(const char *file, int line, int port, const char *path, const char *token, int want,
                       struct http_resp *r)
{
    char auth[600];
    if (token) snprintf(auth, sizeof auth, "Bearer %s", token);
    int st = http_get_auth(port, path, token ? auth : NULL, r);
    if (st != want)
        it_fail(file, line, "GET %s (%s): status %d, expected %d; head: %s body: %.500s", path,
                token ? "with a token" : "no token", st, want, r->head ? r->head : "(none)", r->body ? r->body : "");
}
#define GET_ICS(port, path, token, want, r) get_ics_at(__FILE__, __LINE__, (port), (path), (token), (want), (r))

/* ---- ICS (RFC 5545) --------------------------------------------------------------------------- */

#define ICS_MAX_LINES 2048

struct ics {
    char *text;                  /* unfolded content lines, NUL-separated */
    char *line[ICS_MAX_LINES];
    int n;
};

static void ics_free(struct ics *x)
{
    free(x->text);
    memset(x, 0, sizeof *x);
}

/* Parses and checks the syntax: CRLF line ends only, no line over 75 octets, no empty line,
 * folding, BEGIN/END nesting with VCALENDAR outermost and nothing after it, VERSION:2.0 and
 * PRODID on the calendar. */
static void ics_parse_at(const char *file, int line, const struct http_resp *r, struct ics *x)
{
    memset(x, 0, sizeof *x);
    const char *body = r->body;
    size_t len = r->body_len;
    char ct[256] = "";
    if (!http_header(r, "Content-Type", ct, sizeof ct) || strncasecmp(ct, "text/calendar", 13) != 0)
        it_fail(file, line, "ICS Content-Type \"%s\", expected text/calendar", ct);
    if (len < 2 || body[len - 2] != '\r' || body[len - 1] != '\n')
        it_fail(file, line, "ICS does not end with CRLF: \"%.800s\"", body);
    x->text = malloc(len + 1);
    if (!x->text) abort();
    size_t o = 0, start = 0;
    int lineno = 0;
    for (size_t i = 0; i < len; i++) {
        if (body[i] == '\r') {
            if (i + 1 >= len || body[i + 1] != '\n') it_fail(file, line, "ICS line %d: CR without LF", lineno + 1);
            continue;
        }
        if (body[i] != '\n') continue;
        if (i == 0 || body[i - 1] != '\r') it_fail(file, line, "ICS line %d ends with LF, not CRLF", lineno + 1);
        lineno++;
        const char *p = body + start;
        size_t plen = i - 1 - start;
        start = i + 1;
        if (plen > 75) it_fail(file, line, "ICS line %d is %zu octets (> 75, not folded): %.*s", lineno, plen, (int)plen, p);
        if (plen == 0) it_fail(file, line, "ICS line %d is empty", lineno);
        if (p[0] == ' ' || p[0] == '\t') {
            if (!x->n) it_fail(file, line, "ICS starts with a continuation line");
            memcpy(x->text + o, p + 1, plen - 1);
            o += plen - 1;
            continue;
        }
        if (x->n) x->text[o++] = '\0';
        if (x->n == ICS_MAX_LINES) it_fail(file, line, "ICS has more than %d lines", ICS_MAX_LINES);
        x->line[x->n++] = x->text + o;
        memcpy(x->text + o, p, plen);
        o += plen;
    }
    x->text[o] = '\0';
    if (x->n < 2 || strcmp(x->line[0], "BEGIN:VCALENDAR") != 0 || strcmp(x->line[x->n - 1], "END:VCALENDAR") != 0)
        it_fail(file, line, "ICS is not one BEGIN:VCALENDAR ... END:VCALENDAR: \"%.800s\"", body);
    char stack[16][64];
    int depth = 0;
    for (int i = 0; i < x->n; i++) {
        const char *l = x->line[i];
        if (!strchr(l, ':')) it_fail(file, line, "ICS line without ':': \"%s\"", l);
        if (strncasecmp(l, "BEGIN:", 6) == 0) {
            if (depth == 0 && i != 0) it_fail(file, line, "ICS: \"%s\" after END:VCALENDAR", l);
            if (depth == 16) it_fail(file, line, "ICS nested too deep");
            snprintf(stack[depth++], 64, "%s", l + 6);
        } else if (strncasecmp(l, "END:", 4) == 0) {
            if (depth == 0 || strcasecmp(stack[depth - 1], l + 4) != 0)
                it_fail(file, line, "ICS: \"%s\" does not close %s", l, depth ? stack[depth - 1] : "anything");
            depth--;
        } else if (depth == 0) {
            it_fail(file, line, "ICS: \"%s\" outside VCALENDAR", l);
        }
    }
    if (depth != 0) it_fail(file, line, "ICS: %s not closed", stack[depth - 1]);
}
#define ICS_PARSE(r, x) ics_parse_at(__FILE__, __LINE__, (r), (x))

/* The value of property `name` of the k-th component `comp` (a direct child of VCALENDAR),
 * or of the calendar itself when comp is NULL. Parameters (between name and ':') go to
 * params. NULL if absent. */
static const char *ics_prop(const struct ics *x, const char *comp, int k, const char *name, char *params, size_t plen)
{
    int depth = 0, idx = -1, inside = 0;
    size_t nl = strlen(name);
    for (int i = 0; i < x->n; i++) {
        const char *l = x->line[i];
        if (strncasecmp(l, "BEGIN:", 6) == 0) {
            depth++;
            if (depth == 2 && comp && strcasecmp(l + 6, comp) == 0 && ++idx == k) inside = 1;
            continue;
        }
        if (strncasecmp(l, "END:", 4) == 0) {
            if (depth == 2) inside = 0;
            depth--;
            continue;
        }
        int here = comp ? (inside && depth == 2) : depth == 1;
        if (!here || strncasecmp(l, name, nl) != 0 || (l[nl] != ':' && l[nl] != ';')) continue;
        const char *p = l + nl;
        int q = 0;
        while (*p && (q || *p != ':')) {
            if (*p == '"') q = !q;
            p++;
        }
        if (params) snprintf(params, plen, "%.*s", (int)(p - (l + nl)), l + nl);
        return *p ? p + 1 : p;
    }
    return NULL;
}

static int ics_count(const struct ics *x, const char *comp)
{
    int n = 0;
    for (int i = 0; i < x->n; i++)
        if (strncasecmp(x->line[i], "BEGIN:", 6) == 0 && strcasecmp(x->line[i] + 6, comp) == 0) n++;
    return n;
}

static const char *ics_req_at(const char *file, int line, const struct ics *x, const char *comp, int k, const char *name)
{
    const char *v = ics_prop(x, comp, k, name, NULL, 0);
    if (!v) it_fail(file, line, "ICS: %s #%d has no %s", comp ? comp : "VCALENDAR", k, name);
    return v;
}
#define ICS_REQ(x, comp, k, name) ics_req_at(__FILE__, __LINE__, (x), (comp), (k), (name))

/* The instant of a local wall time in zone tz (local given as if it were UTC seconds), with
 * RFC 5545's rules (3.3.5): a time that occurs twice (fall back) is the first occurrence; a
 * time that does not occur (spring forward) takes the offset from before the gap. */
static long long local_to_instant(const char *tz, long long local)
{
    long before = zone_offset(tz, local - 86400), after = zone_offset(tz, local + 86400);
    long long best = 0;
    int found = 0;
    long offs[2] = {before, after};
    for (int i = 0; i < 2; i++) {
        long long t = local - offs[i];
        if (zone_offset(tz, t) == offs[i] && (!found || t < best)) {
            best = t;
            found = 1;
        }
    }
    return found ? best : local - before;
}

/* ---- VTIMEZONE evaluation ------------------------------------------------------------------
 * A calendar client that honours the file's own VTIMEZONE (Outlook does) reads a TZID time with
 * it, not with its own copy of the IANA zone; so a TZID time must be right both ways. This reads
 * the observances (STANDARD/DAYLIGHT) of one VTIMEZONE: DTSTART, TZOFFSETFROM, TZOFFSETTO, RDATE
 * and an RRULE of the forms time-zone generators write (FREQ=YEARLY, INTERVAL=1, BYMONTH, BYDAY
 * "2SU"/"-1SU", or BYMONTHDAY list + BYDAY "SU", UNTIL, COUNT). Anything else fails the test
 * with the rule shown (so a check is never silently skipped). */

struct tz_onset {
    long long utc;      /* the instant the observance begins */
    long to;            /* TZOFFSETTO (seconds) */
    long from;          /* TZOFFSETFROM */
};

struct vtz {
    struct tz_onset on[512];
    int n;
};

static long long local_secs(int Y, int M, int D, int h, int m, int s)
{
    struct tm tm = {.tm_year = Y - 1900, .tm_mon = M - 1, .tm_mday = D, .tm_hour = h, .tm_min = m, .tm_sec = s};
    return (long long)timegm(&tm);
}

static int parse_ics_local(const char *v, long long *out)
{
    int Y, M, D, h = 0, m = 0, s = 0, n = 0;
    if (sscanf(v, "%4d%2d%2dT%2d%2d%2d%n", &Y, &M, &D, &h, &m, &s, &n) != 6 || n != 15) return -1;
    *out = local_secs(Y, M, D, h, m, s);
    return 0;
}

static int parse_utc_offset(const char *v, long *out)
{
    int hh, mm, ss = 0;
    size_t n = strlen(v);
    if ((n != 5 && n != 7) || (v[0] != '+' && v[0] != '-')) return -1;
    if (sscanf(v + 1, "%2d%2d", &hh, &mm) != 2) return -1;
    if (n == 7 && sscanf(v + 5, "%2d", &ss) != 1) return -1;
    *out = (hh * 3600L + mm * 60L + ss) * (v[0] == '-' ? -1 : 1);
    return 0;
}

static int weekday_of(const char *dd)
{
    static const char *names[7] = {"SU", "MO", "TU", "WE", "TH", "FR", "SA"};
    for (int i = 0; i < 7; i++)
        if (strncmp(dd, names[i], 2) == 0 && dd[2] == '\0') return i;
    return -1;
}

static void vtz_add(const char *file, int line, struct vtz *z, long long local, long from, long to)
{
    if (z->n == (int)(sizeof z->on / sizeof z->on[0])) it_fail(file, line, "VTIMEZONE: too many onsets");
    z->on[z->n].utc = local - from;
    z->on[z->n].from = from;
    z->on[z->n].to = to;
    z->n++;
}

/* Expands one observance's RRULE up to the end of year `last_year`. */
static void vtz_rrule_at(const char *file, int line, struct vtz *z, const char *rule, long long dtstart, long from,
                         long to, int last_year)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", rule);
    int month = 0, nth = 0, wday = -1, count = -1, yearly = 0, mdays[31], n_mdays = 0;
    long long until = -1;
    char *save = NULL;
    for (char *part = strtok_r(buf, ";", &save); part; part = strtok_r(NULL, ";", &save)) {
        char *eq = strchr(part, '=');
        if (!eq) it_fail(file, line, "VTIMEZONE RRULE \"%s\": part \"%s\"", rule, part);
        *eq++ = '\0';
        if (strcmp(part, "FREQ") == 0) yearly = strcmp(eq, "YEARLY") == 0;
        else if (strcmp(part, "INTERVAL") == 0 && strcmp(eq, "1") == 0) continue;
        else if (strcmp(part, "WKST") == 0) continue;
        else if (strcmp(part, "BYMONTH") == 0) month = atoi(eq);
        else if (strcmp(part, "COUNT") == 0) count = atoi(eq);
        else if (strcmp(part, "UNTIL") == 0) {
            long long u;
            if (parse_ics_local(eq, &u) != 0) it_fail(file, line, "VTIMEZONE RRULE \"%s\": UNTIL", rule);
            until = u;   /* UTC when it ends in Z (RFC 5545 requires that here) */
        } else if (strcmp(part, "BYDAY") == 0) {
            int sign = 1;
            char *p = eq;
            if (*p == '+' || *p == '-') sign = *p++ == '-' ? -1 : 1;
            int k = 0;
            while (*p >= '0' && *p <= '9') k = k * 10 + (*p++ - '0');
            nth = sign * k;
            wday = weekday_of(p);
            if (wday < 0) it_fail(file, line, "VTIMEZONE RRULE \"%s\": BYDAY %s", rule, eq);
        } else if (strcmp(part, "BYMONTHDAY") == 0) {
            char *s2 = NULL;
            for (char *d = strtok_r(eq, ",", &s2); d && n_mdays < 31; d = strtok_r(NULL, ",", &s2)) mdays[n_mdays++] = atoi(d);
        } else {
            it_fail(file, line, "VTIMEZONE RRULE \"%s\": part %s is not read by this test", rule, part);
        }
    }
    if (!yearly) it_fail(file, line, "VTIMEZONE RRULE \"%s\" is not FREQ=YEARLY", rule);
    time_t st = (time_t)dtstart;
    struct tm ds;
    gmtime_r(&st, &ds);
    if (!month) month = ds.tm_mon + 1;
    long tod = ds.tm_hour * 3600L + ds.tm_min * 60L + ds.tm_sec;
    int made = 0;
    for (int y = ds.tm_year + 1900; y <= last_year; y++) {
        int day = 0;
        if (wday < 0 && !n_mdays) day = ds.tm_mday;
        else if (n_mdays) {
            for (int i = 0; i < n_mdays && !day; i++) {
                long long t = local_secs(y, month, mdays[i], 0, 0, 0);
                time_t tt = (time_t)t;
                struct tm tm;
                gmtime_r(&tt, &tm);
                if (tm.tm_mon + 1 == month && (wday < 0 || tm.tm_wday == wday)) day = mdays[i];
            }
            if (!day) continue;
        } else if (nth > 0) {
            time_t tt = (time_t)local_secs(y, month, 1, 0, 0, 0);
            struct tm tm;
            gmtime_r(&tt, &tm);
            day = 1 + (wday - tm.tm_wday + 7) % 7 + (nth - 1) * 7;
        } else if (nth < 0) {
            int last = 31;
            for (;; last--) {
                time_t tt = (time_t)local_secs(y, month, last, 0, 0, 0);
                struct tm tm;
                gmtime_r(&tt, &tm);
                if (tm.tm_mon + 1 == month) {
                    day = last - (tm.tm_wday - wday + 7) % 7 + (nth + 1) * 7;
                    break;
                }
            }
        } else {
            it_fail(file, line, "VTIMEZONE RRULE \"%s\": BYDAY without a position needs BYMONTHDAY", rule);
        }
        long long occ = local_secs(y, month, day, 0, 0, 0) + tod;
        if (occ < dtstart) continue;
        if (until >= 0 && occ - from > until) break;
        if (count >= 0 && made >= count) break;
        vtz_add(file, line, z, occ, from, to);
        made++;
    }
}

static int cmp_onset(const void *a, const void *b)
{
    long long x = ((const struct tz_onset *)a)->utc, y = ((const struct tz_onset *)b)->utc;
    return x < y ? -1 : x > y;
}

/* Reads the VTIMEZONE with this TZID; onsets up to the end of last_year, sorted. */
static void vtz_read_at(const char *file, int line, const struct ics *x, const char *tzid, int last_year, struct vtz *z)
{
    memset(z, 0, sizeof *z);
    int depth = 0, in_tz = 0, found = 0;
    int in_obs = 0;
    long long dtstart = 0;
    long from = 0, to = 0;
    int have_start = 0, have_from = 0, have_to = 0;
    char rrule[256] = "", rdates[1024] = "";
    char this_id[128] = "";
    for (int i = 0; i < x->n; i++) {
        const char *l = x->line[i];
        if (strncasecmp(l, "BEGIN:", 6) == 0) {
            depth++;
            if (depth == 2 && strcasecmp(l + 6, "VTIMEZONE") == 0) {
                in_tz = 1;
                this_id[0] = '\0';
            }
            if (in_tz && depth == 3) {
                if (strcasecmp(l + 6, "STANDARD") != 0 && strcasecmp(l + 6, "DAYLIGHT") != 0)
                    it_fail(file, line, "VTIMEZONE contains %s", l + 6);
                in_obs = 1;
                have_start = have_from = have_to = 0;
                rrule[0] = rdates[0] = '\0';
            }
            continue;
        }
        if (strncasecmp(l, "END:", 4) == 0) {
            if (in_obs && depth == 3) {
                in_obs = 0;
                if (strcmp(this_id, tzid) == 0) {
                    if (!have_start || !have_from || !have_to)
                        it_fail(file, line, "VTIMEZONE %s: an observance lacks DTSTART, TZOFFSETFROM or TZOFFSETTO", tzid);
                    vtz_add(file, line, z, dtstart, from, to);
                    if (rrule[0]) vtz_rrule_at(file, line, z, rrule, dtstart, from, to, last_year);
                    char *save = NULL;
                    for (char *d = strtok_r(rdates, ",", &save); d; d = strtok_r(NULL, ",", &save)) {
                        long long t;
                        if (parse_ics_local(d, &t) != 0) it_fail(file, line, "VTIMEZONE RDATE %s", d);
                        if (t != dtstart) vtz_add(file, line, z, t, from, to);
                    }
                }
            }
            if (depth == 2 && in_tz) {
                if (strcmp(this_id, tzid) == 0) found = 1;
                in_tz = 0;
            }
            depth--;
            continue;
        }
        if (!in_tz) continue;
        const char *colon = strchr(l, ':');
        if (!colon) continue;
        size_t nl = strcspn(l, ";:");
        const char *v = colon + 1;
        if (depth == 2 && nl == 4 && strncasecmp(l, "TZID", 4) == 0) snprintf(this_id, sizeof this_id, "%s", v);
        if (!in_obs || depth != 3) continue;
        if (nl == 7 && strncasecmp(l, "DTSTART", 7) == 0) {
            if (parse_ics_local(v, &dtstart) != 0) it_fail(file, line, "VTIMEZONE DTSTART %s", v);
            have_start = 1;
        } else if (nl == 12 && strncasecmp(l, "TZOFFSETFROM", 12) == 0) {
            if (parse_utc_offset(v, &from) != 0) it_fail(file, line, "VTIMEZONE TZOFFSETFROM %s", v);
            have_from = 1;
        } else if (nl == 10 && strncasecmp(l, "TZOFFSETTO", 10) == 0) {
            if (parse_utc_offset(v, &to) != 0) it_fail(file, line, "VTIMEZONE TZOFFSETTO %s", v);
            have_to = 1;
        } else if (nl == 5 && strncasecmp(l, "RRULE", 5) == 0) {
            if (rrule[0]) it_fail(file, line, "VTIMEZONE observance with two RRULEs");
            snprintf(rrule, sizeof rrule, "%s", v);
        } else if (nl == 5 && strncasecmp(l, "RDATE", 5) == 0) {
            if (rdates[0]) strncat(rdates, ",", sizeof rdates - strlen(rdates) - 1);
            strncat(rdates, v, sizeof rdates - strlen(rdates) - 1);
        }
    }
    if (!found) it_fail(file, line, "ICS uses TZID=%s without a VTIMEZONE for it", tzid);
    if (!z->n) it_fail(file, line, "VTIMEZONE %s has no STANDARD or DAYLIGHT observance", tzid);
    qsort(z->on, (size_t)z->n, sizeof z->on[0], cmp_onset);
}

static long vtz_offset(const struct vtz *z, long long utc)
{
    long off = z->on[0].from;
    for (int i = 0; i < z->n && z->on[i].utc <= utc; i++) off = z->on[i].to;
    return off;
}

/* The instant of a local time by the VTIMEZONE, with RFC 5545's rules as local_to_instant. */
static long long vtz_local_to_instant(const struct vtz *z, long long local)
{
    long long best = 0;
    int found = 0;
    for (int i = 0; i < z->n; i++) {
        long offs[2] = {z->on[i].from, z->on[i].to};
        for (int k = 0; k < 2; k++) {
            long long t = local - offs[k];
            if (vtz_offset(z, t) == offs[k] && (!found || t < best)) {
                best = t;
                found = 1;
            }
        }
    }
    return found ? best : local - vtz_offset(z, local - 86400 - 14 * 3600);
}

/* DTSTART/DTEND of the k-th VEVENT as an instant: UTC ("...Z") or local with a TZID that must
 * be the booth's zone and be defined by a VTIMEZONE. A local time is read with RFC 5545's rules
 * for times that occur twice or not at all, once with the system's tz data for the IANA name
 * and once with the file's VTIMEZONE; both readings must agree.
 * Floating times fail. */
static long long ics_time_at(const char *file, int line, const struct ics *x, int k, const char *name, const char *tz)
{
    char params[256];
    const char *v = ics_prop(x, "VEVENT", k, name, params, sizeof params);
    if (!v) it_fail(file, line, "ICS VEVENT #%d has no %s", k, name);
    int Y, M, D, h, m, s, n = 0;
    if (sscanf(v, "%4d%2d%2dT%2d%2d%2d%n", &Y, &M, &D, &h, &m, &s, &n) != 6 || n != 15 ||
        (v[15] != '\0' && !(v[15] == 'Z' && v[16] == '\0')))
        it_fail(file, line, "ICS %s \"%s\" is not a DATE-TIME", name, v);
    const char *tzp = strcasestr(params, "TZID=");
    if (v[15] == 'Z') {
        if (tzp) it_fail(file, line, "ICS %s%s:%s: a UTC time with a TZID", name, params, v);
        struct tm tm = {.tm_year = Y - 1900, .tm_mon = M - 1, .tm_mday = D, .tm_hour = h, .tm_min = m, .tm_sec = s};
        return (long long)timegm(&tm);
    }
    if (!tzp) it_fail(file, line, "ICS %s:%s is a floating time (no Z, no TZID)", name, v);
    char tzid[128];
    const char *t = tzp + 5;
    if (*t == '"') t++;
    size_t tl = strcspn(t, "\";:");
    snprintf(tzid, sizeof tzid, "%.*s", (int)tl, t);
    if (strcmp(tzid, tz) != 0) it_fail(file, line, "ICS %s has TZID \"%s\", expected the booth's zone \"%s\"", name, tzid, tz);
    long long local = local_secs(Y, M, D, h, m, s);
    long long by_name = local_to_instant(tz, local);
    static struct vtz z;
    vtz_read_at(file, line, x, tzid, Y + 1, &z);
    long long by_vtz = vtz_local_to_instant(&z, local);
    if (by_name != by_vtz)
        it_fail(file, line,
                "ICS %s;TZID=%s:%s is %s by the IANA zone but %s by the file's own VTIMEZONE (offset there %+ld s, "
                "the zone's %+ld s)",
                name, tzid, v, ts(by_name, 0), ts(by_vtz, 0), vtz_offset(&z, by_vtz), zone_offset(tz, by_name));
    return by_name;
}

/* One meeting's calendar: checks it and returns UID (copied) and SEQUENCE. */
struct ics_event {
    char uid[256];
    long seq;
    char method[32];
    char status[32];    /* "" if absent */
};

static void check_meeting_ics_at(const char *file, int line, const struct http_resp *r, const struct mbooth *b,
                                 long long start, long long end, const char *method, struct ics_event *out)
{
    struct ics x;
    ics_parse_at(file, line, r, &x);
    memset(out, 0, sizeof *out);
    const char *ver = ics_req_at(file, line, &x, NULL, 0, "VERSION");
    if (strcmp(ver, "2.0") != 0) it_fail(file, line, "ICS VERSION:%s", ver);
    ics_req_at(file, line, &x, NULL, 0, "PRODID");
    snprintf(out->method, sizeof out->method, "%s", ics_req_at(file, line, &x, NULL, 0, "METHOD"));
    if (strcmp(out->method, method) != 0) it_fail(file, line, "ICS METHOD:%s, expected %s", out->method, method);
    int nev = ics_count(&x, "VEVENT");
    if (nev != 1) it_fail(file, line, "ICS of one meeting has %d VEVENTs: %.1500s", nev, r->body);
    const char *uid = ics_req_at(file, line, &x, "VEVENT", 0, "UID");
    if (strlen(uid) < 8) it_fail(file, line, "ICS UID \"%s\" is too short to be unique", uid);
    snprintf(out->uid, sizeof out->uid, "%s", uid);
    const char *seq = ics_req_at(file, line, &x, "VEVENT", 0, "SEQUENCE");
    char *endp;
    out->seq = strtol(seq, &endp, 10);
    if (!seq[0] || *endp || out->seq < 0) it_fail(file, line, "ICS SEQUENCE:%s is not a non-negative integer", seq);
    ics_req_at(file, line, &x, "VEVENT", 0, "DTSTAMP");
    const char *st = ics_prop(&x, "VEVENT", 0, "STATUS", NULL, 0);
    snprintf(out->status, sizeof out->status, "%s", st ? st : "");
    if (strcmp(method, "CANCEL") == 0 && st && strcmp(st, "CANCELLED") != 0)
        it_fail(file, line, "ICS METHOD:CANCEL with STATUS:%s (RFC 5546: CANCELLED)", st);
    if (strcmp(method, "REQUEST") == 0 && st && strcmp(st, "CANCELLED") == 0)
        it_fail(file, line, "ICS METHOD:REQUEST with STATUS:CANCELLED");
    long long ds = ics_time_at(file, line, &x, 0, "DTSTART", b->tz);
    long long de = ics_time_at(file, line, &x, 0, "DTEND", b->tz);
    if (ds != start || de != end)
        it_fail(file, line, "ICS DTSTART:%s/DTEND:%s are the instants %s/%s, the meeting is %s/%s",
                ics_prop(&x, "VEVENT", 0, "DTSTART", NULL, 0), ics_prop(&x, "VEVENT", 0, "DTEND", NULL, 0), ts(ds, 0),
                ts(de, 0), ts(start, 0), ts(end, 0));
    ics_free(&x);
}
#define CHECK_MEETING_ICS(r, b, start, end, method, out) \
    check_meeting_ics_at(__FILE__, __LINE__, (r), (b), (start), (end), (method), (out))

/* The UIDs of a calendar feed's VEVENTs, comma-joined and sorted for comparison. */
static void feed_uids_at(const char *file, int line, const struct http_resp *r, char *out, size_t len)
{
    struct ics x;
    ics_parse_at(file, line, r, &x);
    int n = ics_count(&x, "VEVENT");
    char uids[64][256];
    if (n > 64) it_fail(file, line, "feed has %d events", n);
    for (int i = 0; i < n; i++) {
        snprintf(uids[i], sizeof uids[i], "%s", ics_req_at(file, line, &x, "VEVENT", i, "UID"));
        ics_req_at(file, line, &x, "VEVENT", i, "DTSTART");
        ics_req_at(file, line, &x, "VEVENT", i, "DTSTAMP");
    }
    qsort(uids, (size_t)n, sizeof uids[0], (int (*)(const void *, const void *))strcmp);
    out[0] = '\0';
    for (int i = 0; i < n; i++) {
        if (i) strncat(out, ",", len - strlen(out) - 1);
        strncat(out, uids[i], len - strlen(out) - 1);
    }
    ics_free(&x);
}

/* A feed's events are exactly these n meetings (matched by their instants); each event's
 * DTSTART/DTEND checked as in a single meeting's calendar. */
static void check_feed_times_at(const char *file, int line, const struct http_resp *r, const char *tz,
                                const long long *starts, const long long *ends, int n)
{
    struct ics x;
    ics_parse_at(file, line, r, &x);
    int nev = ics_count(&x, "VEVENT");
    if (nev != n) it_fail(file, line, "feed has %d events, expected %d: %.3000s", nev, n, r->body);
    int used[64] = {0};
    for (int i = 0; i < nev && i < 64; i++) {
        long long ds = ics_time_at(file, line, &x, i, "DTSTART", tz);
        long long de = ics_time_at(file, line, &x, i, "DTEND", tz);
        int k;
        for (k = 0; k < n; k++)
            if (!used[k] && starts[k] == ds && ends[k] == de) break;
        if (k == n)
            it_fail(file, line, "feed event %d (DTSTART:%s DTEND:%s) is %s-%s, which is none of the meetings", i,
                    ics_prop(&x, "VEVENT", i, "DTSTART", NULL, 0), ics_prop(&x, "VEVENT", i, "DTEND", NULL, 0), ts(ds, 0),
                    ts(de, 0));
        used[k] = 1;
    }
    ics_free(&x);
}
#define CHECK_FEED_TIMES(r, tz, starts, ends, n) check_feed_times_at(__FILE__, __LINE__, (r), (tz), (starts), (ends), (n))

static void sorted_pair(char *out, size_t len, const char *a, const char *b)
{
    if (strcmp(a, b) <= 0) snprintf(out, len, "%s,%s", a, b);
    else snprintf(out, len, "%s,%s", b, a);
}

/* ==== tests ================================================================================== */

/* 2027-03-10 09:00 KST, a Wednesday after the demo expo. */
#define KST (9 * 60)

/* Two visitors (on two nodes) ask for the same slot at the same time: both requests exist (no
 * slot is taken yet); the staff accepts both at once: exactly one is accepted, the other gets
 * conflict and stays requested. Then the slot is taken for everyone. */
static void test_two_visitors_race(void)
{
    up(2);
    long long t0 = AT("2027-03-10T09:00:00+09:00");
    struct mbooth b;
    pick_booth(&b, SEOUL_PLAIN, 0);
    struct party s, v1, v2, v3;
    login_staff(&s, na.port, &b, "staff");
    SET_WINDOW(&s, &b, t0, t0 + 3 * 3600, KST, 30);
    login(&v1, na.port, "buyer1@demo.expo", "buyer1@A");
    login(&v2, nb.port, "buyer2@demo.expo", "buyer2@B");
    login(&v3, na.port, "buyer3@demo.expo", "buyer3@A");
    long long slot = t0 + 3600;
    EXPECT_SLOT(&v1, &b, slot, 1);

    long i1 = expo_send(&v1.c, "meeting.request", "{\"booth_id\":%s,\"starts_at\":\"%s\",\"note\":\"first\"}", b.id,
                        ts(slot, KST));
    long i2 = expo_send(&v2.c, "meeting.request", "{\"booth_id\":%s,\"starts_at\":\"%s\",\"note\":\"second\"}", b.id,
                        ts(slot, KST));
    ASSERT_GT(i1, 0);
    ASSERT_GT(i2, 0);
    cJSON *r1 = expo_reply(&v1.c, i1, it_ms(10000));
    cJSON *r2 = expo_reply(&v2.c, i2, it_ms(10000));
    if (!r1 || !r2) FAIL("no reply to a concurrent meeting.request: %s / %s", json_text(r1), json_text(r2));
    if (!cJSON_IsTrue(JGET(r1, "ok")) || !cJSON_IsTrue(JGET(r2, "ok")))
        FAIL("two requests for a free slot must both be created: %s / %s", json_text(r1), json_text(r2));
    cJSON *m1 = take_meeting_at(__FILE__, __LINE__, cJSON_DetachItemFromObjectCaseSensitive(r1, "data"));
    cJSON *m2 = take_meeting_at(__FILE__, __LINE__, cJSON_DetachItemFromObjectCaseSensitive(r2, "data"));
    cJSON_Delete(r1);
    cJSON_Delete(r2);
    CHECK_MEETING(m1, &b, &v1, "requested", slot, slot + 1800);
    CHECK_MEETING(m2, &b, &v2, "requested", slot, slot + 1800);
    ASSERT_STR_EQ(JSTR(m1, "note"), "first");
    ASSERT_STR_EQ(JSTR(m2, "note"), "second");
    char id1[64], id2[64];
    mid_of(id1, sizeof id1, m1);
    mid_of(id2, sizeof id2, m2);
    ASSERT_STR_NE(id1, id2);
    cJSON_Delete(m1);
    cJSON_Delete(m2);
    /* Requests do not take the slot. */
    EXPECT_SLOT(&v3, &b, slot, 1);

    /* Both accepts at once (pipelined on one session). */
    long a1 = expo_send(&s.c, "meeting.respond", "{\"meeting_id\":%s,\"decision\":\"accept\"}", id1);
    long a2 = expo_send(&s.c, "meeting.respond", "{\"meeting_id\":%s,\"decision\":\"accept\"}", id2);
    cJSON *w1, *w2;
    int ok1 = accept_outcome_at(__FILE__, __LINE__, &s, a1, &w1);
    int ok2 = accept_outcome_at(__FILE__, __LINE__, &s, a2, &w2);
    it_log("accept outcomes: meeting %s %s, meeting %s %s", id1, ok1 ? "accepted" : "conflict", id2,
           ok2 ? "accepted" : "conflict");
    ASSERT_EQ(ok1 + ok2, 1);
    const char *win = ok1 ? id1 : id2, *lose = ok1 ? id2 : id1;
    struct party *winner = ok1 ? &v1 : &v2, *loser = ok1 ? &v2 : &v1;
    CHECK_MEETING(ok1 ? w1 : w2, &b, winner, "accepted", slot, slot + 1800);
    cJSON_Delete(ok1 ? w1 : w2);

    ASSERT_DB_STATUS(win, "accepted");
    ASSERT_DB_STATUS(lose, "requested");
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM meetings WHERE booth_id = %s AND status = 'accepted' AND starts_at = '%s'", b.id,
             ts(slot, 0));
    ASSERT_EQ(psql_long(pg.url, sql), 1);
    char *loser_row = meeting_row(lose);

    /* The slot is taken now, for everyone. */
    EXPECT_SLOT(&v3, &b, slot, 0);
    EXPECT_SLOT(loser, &b, slot, 0);
    EXPECT_SLOT(&v3, &b, slot - 1800, 1);
    EXPECT_SLOT(&v3, &b, slot + 1800, 1);
    EXPO_ERR(&v3.c, "conflict", "meeting.request", "{\"booth_id\":%s,\"starts_at\":\"%s\"}", b.id, ts(slot, KST));
    ASSERT_EQ(count_sql("SELECT count(*) FROM meetings WHERE visitor_id = %s", sql_id(v3.id)), 0);
    /* Accepting the loser again: still a conflict, and nothing written. */
    EXPO_ERR(&s.c, "conflict", "meeting.respond", "{\"meeting_id\":%s,\"decision\":\"accept\"}", lose);
    char *again = meeting_row(lose);
    ASSERT_STR_EQ(again, loser_row);
    free(again);
    free(loser_row);

    /* The loser can still be declined. */
    cJSON *d = RESPOND_OK(&s, lose, "decline");
    CHECK_MEETING(d, &b, loser, "declined", slot, slot + 1800);
    cJSON_Delete(d);
    ASSERT_DB_STATUS(lose, "declined");
    ASSERT_DB_STATUS(win, "accepted");
    /* Each visitor lists their own meeting only; the staff lists both. */
    ASSERT_EQ(list_has(winner, win, "accepted"), 1);
    ASSERT_EQ(list_has(winner, lose, NULL), 0);
    ASSERT_EQ(list_has(loser, lose, "declined"), 1);
    ASSERT_EQ(list_has(loser, win, NULL), 0);
    ASSERT_EQ(list_has(&s, win, "accepted"), 1);
    ASSERT_EQ(list_has(&s, lose, "declined"), 1);
    expo_close(&s.c);
    expo_close(&v1.c);
    expo_close(&v2.c);
    expo_close(&v3.c);
}

/* Staff sessions on two nodes accept overlapping requests at the same moment: PostgreSQL lets
 * exactly one through each time. Rounds of two, then one round of four. */
static void test_accept_race_two_nodes(void)
{
    up(2);
    long long t0 = AT("2027-03-10T09:00:00+09:00");
    struct mbooth b;
    pick_booth(&b, SEOUL_PLAIN, 1);
    struct party sa, sb, sa2, sb2;
    login_staff(&sa, na.port, &b, "staff@A");
    same_user(&sb, &sa, nb.port, "staff@B");
    same_user(&sa2, &sa, na.port, "staff2@A");
    same_user(&sb2, &sa, nb.port, "staff2@B");
    struct party *staff[4] = {&sa, &sb, &sa2, &sb2};
    SET_WINDOW(&sa, &b, t0, t0 + 4 * 3600, KST, 30);
    struct party v[4];
    for (int i = 0; i < 4; i++) {
        char email[64], label[32];
        snprintf(email, sizeof email, "buyer%d@demo.expo", i + 1);
        snprintf(label, sizeof label, "buyer%d@%c", i + 1, i % 2 ? 'B' : 'A');
        login(&v[i], i % 2 ? nb.port : na.port, email, label);
    }
    enum { ROUNDS = 7 };
    int wins_a = 0, wins_b = 0;
    char sql[512];
    for (int r = 0; r < ROUNDS; r++) {
        int n = r == ROUNDS - 1 ? 4 : 2;
        long long slot = t0 + r * 1800LL;
        char ids[4][64];
        for (int k = 0; k < n; k++) {
            cJSON *m = REQUEST_OK(&v[k], &b, ts(slot, KST), slot, slot + 1800);
            mid_of(ids[k], sizeof ids[k], m);
            cJSON_Delete(m);
        }
        /* Meeting k is accepted by staff session k (A, B, A, B); alternate who goes first. */
        long rid[4];
        for (int j = 0; j < n; j++) {
            int k = r % 2 ? n - 1 - j : j;
            rid[k] = expo_send(&staff[k]->c, "meeting.respond", "{\"meeting_id\":%s,\"decision\":\"accept\"}", ids[k]);
            ASSERT_GT(rid[k], 0);
        }
        int oks = 0, winner = -1;
        for (int k = 0; k < n; k++) {
            cJSON *m;
            if (accept_outcome_at(__FILE__, __LINE__, staff[k], rid[k], &m)) {
                oks++;
                winner = k;
                CHECK_MEETING(m, &b, &v[k], "accepted", slot, slot + 1800);
                cJSON_Delete(m);
            }
        }
        it_log("round %d (%d accepts at once): %d accepted, winner on node %c", r, n, oks,
               winner >= 0 ? (winner % 2 ? 'B' : 'A') : '-');
        ASSERT_EQ(oks, 1);
        if (winner % 2) wins_b++;
        else wins_a++;
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM meetings WHERE booth_id = %s AND starts_at = '%s' AND status = 'accepted'", b.id,
                 ts(slot, 0));
        ASSERT_EQ(psql_long(pg.url, sql), 1);
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM meetings WHERE booth_id = %s AND starts_at = '%s' AND status = 'requested'",
                 b.id, ts(slot, 0));
        ASSERT_EQ(psql_long(pg.url, sql), n - 1);
        ASSERT_DB_STATUS(ids[winner], "accepted");
    }
    it_log("winners: node A %d, node B %d", wins_a, wins_b);
    /* No two accepted meetings of the booth overlap, and no visitor holds two at once. */
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM meetings x JOIN meetings y ON x.id < y.id AND x.status = 'accepted' AND "
             "y.status = 'accepted' AND tstzrange(x.starts_at, x.ends_at) && tstzrange(y.starts_at, y.ends_at) "
             "AND (x.booth_id = y.booth_id OR x.visitor_id = y.visitor_id)");
    ASSERT_EQ(psql_long(pg.url, sql), 0);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM meetings WHERE booth_id = %s AND status = 'accepted'", b.id);
    ASSERT_EQ(psql_long(pg.url, sql), ROUNDS);
    for (int k = 0; k < 4; k++) {
        expo_close(&staff[k]->c);
        expo_close(&v[k].c);
    }
}

/* A visitor may not hold two accepted meetings at overlapping times, even in different booths;
 * back-to-back is fine (half-open ranges); another visitor may take the same time. */
static void test_visitor_double_booking(void)
{
    up(1);
    long long t0 = AT("2027-03-10T09:00:00+09:00");
    struct mbooth bx, by;
    pick_booth(&bx, SEOUL_PLAIN, 2);
    pick_booth(&by, SEOUL_PLAIN, 3);
    struct party sx, sy, v, w;
    login_staff(&sx, na.port, &bx, "staff-x");
    login_staff(&sy, na.port, &by, "staff-y");
    /* X: 09:00-11:00 KST; Y: 09:15-11:15, so Y's slots straddle X's. */
    SET_WINDOW(&sx, &bx, t0, t0 + 7200, KST, 30);
    SET_WINDOW(&sy, &by, t0 + 900, t0 + 900 + 7200, KST, 30);
    login(&v, na.port, "buyer1@demo.expo", "buyer1");
    login(&w, na.port, "buyer2@demo.expo", "buyer2");

    /* All requests first, while nothing is accepted: X 09:30, Y 09:15 (overlaps it by 15 minutes), Y 10:15, X 10:00 (in UTC;
     * back to back with X 09:30, overlaps Y 10:15), X 09:00 (back to back with X 09:30). */
    struct { const struct mbooth *b; long long start; int off; char id[64]; } q[5] = {
        {&bx, t0 + 1800, KST, ""}, {&by, t0 + 900, KST, ""}, {&by, t0 + 4500, KST, ""},
        {&bx, t0 + 3600, 0, ""}, {&bx, t0, KST, ""},
    };
    for (int i = 0; i < 5; i++) {
        cJSON *m = REQUEST_OK(&v, q[i].b, ts(q[i].start, q[i].off), q[i].start, q[i].start + 1800);
        mid_of(q[i].id, sizeof q[i].id, m);
        cJSON_Delete(m);
    }
    const char *mx = q[0].id, *my_overlap = q[1].id, *my_free = q[2].id, *mx2 = q[3].id, *mx0 = q[4].id;
    EXPECT_SLOT(&v, &by, t0 + 900, 1);

    cJSON *m = RESPOND_OK(&sx, mx, "accept");
    CHECK_MEETING(m, &bx, &v, "accepted", t0 + 1800, t0 + 3600);
    cJSON_Delete(m);

    /* Y's 09:15 and 09:45 slots overlap v's accepted 09:30 meeting in X: unavailable for v,
     * available for w. */
    EXPECT_SLOT(&v, &by, t0 + 900, 0);
    EXPECT_SLOT(&v, &by, t0 + 2700, 0);
    EXPECT_SLOT(&w, &by, t0 + 900, 1);
    EXPECT_SLOT(&v, &by, t0 + 4500, 1);
    char *row = meeting_row(my_overlap);
    EXPO_ERR(&sy.c, "conflict", "meeting.respond", "{\"meeting_id\":%s,\"decision\":\"accept\"}", my_overlap);
    char *row2 = meeting_row(my_overlap);
    ASSERT_STR_EQ(row2, row);
    free(row);
    free(row2);

    /* Y 10:15-10:45 does not overlap X 09:30-10:00. */
    m = RESPOND_OK(&sy, my_free, "accept");
    CHECK_MEETING(m, &by, &v, "accepted", t0 + 4500, t0 + 6300);
    cJSON_Delete(m);
    /* X 10:00-10:30 overlaps the accepted Y 10:15-10:45. */
    EXPO_ERR(&sx.c, "conflict", "meeting.respond", "{\"meeting_id\":%s,\"decision\":\"accept\"}", mx2);
    ASSERT_DB_STATUS(mx2, "requested");
    /* X 09:00-09:30 ends when X 09:30-10:00 begins. */
    m = RESPOND_OK(&sx, mx0, "accept");
    CHECK_MEETING(m, &bx, &v, "accepted", t0, t0 + 1800);
    cJSON_Delete(m);

    /* w may take Y's 09:15 (only v was double booked there). */
    m = REQUEST_OK(&w, &by, ts(t0 + 900, KST), t0 + 900, t0 + 2700);
    char mw[64];
    mid_of(mw, sizeof mw, m);
    cJSON_Delete(m);
    m = RESPOND_OK(&sy, mw, "accept");
    CHECK_MEETING(m, &by, &w, "accepted", t0 + 900, t0 + 2700);
    cJSON_Delete(m);

    ASSERT_EQ(count_sql("SELECT count(*) FROM meetings WHERE visitor_id = %s AND status = 'accepted'", sql_id(v.id)), 3);
    ASSERT_EQ(count_sql("SELECT count(*) FROM meetings x JOIN meetings y ON x.id < y.id AND x.visitor_id = y.visitor_id "
                        "AND x.visitor_id = %s AND x.status = 'accepted' AND y.status = 'accepted' AND "
                        "tstzrange(x.starts_at, x.ends_at) && tstzrange(y.starts_at, y.ends_at)",
                        sql_id(v.id)),
              0);
    ASSERT_EQ(list_has(&v, mx, "accepted"), 1);
    ASSERT_EQ(list_has(&v, my_overlap, "requested"), 1);
    ASSERT_EQ(list_has(&v, my_free, "accepted"), 1);
    ASSERT_EQ(list_has(&sx, my_free, NULL), 0);   /* staff of X does not see Y's meetings */
    ASSERT_EQ(list_has(&sy, mx, NULL), 0);
    expo_close(&sx.c);
    expo_close(&sy.c);
    expo_close(&v.c);
    expo_close(&w.c);
}

/* Cancelling an accepted meeting (by the visitor, then by the staff) frees its slot. */
static void test_cancel_frees_slot(void)
{
    up(1);
    long long t0 = AT("2027-03-10T09:00:00+09:00");
    struct mbooth b;
    pick_booth(&b, SEOUL_PLAIN, 4);
    struct party s, v1, v2, v3;
    login_staff(&s, na.port, &b, "staff");
    SET_WINDOW(&s, &b, t0, t0 + 7200, KST, 30);
    login(&v1, na.port, "buyer1@demo.expo", "buyer1");
    login(&v2, na.port, "buyer2@demo.expo", "buyer2");
    login(&v3, na.port, "buyer3@demo.expo", "buyer3");
    long long slot = t0 + 3600;

    cJSON *m = take_meeting_at(__FILE__, __LINE__,
                               EXPO_OK(&v1.c, "meeting.request", "{\"booth_id\":%s,\"starts_at\":\"%s\",\"note\":%s}",
                                       b.id, ts(slot, KST), json_quote("Looking for a distributor in Texas")));
    CHECK_MEETING(m, &b, &v1, "requested", slot, slot + 1800);
    ASSERT_STR_EQ(JSTR(m, "note"), "Looking for a distributor in Texas");
    char m1[64];
    mid_of(m1, sizeof m1, m);
    cJSON_Delete(m);
    m = take_meeting_at(__FILE__, __LINE__,
                        EXPO_OK(&s.c, "meeting.respond", "{\"meeting_id\":%s,\"decision\":\"accept\",\"message\":%s}", m1,
                                json_quote("See you then")));
    CHECK_MEETING(m, &b, &v1, "accepted", slot, slot + 1800);
    ASSERT_STR_EQ(JSTR(m, "message"), "See you then");
    char url1[512];
    snprintf(url1, sizeof url1, "%s", JSTR(m, "video_url"));
    cJSON_Delete(m);

    EXPECT_SLOT(&v2, &b, slot, 0);
    EXPO_ERR(&v2.c, "conflict", "meeting.request", "{\"booth_id\":%s,\"starts_at\":\"%s\"}", b.id, ts(slot, KST));

    /* The visitor cancels. */
    m = take_meeting_at(__FILE__, __LINE__,
                        EXPO_OK(&v1.c, "meeting.cancel", "{\"meeting_id\":%s,\"reason\":%s}", m1,
                                json_quote("My flight changed")));
    CHECK_MEETING(m, &b, &v1, "cancelled", slot, slot + 1800);
    cJSON_Delete(m);
    ASSERT_DB_STATUS(m1, "cancelled");
    EXPECT_SLOT(&v2, &b, slot, 1);
    EXPECT_SLOT(&v1, &b, slot, 1);

    m = REQUEST_OK(&v2, &b, ts(slot, KST), slot, slot + 1800);
    char m2[64];
    mid_of(m2, sizeof m2, m);
    cJSON_Delete(m);
    m = RESPOND_OK(&s, m2, "accept");
    CHECK_MEETING(m, &b, &v2, "accepted", slot, slot + 1800);
    char url2[512];
    snprintf(url2, sizeof url2, "%s", JSTR(m, "video_url"));
    cJSON_Delete(m);
    /* Generated rooms are per meeting. */
    ASSERT_STR_NE(url1, url2);
    EXPECT_SLOT(&v3, &b, slot, 0);

    /* The staff cancels. */
    m = CANCEL_OK(&s, m2);
    CHECK_MEETING(m, &b, &v2, "cancelled", slot, slot + 1800);
    cJSON_Delete(m);
    EXPECT_SLOT(&v3, &b, slot, 1);
    m = REQUEST_OK(&v3, &b, ts(slot, KST), slot, slot + 1800);
    char m3[64];
    mid_of(m3, sizeof m3, m);
    cJSON_Delete(m);
    m = RESPOND_OK(&s, m3, "accept");
    CHECK_MEETING(m, &b, &v3, "accepted", slot, slot + 1800);
    cJSON_Delete(m);

    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT string_agg(status, ',' ORDER BY id) FROM meetings WHERE booth_id = %s AND starts_at = '%s'", b.id,
             ts(slot, 0));
    char *sts = psql_ok(pg.url, sql);
    ASSERT_STR_EQ(sts, "cancelled,cancelled,accepted");
    free(sts);
    ASSERT_EQ(list_has(&s, m1, "cancelled"), 1);
    ASSERT_EQ(list_has(&s, m2, "cancelled"), 1);
    ASSERT_EQ(list_has(&s, m3, "accepted"), 1);
    ASSERT_EQ(list_has(&v1, m1, "cancelled"), 1);
    ASSERT_EQ(list_has(&v1, m3, NULL), 0);
    expo_close(&s.c);
    expo_close(&v1.c);
    expo_close(&v2.c);
    expo_close(&v3.c);
}

/* Another visitor and another booth's staff cannot respond to, cancel, list or download a
 * meeting that is not theirs, and nothing is written by their attempts. */
static void test_idor(void)
{
    up(1);
    long long t0 = AT("2027-03-10T09:00:00+09:00");
    struct mbooth bx, by;
    pick_booth(&bx, SEOUL_PLAIN, 5);
    pick_booth(&by, SEOUL_PLAIN, 6);
    struct party sx, sy, v, e;
    login_staff(&sx, na.port, &bx, "staff-x");
    login_staff(&sy, na.port, &by, "staff-y");
    SET_WINDOW(&sx, &bx, t0, t0 + 7200, KST, 30);
    SET_WINDOW(&sy, &by, t0, t0 + 7200, KST, 30);
    login(&v, na.port, "buyer1@demo.expo", "owner");
    login(&e, na.port, "buyer2@demo.expo", "other");
    char *avail_x = availability_rows(&bx);

    cJSON *m = REQUEST_OK(&v, &bx, ts(t0, KST), t0, t0 + 1800);
    char mid[64];
    mid_of(mid, sizeof mid, m);
    cJSON_Delete(m);
    char *row = meeting_row(mid);
    char path[128];
    snprintf(path, sizeof path, "/meetings/%s.ics", sql_id(mid));

    for (int phase = 0; phase < 2; phase++) {
        it_log("phase %d: meeting %s is %s", phase, mid, phase ? "accepted" : "requested");
        /* Visitors may not respond, not even to their own meeting. */
        EXPO_ERR(&e.c, "forbidden", "meeting.respond", "{\"meeting_id\":%s,\"decision\":\"accept\"}", mid);
        EXPO_ERR(&e.c, "forbidden", "meeting.respond", "{\"meeting_id\":%s,\"decision\":\"decline\"}", mid);
        EXPO_ERR(&v.c, "forbidden", "meeting.respond", "{\"meeting_id\":%s,\"decision\":\"accept\"}", mid);
        /* Staff of another booth: the meeting does not exist for them. */
        EXPO_ERR(&sy.c, "not_found", "meeting.respond", "{\"meeting_id\":%s,\"decision\":\"accept\"}", mid);
        EXPO_ERR(&sy.c, "not_found", "meeting.respond", "{\"meeting_id\":%s,\"decision\":\"decline\"}", mid);
        EXPO_ERR(&sy.c, "not_found", "meeting.cancel", "{\"meeting_id\":%s}", mid);
        EXPO_ERR(&e.c, "not_found", "meeting.cancel", "{\"meeting_id\":%s,\"reason\":\"mine now\"}", mid);
        ASSERT_EQ(list_has(&e, mid, NULL), 0);
        ASSERT_EQ(list_has(&sy, mid, NULL), 0);
        ASSERT_EQ(list_has(&v, mid, NULL), 1);
        ASSERT_EQ(list_has(&sx, mid, NULL), 1);
        struct http_resp r;
        GET_ICS(na.port, path, e.token, 404, &r);
        ASSERT_TRUE(strstr(r.body, "BEGIN:VCALENDAR") == NULL);
        http_resp_free(&r);
        GET_ICS(na.port, path, sy.token, 404, &r);
        http_resp_free(&r);
        GET_ICS(na.port, path, NULL, 401, &r);
        http_resp_free(&r);
        int st = http_get_auth(na.port, path, "Bearer not-a-valid-token-000000000000000000000", &r);
        ASSERT_EQ(st, 401);
        http_resp_free(&r);
        st = http_get_auth(na.port, path, "Basic YnV5ZXIxQGRlbW8uZXhwbzpkZW1vMTIzNA==", &r);
        ASSERT_EQ(st, 401);
        http_resp_free(&r);
        GET_ICS(na.port, path, v.token, 200, &r);
        http_resp_free(&r);
        GET_ICS(na.port, path, sx.token, 200, &r);
        http_resp_free(&r);
        GET_ICS(na.port, "/meetings/987654321.ics", v.token, 404, &r);
        http_resp_free(&r);
        GET_ICS(na.port, "/meetings.ics", NULL, 401, &r);
        http_resp_free(&r);
        /* The other visitor's feed does not carry it. */
        GET_ICS(na.port, "/meetings.ics", e.token, 200, &r);
        char uids[4096];
        feed_uids_at(__FILE__, __LINE__, &r, uids, sizeof uids);
        ASSERT_STR_EQ(uids, "");
        http_resp_free(&r);
        /* Nothing changed. */
        char *now = meeting_row(mid);
        ASSERT_STR_EQ(now, row);
        free(now);
        if (phase == 0) {
            m = RESPOND_OK(&sx, mid, "accept");
            cJSON_Delete(m);
            free(row);
            row = meeting_row(mid);
        }
    }
    /* Unknown ids; availability of another booth; requests by staff. */
    EXPO_ERR(&sx.c, "not_found", "meeting.respond", "{\"meeting_id\":987654321,\"decision\":\"accept\"}");
    EXPO_ERR(&v.c, "not_found", "meeting.cancel", "{\"meeting_id\":987654321}");
    EXPO_ERR(&e.c, "forbidden", "meeting.availability.set",
             "{\"booth_id\":%s,\"windows\":[{\"starts_at\":\"%s\",\"ends_at\":\"%s\"}],\"slot_minutes\":30}", bx.id,
             ts(t0, KST), ts(t0 + 3600, KST));
    EXPO_ERR(&sy.c, "forbidden", "meeting.availability.set",
             "{\"booth_id\":%s,\"windows\":[{\"starts_at\":\"%s\",\"ends_at\":\"%s\"}],\"slot_minutes\":30}", bx.id,
             ts(t0, KST), ts(t0 + 3600, KST));
    EXPO_ERR(&sy.c, "forbidden", "meeting.request", "{\"booth_id\":%s,\"starts_at\":\"%s\"}", bx.id, ts(t0 + 1800, KST));
    char *avail_now = availability_rows(&bx);
    ASSERT_STR_EQ(avail_now, avail_x);
    free(avail_now);
    free(avail_x);
    ASSERT_EQ(count_sql("SELECT count(*) FROM meetings WHERE booth_id = %s", bx.id), 1);
    ASSERT_EQ(count_sql("SELECT count(*) FROM meetings WHERE visitor_id = %s", sql_id(e.id)), 0);
    char *now = meeting_row(mid);
    ASSERT_STR_EQ(now, row);
    free(now);
    free(row);

    /* Not signed in: unauthorized for every meeting type. */
    struct expo anon;
    expo_connect(&anon, na.port, "anon");
    EXPO_ERR(&anon, "unauthorized", "meeting.list", "{}");
    EXPO_ERR(&anon, "unauthorized", "meeting.request", "{\"booth_id\":%s,\"starts_at\":\"%s\"}", bx.id, ts(t0 + 1800, KST));
    EXPO_ERR(&anon, "unauthorized", "meeting.cancel", "{\"meeting_id\":%s}", mid);
    EXPO_ERR(&anon, "unauthorized", "meeting.respond", "{\"meeting_id\":%s,\"decision\":\"decline\"}", mid);
    EXPO_ERR(&anon, "unauthorized", "meeting.availability.set",
             "{\"booth_id\":%s,\"windows\":[],\"slot_minutes\":30}", bx.id);
    ASSERT_DB_STATUS(mid, "accepted");
    expo_close(&anon);
    expo_close(&sx.c);
    expo_close(&sy.c);
    expo_close(&v.c);
    expo_close(&e.c);
}

/* The ICS downloads: syntax, a stable UID, SEQUENCE growing with each change, METHOD REQUEST
 * then CANCEL, the meeting's instants; the feed of accepted meetings. */
static void test_ics(void)
{
    up(1);
    long long t0 = AT("2027-03-10T09:00:00+09:00");
    struct mbooth b;
    /* the demo booths have no call link of their own (no made-up sites): give Seoul's one */
    free(psql_ok(pg.url, "UPDATE booths SET video_call_url = 'https://meet.jit.si/boothd-ics-' || slug"
                         " WHERE time_zone = 'Asia/Seoul'"));
    pick_booth(&b, "time_zone = 'Asia/Seoul' AND video_call_url IS NOT NULL", 0);
    struct party s, v;
    login_staff(&s, na.port, &b, "staff");
    SET_WINDOW(&s, &b, t0, t0 + 3 * 3600, KST, 30);
    login(&v, na.port, "buyer1@demo.expo", "buyer1");
    long long start = t0 + 5400, end = start + 1800;   /* 10:30-11:00 KST = 01:30-02:00 UTC */

    cJSON *m = REQUEST_OK(&v, &b, ts(start, KST), start, end);
    char mid[64];
    mid_of(mid, sizeof mid, m);
    cJSON_Delete(m);
    char path[128];
    snprintf(path, sizeof path, "/meetings/%s.ics", sql_id(mid));

    struct http_resp r;
    struct ics_event e0, e1, e1s, e2;
    GET_ICS(na.port, path, v.token, 200, &r);
    CHECK_MEETING_ICS(&r, &b, start, end, "REQUEST", &e0);
    http_resp_free(&r);
    it_log("requested: UID %s SEQUENCE %ld STATUS %s", e0.uid, e0.seq, e0.status);

    m = RESPOND_OK(&s, mid, "accept");
    CHECK_MEETING(m, &b, &v, "accepted", start, end);   /* the booth's own video link */
    cJSON_Delete(m);
    GET_ICS(na.port, path, v.token, 200, &r);
    CHECK_MEETING_ICS(&r, &b, start, end, "REQUEST", &e1);
    http_resp_free(&r);
    GET_ICS(na.port, path, s.token, 200, &r);
    CHECK_MEETING_ICS(&r, &b, start, end, "REQUEST", &e1s);
    http_resp_free(&r);
    it_log("accepted: UID %s SEQUENCE %ld STATUS %s", e1.uid, e1.seq, e1.status);
    ASSERT_STR_EQ(e1.uid, e0.uid);
    ASSERT_GT(e1.seq, e0.seq);
    ASSERT_STR_EQ(e1s.uid, e1.uid);
    ASSERT_EQ(e1s.seq, e1.seq);
    /* Downloading again changes nothing. */
    GET_ICS(na.port, path, v.token, 200, &r);
    CHECK_MEETING_ICS(&r, &b, start, end, "REQUEST", &e1s);
    http_resp_free(&r);
    ASSERT_STR_EQ(e1s.uid, e1.uid);
    ASSERT_EQ(e1s.seq, e1.seq);
    /* An accepted meeting without a stored link: no LOCATION or URL, and the description says
       who brings it (never an empty "Video call:") */
    char nolink[700];
    snprintf(nolink, sizeof nolink, "UPDATE meetings SET video_url = NULL WHERE id = %s", sql_id(mid));
    free(psql_ok(pg.url, nolink));
    GET_ICS(na.port, path, v.token, 200, &r);
    ASSERT_TRUE(strstr(r.body, "LOCATION:") == NULL && strstr(r.body, "\r\nURL:") == NULL);
    ASSERT_CONTAINS(r.body, "Video call: the booth will send the link");
    http_resp_free(&r);
    snprintf(nolink, sizeof nolink, "UPDATE meetings SET video_url = '%s' WHERE id = %s", b.video, sql_id(mid));
    free(psql_ok(pg.url, nolink));

    /* A second accepted meeting: both in the feeds of the visitor and of the staff. */
    long long start2 = t0 + 7200;
    m = REQUEST_OK(&v, &b, ts(start2, 0), start2, start2 + 1800);
    char mid2[64];
    mid_of(mid2, sizeof mid2, m);
    cJSON_Delete(m);
    cJSON_Delete(RESPOND_OK(&s, mid2, "accept"));
    char path2[128];
    snprintf(path2, sizeof path2, "/meetings/%s.ics", sql_id(mid2));
    struct ics_event f;
    GET_ICS(na.port, path2, v.token, 200, &r);
    CHECK_MEETING_ICS(&r, &b, start2, start2 + 1800, "REQUEST", &f);
    http_resp_free(&r);
    ASSERT_STR_NE(f.uid, e0.uid);
    /* A third one, declined: in no feed. */
    m = REQUEST_OK(&v, &b, ts(t0, KST), t0, t0 + 1800);
    char mid3[64];
    mid_of(mid3, sizeof mid3, m);
    cJSON_Delete(m);
    cJSON_Delete(RESPOND_OK(&s, mid3, "decline"));

    char want[600], uids[4096];
    sorted_pair(want, sizeof want, e0.uid, f.uid);
    GET_ICS(na.port, "/meetings.ics", v.token, 200, &r);
    feed_uids_at(__FILE__, __LINE__, &r, uids, sizeof uids);
    long long fs[2] = {start, start2}, fe[2] = {end, start2 + 1800};
    CHECK_FEED_TIMES(&r, b.tz, fs, fe, 2);
    http_resp_free(&r);
    ASSERT_STR_EQ(uids, want);
    GET_ICS(na.port, "/meetings.ics", s.token, 200, &r);
    feed_uids_at(__FILE__, __LINE__, &r, uids, sizeof uids);
    http_resp_free(&r);
    ASSERT_STR_EQ(uids, want);

    /* Cancelled: same UID, higher SEQUENCE, METHOD:CANCEL; gone from the feeds. */
    cJSON_Delete(CANCEL_OK(&v, mid));
    GET_ICS(na.port, path, v.token, 200, &r);
    CHECK_MEETING_ICS(&r, &b, start, end, "CANCEL", &e2);
    http_resp_free(&r);
    it_log("cancelled: UID %s SEQUENCE %ld STATUS %s", e2.uid, e2.seq, e2.status);
    ASSERT_STR_EQ(e2.uid, e0.uid);
    ASSERT_GT(e2.seq, e1.seq);
    GET_ICS(na.port, path, s.token, 200, &r);
    CHECK_MEETING_ICS(&r, &b, start, end, "CANCEL", &e1s);
    http_resp_free(&r);
    ASSERT_EQ(e1s.seq, e2.seq);
    GET_ICS(na.port, "/meetings.ics", v.token, 200, &r);
    feed_uids_at(__FILE__, __LINE__, &r, uids, sizeof uids);
    http_resp_free(&r);
    ASSERT_STR_EQ(uids, f.uid);
    GET_ICS(na.port, "/meetings.ics", s.token, 200, &r);
    feed_uids_at(__FILE__, __LINE__, &r, uids, sizeof uids);
    http_resp_free(&r);
    ASSERT_STR_EQ(uids, f.uid);
    expo_close(&s.c);
    expo_close(&v.c);
}

/* A booth in America/New_York with availability across the spring-forward change
 * (2027-03-14 02:00 EST -> 03:00 EDT) and the fall-back change (2027-11-07 02:00 EDT -> 01:00
 * EST): slots are real 30-minute intervals, offsets are the right ones on each side, meetings
 * and their ICS times are the right instants. */
static void test_dst_boundary(void)
{
    up(1);
    struct mbooth b;
    pick_booth(&b, "time_zone = 'America/New_York'", 0);
    struct party s, v;
    login_staff(&s, na.port, &b, "staff");
    login(&v, na.port, "buyer1@demo.expo", "buyer1");
    /* Our own zone data agrees with the premise. */
    long long change = AT("2027-03-14T07:00:00Z");   /* 02:00 EST */
    ASSERT_EQ(zone_offset(b.tz, change - 1), -5 * 3600);
    ASSERT_EQ(zone_offset(b.tz, change), -4 * 3600);

    /* Spring: 00:00 EST to 04:00 EDT is 3 real hours = 6 slots. */
    long long ws = AT("2027-03-14T00:00:00-05:00"), we = AT("2027-03-14T04:00:00-04:00");
    ASSERT_EQ(we - ws, 3 * 3600);
    /* Fall: 00:00 EDT to 03:00 EST is 4 real hours = 8 slots. */
    long long fs = AT("2027-11-07T00:00:00-04:00"), fe = AT("2027-11-07T03:00:00-05:00");
    long long fchange = AT("2027-11-07T06:00:00Z");   /* 02:00 EDT -> 01:00 EST */
    ASSERT_EQ(fe - fs, 4 * 3600);
    cJSON *d = EXPO_OK(&s.c, "meeting.availability.set",
                       "{\"booth_id\":%s,\"windows\":[{\"starts_at\":\"2027-03-14T00:00:00-05:00\","
                       "\"ends_at\":\"2027-03-14T04:00:00-04:00\"},{\"starts_at\":\"2027-11-07T00:00:00-04:00\","
                       "\"ends_at\":\"2027-11-07T03:00:00-05:00\"}],\"slot_minutes\":30}",
                       b.id);
    const cJSON *wins = JGET(d, "windows");
    ASSERT_EQ(cJSON_GetArraySize(wins), 2);
    long long want_w[2][2] = {{ws, we}, {fs, fe}};
    for (int i = 0; i < 2; i++) {
        /* The reply's order is not specified: match by start. */
        const cJSON *w = NULL, *x;
        cJSON_ArrayForEach(x, wins)
        {
            long long e;
            if (it_parse_rfc3339(JSTR(x, "starts_at"), &e) == 0 && e == want_w[i][0]) w = x;
        }
        if (!w) FAIL("availability.set reply lacks the window starting %s: %s", ts(want_w[i][0], 0), json_text(d));
        CHECK_TIME("window starts_at", JSTR(w, "starts_at"), want_w[i][0], b.tz);
        CHECK_TIME("window ends_at", JSTR(w, "ends_at"), want_w[i][1], b.tz);
    }
    cJSON_Delete(d);

    struct { long long from, to, first, change; int n; const char *what; } day[2] = {
        {AT("2027-03-13T00:00:00Z"), AT("2027-03-15T00:00:00Z"), ws, change, 6, "spring forward"},
        {AT("2027-11-06T00:00:00Z"), AT("2027-11-08T00:00:00Z"), fs, fchange, 8, "fall back"},
    };
    for (int k = 0; k < 2; k++) {
        d = SLOTS(&v, &b, day[k].from, day[k].to);
        const cJSON *sl = JGET(d, "slots");
        int n = cJSON_GetArraySize(sl);
        if (n != day[k].n) FAIL("%s: %d slots, expected %d: %s", day[k].what, n, day[k].n, json_text(sl));
        for (int i = 0; i < n; i++) {
            const cJSON *x = cJSON_GetArrayItem(sl, i);
            long long want = day[k].first + i * 1800LL;
            const char *a = JSTR(x, "starts_at"), *e = JSTR(x, "ends_at");
            /* CHECK_TIME also checks any non-UTC offset: before the change the old one, after it the new. */
            CHECK_TIME("slot starts_at", a, want, b.tz);
            CHECK_TIME("slot ends_at", e, want + 1800, b.tz);
            ASSERT_TRUE(JBOOL(x, "available"));
            it_log("%s slot %d: %s - %s (%s)", day[k].what, i, a, e, want < day[k].change ? "before" : "after");
        }
        cJSON_Delete(d);
    }

    /* Spring: the slot 01:30 EST-03:00 EDT (30 real minutes), requested with the EST offset;
     * the next one, 03:00 EDT, requested in UTC; the one after, 03:30 EDT, written with the
     * EST offset as 02:30-05:00 (the same instant). */
    long long sA = AT("2027-03-14T01:30:00-05:00");
    ASSERT_EQ(sA + 1800, AT("2027-03-14T03:00:00-04:00"));
    cJSON *m = REQUEST_OK(&v, &b, "2027-03-14T01:30:00-05:00", sA, sA + 1800);
    char ma[64];
    mid_of(ma, sizeof ma, m);
    cJSON_Delete(m);
    m = REQUEST_OK(&v, &b, "2027-03-14T07:00:00Z", sA + 1800, sA + 3600);
    char mb[64];
    mid_of(mb, sizeof mb, m);
    cJSON_Delete(m);
    m = REQUEST_OK(&v, &b, "2027-03-14T02:30:00-05:00", sA + 3600, sA + 5400);
    char mc[64];
    mid_of(mc, sizeof mc, m);
    cJSON_Delete(m);
    /* An instant between slot starts (03:15 EDT) is refused. */
    EXPO_ERR(&v.c, "bad_request", "meeting.request", "{\"booth_id\":%s,\"starts_at\":\"2027-03-14T03:15:00-04:00\"}",
             b.id);
    for (int i = 0; i < 3; i++) {
        const char *id = i == 0 ? ma : i == 1 ? mb : mc;
        m = RESPOND_OK(&s, id, "accept");
        CHECK_MEETING(m, &b, &v, "accepted", sA + i * 1800LL, sA + (i + 1) * 1800LL);
        cJSON_Delete(m);
    }
    EXPECT_SLOT(&v, &b, sA, 0);
    EXPECT_SLOT(&v, &b, sA - 1800, 1);

    char path[128];
    struct http_resp r;
    struct ics_event ev;

    /* Fall: the two slots at 01:00 and 01:30 EDT and the two at 01:00 and 01:30 EST are four
     * different instants. The ICS of the second (01:00 EST) cannot use a local time with
     * TZID: RFC 5545 reads an ambiguous local time as its first occurrence (01:00 EDT). */
    long long f1 = AT("2027-11-07T01:00:00-04:00"), f2 = AT("2027-11-07T01:00:00-05:00");
    ASSERT_EQ(f2 - f1, 3600);
    m = REQUEST_OK(&v, &b, "2027-11-07T01:00:00-04:00", f1, f1 + 1800);
    char mf1[64];
    mid_of(mf1, sizeof mf1, m);
    cJSON_Delete(m);
    m = REQUEST_OK(&v, &b, "2027-11-07T01:00:00-05:00", f2, f2 + 1800);
    char mf2[64];
    mid_of(mf2, sizeof mf2, m);
    cJSON_Delete(m);
    cJSON_Delete(RESPOND_OK(&s, mf1, "accept"));
    cJSON_Delete(RESPOND_OK(&s, mf2, "accept"));   /* no overlap: an hour apart */
    EXPECT_SLOT(&v, &b, f1, 0);
    EXPECT_SLOT(&v, &b, f1 + 1800, 1);
    EXPECT_SLOT(&v, &b, f2, 0);

    /* The feed holds all five at their instants. */
    long long st5[5] = {sA, sA + 1800, sA + 3600, f1, f2};
    long long en5[5] = {sA + 1800, sA + 3600, sA + 5400, f1 + 1800, f2 + 1800};
    GET_ICS(na.port, "/meetings.ics", v.token, 200, &r);
    CHECK_FEED_TIMES(&r, b.tz, st5, en5, 5);
    http_resp_free(&r);
    GET_ICS(na.port, "/meetings.ics", s.token, 200, &r);
    CHECK_FEED_TIMES(&r, b.tz, st5, en5, 5);
    http_resp_free(&r);

    /* The meeting across the spring change: 01:30 EST to 03:00 EDT. */
    snprintf(path, sizeof path, "/meetings/%s.ics", sql_id(ma));
    GET_ICS(na.port, path, v.token, 200, &r);
    it_log("ICS across spring forward:\n%s", r.body);
    CHECK_MEETING_ICS(&r, &b, sA, sA + 1800, "REQUEST", &ev);
    http_resp_free(&r);
    /* The second 01:00-01:30 of the fall change (EST). */
    snprintf(path, sizeof path, "/meetings/%s.ics", sql_id(mf2));
    GET_ICS(na.port, path, v.token, 200, &r);
    CHECK_MEETING_ICS(&r, &b, f2, f2 + 1800, "REQUEST", &ev);
    http_resp_free(&r);
    expo_close(&s.c);
    expo_close(&v.c);
}

/* meeting.updated reaches every session of the visitor and of the booth's staff on both nodes,
 * once per change, and nobody else. */
static void test_events_two_nodes(void)
{
    up(2);
    long long t0 = AT("2027-03-10T09:00:00+09:00");
    struct mbooth b, other;
    pick_booth(&b, SEOUL_PLAIN, 7);
    pick_booth(&other, SEOUL_PLAIN, 8);
    struct party s1, s2, v1, v2, w, t;
    login_staff(&s1, na.port, &b, "staff@A");
    same_user(&s2, &s1, nb.port, "staff@B");
    login(&v1, na.port, "buyer1@demo.expo", "buyer1@A");
    same_user(&v2, &v1, nb.port, "buyer1@B");
    login(&w, nb.port, "buyer2@demo.expo", "buyer2@B");
    login_staff(&t, na.port, &other, "other-staff@A");
    SET_WINDOW(&s1, &b, t0, t0 + 7200, KST, 30);
    struct party *all[4] = {&s1, &s2, &v1, &v2};
    for (int i = 0; i < 4; i++) expo_discard_events(&all[i]->c, "meeting.updated");

    /* Requested (on A): all four sessions. */
    cJSON *m = REQUEST_OK(&v1, &b, ts(t0, KST), t0, t0 + 1800);
    char mid[64];
    mid_of(mid, sizeof mid, m);
    cJSON_Delete(m);
    for (int i = 0; i < 4; i++) WAIT_UPDATE(all[i], mid, "requested", &b, &v1);

    /* Accepted (on B). */
    m = take_meeting_at(__FILE__, __LINE__,
                        EXPO_OK(&s2.c, "meeting.respond", "{\"meeting_id\":%s,\"decision\":\"accept\",\"message\":%s}",
                                mid, json_quote("Welcome")));
    cJSON_Delete(m);
    for (int i = 0; i < 4; i++) {
        cJSON *u = wait_update_at(__FILE__, __LINE__, all[i], mid, "accepted", &b, &v1, it_ms(5000));
        ASSERT_STR_EQ(JSTR(u, "message"), "Welcome");
        cJSON_Delete(u);
    }

    /* Cancelled by the visitor (on B). */
    cJSON_Delete(CANCEL_OK(&v2, mid));
    for (int i = 0; i < 4; i++) WAIT_UPDATE(all[i], mid, "cancelled", &b, &v1);

    /* Another request, declined on A. */
    m = REQUEST_OK(&v2, &b, ts(t0 + 1800, KST), t0 + 1800, t0 + 3600);
    char mid2[64];
    mid_of(mid2, sizeof mid2, m);
    cJSON_Delete(m);
    for (int i = 0; i < 4; i++) WAIT_UPDATE(all[i], mid2, "requested", &b, &v1);
    cJSON_Delete(RESPOND_OK(&s1, mid2, "decline"));
    for (int i = 0; i < 4; i++) WAIT_UPDATE(all[i], mid2, "declined", &b, &v1);

    /* No repeats; nothing for the other visitor or another booth's staff. */
    for (int i = 0; i < 4; i++) {
        int extra = expo_count_events(&all[i]->c, "meeting.updated", i == 0 ? 800 : 100);
        if (extra) FAIL("%s received %d extra meeting.updated events", all[i]->c.label, extra);
    }
    ASSERT_EQ(expo_count_events(&w.c, "meeting.updated", 300), 0);
    ASSERT_EQ(expo_count_events(&t.c, "meeting.updated", 300), 0);
    /* A failed change (conflict) sends nothing either. */
    m = REQUEST_OK(&w, &b, ts(t0 + 3600, KST), t0 + 3600, t0 + 5400);
    char mw[64];
    mid_of(mw, sizeof mw, m);
    cJSON_Delete(m);
    m = REQUEST_OK(&v1, &b, ts(t0 + 3600, KST), t0 + 3600, t0 + 5400);
    char mv[64];
    mid_of(mv, sizeof mv, m);
    cJSON_Delete(m);
    cJSON_Delete(RESPOND_OK(&s1, mw, "accept"));
    WAIT_UPDATE(&w, mw, "accepted", &b, &w);
    for (int i = 0; i < 4; i++) expo_pump(&all[i]->c, i == 0 ? 800 : 100);
    for (int i = 0; i < 4; i++) expo_discard_events(&all[i]->c, "meeting.updated");
    EXPO_ERR(&s2.c, "conflict", "meeting.respond", "{\"meeting_id\":%s,\"decision\":\"accept\"}", mv);
    for (int i = 0; i < 4; i++) {
        int extra = expo_count_events(&all[i]->c, "meeting.updated", i == 0 ? 800 : 100);
        if (extra) FAIL("%s received %d meeting.updated events after a refused accept", all[i]->c.label, extra);
    }
    for (int i = 0; i < 4; i++) expo_close(&all[i]->c);
    expo_close(&w.c);
    expo_close(&t.c);
}

/* Bad input is bad_request and writes nothing; the limits themselves are accepted. */
static void test_bad_input(void)
{
    up(1);
    long long t0 = AT("2027-03-10T09:00:00+09:00");
    struct mbooth b;
    pick_booth(&b, SEOUL_PLAIN, 9);
    struct party s, v;
    login_staff(&s, na.port, &b, "staff");
    login(&v, na.port, "buyer1@demo.expo", "buyer1");

    /* availability.set replaces the booth's windows. */
    cJSON *d = EXPO_OK(&s.c, "meeting.availability.set",
                       "{\"booth_id\":%s,\"windows\":[{\"starts_at\":\"%s\",\"ends_at\":\"%s\"},"
                       "{\"starts_at\":\"%s\",\"ends_at\":\"%s\"}],\"slot_minutes\":30}",
                       b.id, ts(t0, KST), ts(t0 + 7200, KST), ts(t0 + 86400, KST), ts(t0 + 86400 + 3600, KST));
    ASSERT_EQ(cJSON_GetArraySize(JGET(d, "windows")), 2);
    cJSON_Delete(d);
    ASSERT_EQ(count_sql("SELECT count(*) FROM meeting_availability WHERE booth_id = %s", b.id), 2);
    d = SLOTS(&v, &b, t0 - 86400, t0 + 3 * 86400);
    ASSERT_EQ(cJSON_GetArraySize(JGET(d, "slots")), 6);
    cJSON_Delete(d);
    /* The limits 15 and 120 are accepted. */
    SET_WINDOW(&s, &b, t0, t0 + 7200, KST, 15);
    d = SLOTS(&v, &b, t0 - 86400, t0 + 86400);
    ASSERT_EQ(cJSON_GetArraySize(JGET(d, "slots")), 8);
    cJSON_Delete(d);
    SET_WINDOW(&s, &b, t0, t0 + 7200, KST, 120);
    d = SLOTS(&v, &b, t0 - 86400, t0 + 86400);
    ASSERT_EQ(cJSON_GetArraySize(JGET(d, "slots")), 1);
    cJSON_Delete(d);
    SET_WINDOW(&s, &b, t0, t0 + 7200, KST, 30);
    ASSERT_EQ(count_sql("SELECT count(*) FROM meeting_availability WHERE booth_id = %s", b.id), 1);
    char *avail = availability_rows(&b);

    char w_ok[200];
    snprintf(w_ok, sizeof w_ok, "[{\"starts_at\":\"%s\",\"ends_at\":\"%s\"}]", ts(t0, KST), ts(t0 + 3600, KST));
    struct { const char *what; char data[400]; } bad_avail[16];
    int n = 0;
#define BAD(w, ...) do { bad_avail[n].what = (w); snprintf(bad_avail[n].data, sizeof bad_avail[n].data, __VA_ARGS__); n++; } while (0)
    BAD("slot_minutes 10", "{\"booth_id\":%s,\"windows\":%s,\"slot_minutes\":10}", b.id, w_ok);
    BAD("slot_minutes 14", "{\"booth_id\":%s,\"windows\":%s,\"slot_minutes\":14}", b.id, w_ok);
    BAD("slot_minutes 121", "{\"booth_id\":%s,\"windows\":%s,\"slot_minutes\":121}", b.id, w_ok);
    BAD("slot_minutes a string", "{\"booth_id\":%s,\"windows\":%s,\"slot_minutes\":\"30\"}", b.id, w_ok);
    BAD("windows an object", "{\"booth_id\":%s,\"windows\":{\"starts_at\":\"%s\"},\"slot_minutes\":30}", b.id, ts(t0, KST));
    BAD("window without ends_at", "{\"booth_id\":%s,\"windows\":[{\"starts_at\":\"%s\"}],\"slot_minutes\":30}", b.id,
        ts(t0, KST));
    BAD("window end == start", "{\"booth_id\":%s,\"windows\":[{\"starts_at\":\"%s\",\"ends_at\":\"%s\"}],\"slot_minutes\":30}",
        b.id, ts(t0, KST), ts(t0, 0));
    BAD("window end < start", "{\"booth_id\":%s,\"windows\":[{\"starts_at\":\"%s\",\"ends_at\":\"%s\"}],\"slot_minutes\":30}",
        b.id, ts(t0 + 3600, KST), ts(t0, KST));
    BAD("starts_at a number", "{\"booth_id\":%s,\"windows\":[{\"starts_at\":1804208400,\"ends_at\":\"%s\"}],\"slot_minutes\":30}",
        b.id, ts(t0 + 3600, KST));
    BAD("time without offset",
        "{\"booth_id\":%s,\"windows\":[{\"starts_at\":\"2027-03-10T09:00:00\",\"ends_at\":\"2027-03-10T10:00:00\"}],"
        "\"slot_minutes\":30}", b.id);
    BAD("time not a time", "{\"booth_id\":%s,\"windows\":[{\"starts_at\":\"tomorrow\",\"ends_at\":\"%s\"}],\"slot_minutes\":30}",
        b.id, ts(t0 + 3600, KST));
    BAD("booth_id a string", "{\"booth_id\":\"%s\",\"windows\":%s,\"slot_minutes\":30}", b.slug, w_ok);
    BAD("no booth_id", "{\"windows\":%s,\"slot_minutes\":30}", w_ok);
    BAD("a window one second long and a good one in the same call",
        "{\"booth_id\":%s,\"windows\":[{\"starts_at\":\"%s\",\"ends_at\":\"%s\"},{\"starts_at\":\"%s\",\"ends_at\":\"%s\"}],"
        "\"slot_minutes\":30}", b.id, ts(t0 + 86400, KST), ts(t0 + 86400 - 1, KST), ts(t0, KST), ts(t0 + 3600, KST));
#undef BAD
    for (int i = 0; i < n; i++) {
        it_log("availability.set with %s", bad_avail[i].what);
        EXPO_ERR(&s.c, "bad_request", "meeting.availability.set", "%s", bad_avail[i].data);
    }
    /* Overlapping windows would make overlapping slots: refused (the issue names no code). */
    cJSON *r = expo_call(&s.c, "meeting.availability.set",
                         "{\"booth_id\":%s,\"windows\":[{\"starts_at\":\"%s\",\"ends_at\":\"%s\"},"
                         "{\"starts_at\":\"%s\",\"ends_at\":\"%s\"}],\"slot_minutes\":30}",
                         b.id, ts(t0, KST), ts(t0 + 3600, KST), ts(t0 + 1800, KST), ts(t0 + 5400, KST));
    ASSERT_NOT_NULL(r);
    char code[64];
    expo_check_error_at(__FILE__, __LINE__, r, NULL, code, sizeof code);
    if (strcmp(code, "bad_request") != 0 && strcmp(code, "conflict") != 0)
        FAIL("overlapping windows: %s, expected bad_request or conflict", json_text(r));
    cJSON_Delete(r);
    char *avail2 = availability_rows(&b);
    ASSERT_STR_EQ(avail2, avail);
    free(avail2);

    /* meeting.request. */
    static char note[8192];
    memset(note, 'n', 1001);
    note[1001] = '\0';
    EXPO_ERR(&v.c, "bad_request", "meeting.request", "{\"booth_id\":%s,\"starts_at\":\"%s\",\"note\":\"%s\"}", b.id,
             ts(t0, KST), note);
    EXPO_ERR(&v.c, "bad_request", "meeting.request", "{\"booth_id\":%s,\"starts_at\":\"%s\",\"note\":42}", b.id, ts(t0, KST));
    EXPO_ERR(&v.c, "bad_request", "meeting.request", "{\"booth_id\":%s,\"starts_at\":\"%s\"}", b.id, ts(t0 - 1800, KST));
    EXPO_ERR(&v.c, "bad_request", "meeting.request", "{\"booth_id\":%s,\"starts_at\":\"%s\"}", b.id, ts(t0 + 7200, KST));
    EXPO_ERR(&v.c, "bad_request", "meeting.request", "{\"booth_id\":%s,\"starts_at\":\"%s\"}", b.id, ts(t0 + 600, KST));
    EXPO_ERR(&v.c, "bad_request", "meeting.request", "{\"booth_id\":%s,\"starts_at\":\"%s\"}", b.id,
             ts(t0 + 86400, KST));   /* a window that was replaced */
    EXPO_ERR(&v.c, "bad_request", "meeting.request", "{\"booth_id\":%s,\"starts_at\":1804208400}", b.id);
    EXPO_ERR(&v.c, "bad_request", "meeting.request", "{\"booth_id\":%s,\"starts_at\":\"2027-03-10T09:00:00\"}", b.id);
    EXPO_ERR(&v.c, "bad_request", "meeting.request", "{\"booth_id\":%s,\"starts_at\":\"2027-02-30T09:00:00+09:00\"}", b.id);
    EXPO_ERR(&v.c, "bad_request", "meeting.request", "{\"booth_id\":%s}", b.id);
    EXPO_ERR(&v.c, "bad_request", "meeting.request", "{\"starts_at\":\"%s\"}", ts(t0, KST));
    EXPO_ERR(&v.c, "bad_request", "meeting.request", "{\"booth_id\":\"%s\",\"starts_at\":\"%s\"}", b.slug, ts(t0, KST));
    EXPO_ERR(&v.c, "not_found", "meeting.request", "{\"booth_id\":987654321,\"starts_at\":\"%s\"}", ts(t0, KST));
    ASSERT_EQ(count_sql("SELECT count(*) FROM meetings WHERE visitor_id = %s", sql_id(v.id)), 0);
    /* meeting.slots. */
    EXPO_ERR(&v.c, "bad_request", "meeting.slots", "{\"booth_id\":\"%s\"}", b.slug);
    EXPO_ERR(&v.c, "bad_request", "meeting.slots", "{\"booth_id\":%s,\"from\":\"yesterday\"}", b.id);
    EXPO_ERR(&v.c, "bad_request", "meeting.slots", "{\"booth_id\":%s,\"to\":7}", b.id);
    EXPO_ERR(&v.c, "not_found", "meeting.slots", "{\"booth_id\":987654321}");

    /* A note of exactly 1000 characters (counted in characters, not bytes) is fine. */
    note[0] = '\0';
    for (int i = 0; i < 1000; i++) strcat(note, "가");
    cJSON *m = take_meeting_at(__FILE__, __LINE__,
                               EXPO_OK(&v.c, "meeting.request", "{\"booth_id\":%s,\"starts_at\":\"%s\",\"note\":\"%s\"}",
                                       b.id, ts(t0, KST), note));
    CHECK_MEETING(m, &b, &v, "requested", t0, t0 + 1800);
    ASSERT_STR_EQ(JSTR(m, "note"), note);
    char mid[64];
    mid_of(mid, sizeof mid, m);
    cJSON_Delete(m);
    char *row = meeting_row(mid);

    /* meeting.respond. */
    memset(note, 'm', 1001);
    note[1001] = '\0';
    EXPO_ERR(&s.c, "bad_request", "meeting.respond", "{\"meeting_id\":%s,\"decision\":\"maybe\"}", mid);
    EXPO_ERR(&s.c, "bad_request", "meeting.respond", "{\"meeting_id\":%s,\"decision\":\"ACCEPT\"}", mid);
    EXPO_ERR(&s.c, "bad_request", "meeting.respond", "{\"meeting_id\":%s,\"decision\":true}", mid);
    EXPO_ERR(&s.c, "bad_request", "meeting.respond", "{\"meeting_id\":%s}", mid);
    EXPO_ERR(&s.c, "bad_request", "meeting.respond", "{\"decision\":\"accept\"}");
    EXPO_ERR(&s.c, "bad_request", "meeting.respond", "{\"meeting_id\":\"abc\",\"decision\":\"accept\"}");
    EXPO_ERR(&s.c, "bad_request", "meeting.respond", "{\"meeting_id\":%s,\"decision\":\"accept\",\"message\":\"%s\"}", mid,
             note);
    EXPO_ERR(&s.c, "bad_request", "meeting.respond", "{\"meeting_id\":%s,\"decision\":\"accept\",\"message\":[]}", mid);
    /* meeting.cancel. */
    EXPO_ERR(&v.c, "bad_request", "meeting.cancel", "{}");
    EXPO_ERR(&v.c, "bad_request", "meeting.cancel", "{\"meeting_id\":%s,\"reason\":42}", mid);
    EXPO_ERR(&v.c, "bad_request", "meeting.cancel", "{\"meeting_id\":%s,\"reason\":\"%s\"}", mid, note);
    char *row2 = meeting_row(mid);
    ASSERT_STR_EQ(row2, row);
    free(row2);
    free(row);
    ASSERT_EQ(count_sql("SELECT count(*) FROM meetings WHERE booth_id = %s", b.id), 1);
    char *avail3 = availability_rows(&b);
    ASSERT_STR_EQ(avail3, avail);
    free(avail3);
    free(avail);
    /* The session is fine afterwards. */
    cJSON_Delete(RESPOND_OK(&s, mid, "accept"));
    ASSERT_DB_STATUS(mid, "accepted");
    ASSERT_EQ(s.c.closed, 0);
    ASSERT_EQ(v.c.closed, 0);
    expo_close(&s.c);
    expo_close(&v.c);
}

/* The ICS reader of this file against calendars written by hand (no server): checks the
 * checker, so that a failure in the tests above is the server's. */
static void test_ics_reader(void)
{
    static const char *cal =
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//it//EN\r\nMETHOD:REQUEST\r\n"
        "BEGIN:VTIMEZONE\r\nTZID:America/New_York\r\n"
        "BEGIN:DAYLIGHT\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\nTZNAME:EDT\r\nDTSTART:19700308T020000\r\n"
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r\nEND:DAYLIGHT\r\n"
        "BEGIN:STANDARD\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\nTZNAME:EST\r\nDTSTART:19701101T020000\r\n"
        "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
        "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n"
        "BEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nDTSTART:19810329T020000\r\n"
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n"
        "BEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nDTSTART:19961027T030000\r\n"
        "RRULE:FREQ=YEARLY;BYMONTH=10;BYMONTHDAY=25,26,27,28,29,30,31;BYDAY=SU\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
        "BEGIN:VTIMEZONE\r\nTZID:Fixed/Wrong\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:-0500\r\n"
        "TZOFFSETTO:-0500\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
        "BEGIN:VEVENT\r\nUID:abcdefgh@it\r\nSEQUENCE:3\r\nDTSTAMP:20261127T000000Z\r\n"
        "DTSTART;TZID=America/New_York:20270314T013000\r\nDTEND;TZID=America/New_York:20270314T030000\r\n"
        "SUMMARY:A folded line that goes on and on and on and on and on and on and o\r\n n\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n";
    struct http_resp r = {.status = 200};
    r.head = strdup("HTTP/1.1 200 OK\r\nContent-Type: text/calendar; charset=utf-8\r\n\r\n");
    r.body = strdup(cal);
    r.body_len = strlen(cal);
    struct ics x;
    ICS_PARSE(&r, &x);
    ASSERT_STR_EQ(ics_prop(&x, NULL, 0, "METHOD", NULL, 0), "REQUEST");
    ASSERT_STR_EQ(ics_prop(&x, "VEVENT", 0, "SUMMARY", NULL, 0),
                  "A folded line that goes on and on and on and on and on and on and on");
    ASSERT_EQ(ics_count(&x, "VEVENT"), 1);
    ASSERT_EQ(ics_count(&x, "VTIMEZONE"), 3);
    ASSERT_EQ(ics_time_at(__FILE__, __LINE__, &x, 0, "DTSTART", "America/New_York"), AT("2027-03-14T06:30:00Z"));
    ASSERT_EQ(ics_time_at(__FILE__, __LINE__, &x, 0, "DTEND", "America/New_York"), AT("2027-03-14T07:00:00Z"));

    struct { const char *tz, *local, *want; } cases[] = {
        {"America/New_York", "2027-03-14T01:30:00Z", "2027-03-14T06:30:00Z"},
        {"America/New_York", "2027-03-14T03:00:00Z", "2027-03-14T07:00:00Z"},
        {"America/New_York", "2027-03-14T02:30:00Z", "2027-03-14T07:30:00Z"},  /* in the gap: offset before */
        {"America/New_York", "2027-11-07T01:00:00Z", "2027-11-07T05:00:00Z"},  /* twice: the first */
        {"America/New_York", "2027-11-07T01:30:00Z", "2027-11-07T05:30:00Z"},
        {"America/New_York", "2027-11-07T02:00:00Z", "2027-11-07T07:00:00Z"},
        {"America/New_York", "2027-07-01T12:00:00Z", "2027-07-01T16:00:00Z"},
        {"America/New_York", "2027-01-15T12:00:00Z", "2027-01-15T17:00:00Z"},
        {"Europe/Berlin", "2027-03-28T02:30:00Z", "2027-03-28T01:30:00Z"},
        {"Europe/Berlin", "2027-10-31T02:30:00Z", "2027-10-31T00:30:00Z"},
        {"Europe/Berlin", "2027-10-31T03:00:00Z", "2027-10-31T02:00:00Z"},
        {"Europe/Berlin", "2027-08-01T12:00:00Z", "2027-08-01T10:00:00Z"},
        {"Fixed/Wrong", "2027-03-14T03:00:00Z", "2027-03-14T08:00:00Z"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        static struct vtz z;
        vtz_read_at(__FILE__, __LINE__, &x, cases[i].tz, 2028, &z);
        long long local = AT(cases[i].local), want = AT(cases[i].want);
        long long got = vtz_local_to_instant(&z, local);
        if (got != want) FAIL("VTIMEZONE %s: local %.19s read as %s, expected %s", cases[i].tz, cases[i].local, ts(got, 0), cases[i].want);
        if (strcmp(cases[i].tz, "Fixed/Wrong") != 0) {
            got = local_to_instant(cases[i].tz, local);
            if (got != want) FAIL("tzdata %s: local %.19s read as %s, expected %s", cases[i].tz, cases[i].local, ts(got, 0), cases[i].want);
        }
    }
    ics_free(&x);
    http_resp_free(&r);
}

static const struct it_test tests[] = {
    {"ics_reader_selftest", test_ics_reader, 10},
    {"two_visitors_race", test_two_visitors_race, 90},
    {"accept_race_two_nodes", test_accept_race_two_nodes, 120},
    {"visitor_double_booking", test_visitor_double_booking, 90},
    {"cancel_frees_slot", test_cancel_frees_slot, 90},
    {"idor", test_idor, 120},
    {"ics", test_ics, 90},
    {"dst_boundary", test_dst_boundary, 90},
    {"events_two_nodes", test_events_two_nodes, 120},
    {"bad_input", test_bad_input, 120},
    {NULL, NULL, 0},
};

int main(int argc, char **argv) { return it_main(argc, argv, tests); }
