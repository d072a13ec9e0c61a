/* it_leads.c — integration tests of leads with consent, their CSV export and booth analytics
 * (issue 11): a card shared on one node reaches the booth's staff on another node live;
 * notes/rating/status and their validation; withdrawal removes the lead from lists and the
 * export and erases the card; a meeting request shares the card; the CSV bytes (BOM, header,
 * Korean text, formula neutralisation, quoting, the booth's time zone); analytics figures on a
 * small known data set, and the live "now" counters. The authorization matrix of these actions
 * is it_authz_leads.c.
 *
 * Each test runs in its own process with its own cluster and the demo expo (harness.h):
 *   it_leads <test> <path/to/boothd> */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "demo_people.h"
#include "expo.h"
#include "harness.h"

/* A request whose reply data the test does not need. */
#define DO_OK(...) cJSON_Delete(EXPO_OK(__VA_ARGS__))

#define BOOTH_A "haneul-cosmetics"
#define BOOTH_B "seorin-lab"
#define BOOTH_C "dalbit-beauty"

static struct pg_cluster pg;
static struct boothd na, nb;

static void up(int nodes)
{
    it_demo_up(&pg, &na, &nb, nodes);
    free(psql_ok(pg.url, "DELETE FROM leads"));
}

/* Stops the nodes with SIGTERM: each must exit 0 (under ASan/UBSan, also without a leak or
 * undefined behaviour report, which make the exit status non-zero). */
static void down(void)
{
    ASSERT_EQ(boothd_stop(&na), 0);
    if (nb.pid) ASSERT_EQ(boothd_stop(&nb), 0);
}

static void login_staff(struct person *p, int port, const char *slug, const char *label)
{
    char email[160];
    demo_login(p, port, demo_staff_email(slug, email, sizeof email), label);
}

/* A lead's column as text, by SQL ("" when NULL or no row). Free it. */
static char *lead_sql(const char *what, long long booth, long long visitor)
{
    char sql[400];
    snprintf(sql, sizeof sql, "SELECT coalesce((SELECT (%s)::text FROM leads WHERE booth_id = %lld AND visitor_id = %lld), '')",
             what, booth, visitor);
    return psql_ok(pg.url, sql);
}

static void share(struct person *v, long long booth, const char *extra)
{
    cJSON *d = EXPO_OK(&v->c, "lead.share", "{\"booth_id\":%lld,\"consent\":true,\"consent_version\":\"card-2026-12\"%s}",
                       booth, extra ? extra : "");
    const cJSON *leads = JGET(d, "leads");
    ASSERT_EQ(cJSON_GetArraySize(leads), 1);
    ASSERT_EQ(JINT(JGET(cJSON_GetArrayItem(leads, 0), "booth"), "id"), booth);
    cJSON_Delete(d);
}

/* ---- share with consent: the booth's staff see it live on another node --------------------- */

static void test_share_live(void)
{
    up(2);
    long long a = demo_booth_id(pg.url, BOOTH_A);
    struct person visitor, staff_a, staff_b, staff_a2;
    login_staff(&staff_a, nb.port, BOOTH_A, "staffA@B");
    login_staff(&staff_a2, na.port, BOOTH_A, "staffA@A");
    login_staff(&staff_b, nb.port, BOOTH_B, "staffB@B");
    demo_login(&visitor, na.port, "buyer1@demo.expo", "buyer1@A");

    /* consent must be given explicitly */
    EXPO_ERR(&visitor.c, "bad_request", "lead.share", "{\"booth_id\":%lld,\"consent_version\":\"v1\"}", a);
    EXPO_ERR(&visitor.c, "bad_request", "lead.share", "{\"booth_id\":%lld,\"consent\":false,\"consent_version\":\"v1\"}", a);
    EXPO_ERR(&visitor.c, "bad_request", "lead.share", "{\"booth_id\":%lld,\"consent\":true}", a);
    EXPO_ERR(&visitor.c, "not_found", "lead.share", "{\"booth_id\":999999,\"consent\":true,\"consent_version\":\"v1\"}");
    ASSERT_EQ(psql_long(pg.url, "SELECT count(*) FROM leads"), 0);

    share(&visitor, a, ",\"company\":\"Northwind Beauty Supply\",\"title\":\"Purchasing Director\",\"country\":\"US\"");
    cJSON *ev = expo_event(&staff_a.c, "lead.new", it_ms(5000));
    if (!ev) FAIL("staff of the booth on the other node got no lead.new");
    const cJSON *lead = JGET(ev, "lead");
    ASSERT_STR_EQ(JSTR(lead, "name"), "Emily Carter");
    ASSERT_STR_EQ(JSTR(lead, "company"), "Northwind Beauty Supply");
    ASSERT_STR_EQ(JSTR(lead, "title"), "Purchasing Director");
    ASSERT_STR_EQ(JSTR(lead, "country"), "US");
    ASSERT_STR_EQ(JSTR(lead, "email"), "buyer1@demo.expo");
    ASSERT_STR_EQ(JSTR(lead, "source"), "card");
    ASSERT_STR_EQ(JSTR(lead, "status"), "new");
    ASSERT_STR_EQ(JSTR(lead, "consent_version"), "card-2026-12");
    long long lead_id = JINT(lead, "id");
    cJSON_Delete(ev);
    ev = expo_event(&staff_a2.c, "lead.new", it_ms(5000));
    if (!ev) FAIL("staff of the booth on the visitor's node got no lead.new");
    cJSON_Delete(ev);
    ASSERT_EQ(expo_count_events(&staff_b.c, "lead.new", it_ms(500)), 0);

    /* what the visitor sees they shared */
    cJSON *mine = EXPO_OK(&visitor.c, "lead.mine", "{}");
    ASSERT_EQ(cJSON_GetArraySize(JGET(mine, "leads")), 1);
    const cJSON *m0 = cJSON_GetArrayItem(JGET(mine, "leads"), 0);
    ASSERT_STR_EQ(JSTR(JGET(m0, "card"), "email"), "buyer1@demo.expo");
    ASSERT_STR_EQ(JSTR(JGET(mine, "me"), "company"), "Northwind Beauty Supply");
    cJSON_Delete(mine);

    /* staff work the lead; the other staff session sees the change */
    cJSON *u = EXPO_OK(&staff_a.c, "lead.update",
                       "{\"booth_id\":%lld,\"lead_id\":%lld,\"notes\":\"wants 2000 units\",\"rating\":4,\"status\":\"contacted\"}",
                       a, lead_id);
    ASSERT_EQ(JINT(JGET(u, "lead"), "rating"), 4);
    ASSERT_STR_EQ(JSTR(JGET(u, "lead"), "status"), "contacted");
    cJSON_Delete(u);
    ev = expo_event(&staff_a2.c, "lead.updated", it_ms(5000));
    if (!ev) FAIL("no lead.updated on the other node");
    ASSERT_STR_EQ(JSTR(JGET(ev, "lead"), "notes"), "wants 2000 units");
    cJSON_Delete(ev);
    cJSON *l = EXPO_OK(&staff_a.c, "lead.list", "{\"booth_id\":%lld}", a);
    ASSERT_EQ(JINT(l, "total"), 1);
    cJSON_Delete(l);

    /* withdraw: gone from the staff's views, erased, the consent record kept */
    DO_OK(&visitor.c, "lead.withdraw", "{\"booth_id\":%lld}", a);
    ev = expo_event(&staff_a.c, "lead.withdrawn", it_ms(5000));
    if (!ev) FAIL("no lead.withdrawn for the staff");
    ASSERT_EQ(JINT(ev, "lead_id"), lead_id);
    cJSON_Delete(ev);
    l = EXPO_OK(&staff_a.c, "lead.list", "{\"booth_id\":%lld}", a);
    ASSERT_EQ(JINT(l, "total"), 0);
    ASSERT_EQ(cJSON_GetArraySize(JGET(l, "leads")), 0);
    cJSON_Delete(l);
    char *kept = lead_sql("concat_ws('|', card IS NULL, notes IS NULL, rating IS NULL, consent, consent_at IS NOT NULL,"
                          " consent_version, withdrawn_at IS NOT NULL)", a, visitor.id);
    ASSERT_STR_EQ(kept, "t|t|t|f|t|card-2026-12|t");
    free(kept);
    EXPO_ERR(&staff_a.c, "not_found", "lead.update", "{\"booth_id\":%lld,\"lead_id\":%lld,\"rating\":1}", a, lead_id);
    EXPO_ERR(&visitor.c, "not_found", "lead.withdraw", "{\"booth_id\":%lld}", a);
    mine = EXPO_OK(&visitor.c, "lead.mine", "{}");
    ASSERT_EQ(cJSON_GetArraySize(JGET(mine, "leads")), 0);
    cJSON_Delete(mine);
    struct http_resp r;
    char auth[200];
    snprintf(auth, sizeof auth, "Bearer %s", staff_a.token);
    char path[64];
    snprintf(path, sizeof path, "/leads/%lld.csv", a);
    ASSERT_EQ(http_get_auth(na.port, path, auth, &r), 200);
    ASSERT_EQ(it_count_lines(r.body), 1);          /* the header only */
    http_resp_free(&r);

    /* sharing again makes a new lead */
    share(&visitor, a, NULL);
    ev = expo_event(&staff_a.c, "lead.new", it_ms(5000));
    if (!ev) FAIL("sharing again after a withdrawal gave no lead.new");
    ASSERT_STR_EQ(JSTR(JGET(ev, "lead"), "status"), "new");
    cJSON_Delete(ev);
    down();
}

/* ---- a meeting request shares the card ----------------------------------------------------- */

static void test_meeting_creates_lead(void)
{
    up(1);
    long long a = demo_booth_id(pg.url, BOOTH_A);
    struct person visitor, staff;
    login_staff(&staff, na.port, BOOTH_A, "staffA");
    demo_login(&visitor, na.port, "buyer2@demo.expo", "buyer2");
    DO_OK(&staff.c, "meeting.availability.set",
            "{\"booth_id\":%lld,\"windows\":[{\"starts_at\":\"2031-03-03T10:00:00+09:00\",\"ends_at\":\"2031-03-03T12:00:00+09:00\"}],"
            "\"slot_minutes\":30}", a);
    DO_OK(&visitor.c, "meeting.request", "{\"booth_id\":%lld,\"starts_at\":\"2031-03-03T10:30:00+09:00\"}", a);
    cJSON *ev = expo_event(&staff.c, "lead.new", it_ms(5000));
    if (!ev) FAIL("a meeting request gave the booth no lead.new");
    ASSERT_STR_EQ(JSTR(JGET(ev, "lead"), "source"), "meeting");
    ASSERT_STR_EQ(JSTR(JGET(ev, "lead"), "name"), "Daniel Cho");
    cJSON_Delete(ev);
    char *s = lead_sql("concat_ws('|', source, consent, consent_version)", a, visitor.id);
    ASSERT_STR_EQ(s, "meeting|t|meeting");
    free(s);
    /* a second request refreshes the same lead, it does not add one */
    DO_OK(&visitor.c, "meeting.request", "{\"booth_id\":%lld,\"starts_at\":\"2031-03-03T11:00:00+09:00\"}", a);
    ASSERT_EQ(psql_long(pg.url, "SELECT count(*) FROM leads"), 1);
    down();
}

/* ---- lead.update and lead.list validation: each refusal changes nothing --------------------- */

static void test_update_validation(void)
{
    up(1);
    long long a = demo_booth_id(pg.url, BOOTH_A), b = demo_booth_id(pg.url, BOOTH_B);
    struct person visitor, staff;
    login_staff(&staff, na.port, BOOTH_A, "staffA");
    demo_login(&visitor, na.port, "buyer3@demo.expo", "buyer3");
    share(&visitor, a, NULL);
    share(&visitor, b, NULL);
    long long lead = psql_long(pg.url, "SELECT id FROM leads WHERE booth_id = (SELECT id FROM booths WHERE slug = '" BOOTH_A "')");
    long long lead_b = psql_long(pg.url, "SELECT id FROM leads WHERE booth_id = (SELECT id FROM booths WHERE slug = '" BOOTH_B "')");
    char *before = psql_ok(pg.url, "SELECT string_agg(l::text, ',' ORDER BY id) FROM leads l");
    char big[10100];
    memset(big, 'x', 10001);
    big[10001] = 0;
    static const char *const bad[] = {
        "\"rating\":6", "\"rating\":-1", "\"rating\":\"3\"", "\"rating\":2.5", "\"status\":\"bogus\"",
        "\"status\":3", "\"notes\":42", "", "\"unknown\":1",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        EXPO_ERR(&staff.c, "bad_request", "lead.update", "{\"booth_id\":%lld,\"lead_id\":%lld%s%s}", a, lead,
                 bad[i][0] ? "," : "", bad[i]);
    EXPO_ERR(&staff.c, "bad_request", "lead.update", "{\"booth_id\":%lld,\"lead_id\":%lld,\"notes\":\"%s\"}", a, lead, big);
    EXPO_ERR(&staff.c, "bad_request", "lead.update", "{\"lead_id\":%lld,\"rating\":1}", lead);
    EXPO_ERR(&staff.c, "bad_request", "lead.update", "{\"booth_id\":%lld,\"rating\":1}", a);
    /* a lead of another booth named with our booth: not found, not changed */
    EXPO_ERR(&staff.c, "not_found", "lead.update", "{\"booth_id\":%lld,\"lead_id\":%lld,\"rating\":1}", a, lead_b);
    EXPO_ERR(&staff.c, "forbidden", "lead.update", "{\"booth_id\":%lld,\"lead_id\":%lld,\"rating\":1}", b, lead_b);
    static const char *const bad_list[] = {
        "\"status\":\"x\"", "\"rating_min\":6", "\"source\":\"x\"", "\"from\":\"yesterday\"", "\"limit\":0",
        "\"limit\":101", "\"offset\":-1", "\"q\":1",
    };
    for (size_t i = 0; i < sizeof bad_list / sizeof bad_list[0]; i++)
        EXPO_ERR(&staff.c, "bad_request", "lead.list", "{\"booth_id\":%lld,%s}", a, bad_list[i]);
    char *after = psql_ok(pg.url, "SELECT string_agg(l::text, ',' ORDER BY id) FROM leads l");
    ASSERT_STR_EQ(after, before);
    free(before);
    free(after);

    /* clearing with null works; filters and search find it */
    DO_OK(&staff.c, "lead.update", "{\"booth_id\":%lld,\"lead_id\":%lld,\"rating\":5,\"notes\":\"x\",\"status\":\"qualified\"}", a, lead);
    cJSON *u = EXPO_OK(&staff.c, "lead.update", "{\"booth_id\":%lld,\"lead_id\":%lld,\"rating\":null,\"notes\":null}", a, lead);
    ASSERT_TRUE(cJSON_IsNull(JGET(JGET(u, "lead"), "rating")));
    ASSERT_TRUE(cJSON_IsNull(JGET(JGET(u, "lead"), "notes")));
    ASSERT_STR_EQ(JSTR(JGET(u, "lead"), "status"), "qualified");
    cJSON_Delete(u);
    static const struct { const char *filter; int total; } filters[] = {
        {"\"status\":\"qualified\"", 1}, {"\"status\":\"new\"", 0}, {"\"q\":\"TREMBLAY\"", 1}, {"\"q\":\"maple\"", 1},
        {"\"q\":\"buyer3@demo\"", 1}, {"\"q\":\"nobody\"", 0}, {"\"source\":\"card\"", 1}, {"\"source\":\"meeting\"", 0},
        {"\"rating_min\":1", 0}, {"\"from\":\"2000-01-01T00:00:00Z\"", 1}, {"\"to\":\"2000-01-01T00:00:00Z\"", 0},
        {"\"limit\":1,\"offset\":1", 1},
    };
    for (size_t i = 0; i < sizeof filters / sizeof filters[0]; i++) {
        cJSON *l = EXPO_OK(&staff.c, "lead.list", "{\"booth_id\":%lld,%s}", a, filters[i].filter);
        if (JINT(l, "total") != filters[i].total)
            FAIL("lead.list %s: total %lld, expected %d", filters[i].filter, JINT(l, "total"), filters[i].total);
        cJSON_Delete(l);
    }
    cJSON *l = EXPO_OK(&staff.c, "lead.list", "{\"booth_id\":%lld,\"limit\":1,\"offset\":1}", a);
    ASSERT_EQ(cJSON_GetArraySize(JGET(l, "leads")), 0);      /* total 1, the second page is empty */
    cJSON_Delete(l);
    down();
}

/* ---- the CSV export --------------------------------------------------------------------------- */

/* The instant (epoch seconds) as "YYYY-MM-DD HH:MM:SS+hh:mm" on the wall clock of tz. */
static void local_time(long long epoch, const char *tz, char *out, size_t n)
{
    setenv("TZ", tz, 1);
    tzset();
    time_t t = (time_t)epoch;
    struct tm tm;
    localtime_r(&t, &tm);
    long off = tm.tm_gmtoff;
    size_t k = strftime(out, n, "%Y-%m-%d %H:%M:%S", &tm);
    snprintf(out + k, n - k, "%c%02ld:%02ld", off < 0 ? '-' : '+', labs(off) / 3600, labs(off) % 3600 / 60);
    unsetenv("TZ");
    tzset();
}

static void test_csv(void)
{
    up(1);
    long long a = demo_booth_id(pg.url, BOOTH_A);
    free(psql_ok(pg.url, "UPDATE booths SET time_zone = 'America/Los_Angeles' WHERE slug = '" BOOTH_A "';"
                         "UPDATE accounts SET name = '김철수' WHERE email = 'buyer1@demo.expo';"
                         "UPDATE accounts SET name = '=cmd|'' /C calc''!A0' WHERE email = 'buyer2@demo.expo'"));
    struct person v1, v2, staff, other, org, visitor;
    demo_login(&v1, na.port, "buyer1@demo.expo", "buyer1");
    demo_login(&v2, na.port, "buyer2@demo.expo", "buyer2");
    login_staff(&staff, na.port, BOOTH_A, "staffA");
    login_staff(&other, na.port, BOOTH_B, "staffB");
    demo_login(&org, na.port, "organizer@demo.expo", "organizer");
    demo_login(&visitor, na.port, "buyer3@demo.expo", "buyer3");
    share(&v1, a, ",\"company\":\"Kim, \\\"Best\\\" Foods\",\"title\":\"구매 담당\",\"country\":\"KR\"");
    share(&v2, a, ",\"company\":\"\",\"title\":\"@SUM(1+1)\",\"country\":\"US\"");
    long long l1 = psql_long(pg.url, "SELECT id FROM leads ORDER BY id LIMIT 1");
    DO_OK(&staff.c, "lead.update", "{\"booth_id\":%lld,\"lead_id\":%lld,\"notes\":\"line1\\nline2, \\\"q\\\"\",\"rating\":4,"
            "\"status\":\"qualified\"}", a, l1);

    char path[64], auth[200], want[2048], t1[40], t2[40], t3[40], t4[40];
    snprintf(path, sizeof path, "/leads/%lld.csv", a);
    snprintf(auth, sizeof auth, "Bearer %s", staff.token);
    struct http_resp r;
    ASSERT_EQ(http_get_auth(na.port, path, auth, &r), 200);
    char hv[200];
    ASSERT_TRUE(http_header(&r, "Content-Type", hv, sizeof hv));
    ASSERT_CONTAINS(hv, "text/csv");
    ASSERT_TRUE(http_header(&r, "Content-Disposition", hv, sizeof hv));
    ASSERT_STR_EQ(hv, "attachment; filename=\"leads-" BOOTH_A ".csv\"");
    char *ep = psql_ok(pg.url, "SELECT string_agg(floor(extract(epoch FROM created_at))::bigint || ',' || floor(extract(epoch FROM updated_at))::bigint, ','"
                               " ORDER BY id) FROM leads");
    long long e[4];
    if (sscanf(ep, "%lld,%lld,%lld,%lld", &e[0], &e[1], &e[2], &e[3]) != 4) FAIL("epochs: %s", ep);
    free(ep);
    local_time(e[0], "America/Los_Angeles", t1, sizeof t1);
    local_time(e[1], "America/Los_Angeles", t2, sizeof t2);
    local_time(e[2], "America/Los_Angeles", t3, sizeof t3);
    local_time(e[3], "America/Los_Angeles", t4, sizeof t4);
    snprintf(want, sizeof want,
             "\xEF\xBB\xBF"
             "Name,Company,Title,Country,E-mail,Source,Status,Rating,Notes,Shared at (America/Los_Angeles),Updated at (America/Los_Angeles)\r\n"
             "김철수,\"Kim, \"\"Best\"\" Foods\",구매 담당,KR,buyer1@demo.expo,card,qualified,4,\"line1\nline2, \"\"q\"\"\",%s,%s\r\n"
             "'=cmd|' /C calc'!A0,,'@SUM(1+1),US,buyer2@demo.expo,card,new,,,%s,%s\r\n",
             t1, t2, t3, t4);
    if (r.body_len != strlen(want) || memcmp(r.body, want, r.body_len))
        FAIL("CSV differs.\n got (%zu bytes): %s\nwant (%zu bytes): %s", r.body_len, r.body, strlen(want), want);
    http_resp_free(&r);
    ASSERT_EQ(psql_long(pg.url, "SELECT count(*) FROM audit_log WHERE action = 'leads.export'"), 1);

    /* the organizer may; the others may not */
    snprintf(auth, sizeof auth, "Bearer %s", org.token);
    ASSERT_EQ(http_get_auth(na.port, path, auth, &r), 200);
    http_resp_free(&r);
    struct { const char *auth_fmt; const char *token; int status; } refused[] = {
        {NULL, NULL, 401}, {"Bearer %s", "not-a-token", 401}, {"Basic %s", "YnV5ZXIxOmRlbW8xMjM0", 401},
        {"Bearer %s", other.token, 403}, {"Bearer %s", visitor.token, 403},
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        if (refused[i].auth_fmt) snprintf(auth, sizeof auth, refused[i].auth_fmt, refused[i].token);
        int st = http_get_auth(na.port, path, refused[i].auth_fmt ? auth : NULL, &r);
        if (st != refused[i].status) FAIL("refusal %zu: status %d, expected %d: %s", i, st, refused[i].status, r.body);
        if (strstr(r.body, "buyer1")) FAIL("refusal %zu leaked a lead: %s", i, r.body);
        http_resp_free(&r);
    }
    /* a token that has been revoked (signed out) */
    char sql[300];
    snprintf(sql, sizeof sql, "UPDATE auth_tokens SET revoked_at = now() WHERE account_id = %lld", staff.id);
    free(psql_ok(pg.url, sql));
    snprintf(auth, sizeof auth, "Bearer %s", staff.token);
    ASSERT_EQ(http_get_auth(na.port, path, auth, &r), 401);
    http_resp_free(&r);
    snprintf(auth, sizeof auth, "Bearer %s", org.token);
    ASSERT_EQ(http_get_auth(na.port, "/leads/999999.csv", auth, &r), 404);
    http_resp_free(&r);
    ASSERT_EQ(http_get_auth(na.port, "/leads/abc.csv", auth, &r), 404);
    http_resp_free(&r);
    ASSERT_EQ(psql_long(pg.url, "SELECT count(*) FROM audit_log WHERE action = 'leads.export'"), 2);
    down();
}

/* ---- the export follows the table's filters -------------------------------------------------- */

/* Data rows of a CSV export (records end in CRLF; line breaks inside a quoted cell are LF). */
static int csv_rows(const struct http_resp *r)
{
    int n = 0;
    for (size_t i = 0; i + 1 < r->body_len; i++) n += r->body[i] == '\r' && r->body[i + 1] == '\n';
    return n - 1;
}

static void test_csv_filtered(void)
{
    up(1);
    long long a = demo_booth_id(pg.url, BOOTH_A);
    free(psql_ok(pg.url, "UPDATE accounts SET name = '김철수' WHERE email = 'buyer1@demo.expo';"
                         "UPDATE accounts SET name = '=cmd|'' /C calc''!A0' WHERE email = 'buyer2@demo.expo';"
                         "UPDATE accounts SET name = 'Ana Tremblay' WHERE email = 'buyer3@demo.expo'"));
    struct person v1, v2, v3, staff;
    demo_login(&v1, na.port, "buyer1@demo.expo", "buyer1");
    demo_login(&v2, na.port, "buyer2@demo.expo", "buyer2");
    demo_login(&v3, na.port, "buyer3@demo.expo", "buyer3");
    login_staff(&staff, na.port, BOOTH_A, "staffA");
    share(&v1, a, ",\"company\":\"Kim, \\\"Best\\\" Foods\"");
    share(&v2, a, NULL);
    share(&v3, a, ",\"company\":\"Maple Goods\"");
    long long l1 = psql_long(pg.url, "SELECT id FROM leads WHERE card ->> 'email' = 'buyer1@demo.expo'");
    long long l3 = psql_long(pg.url, "SELECT id FROM leads WHERE card ->> 'email' = 'buyer3@demo.expo'");
    DO_OK(&staff.c, "lead.update", "{\"booth_id\":%lld,\"lead_id\":%lld,\"rating\":4,\"status\":\"qualified\"}", a, l1);
    DO_OK(&staff.c, "lead.update", "{\"booth_id\":%lld,\"lead_id\":%lld,\"rating\":2}", a, l3);

    /* each: the query string, the same filters as lead.list data, the e-mails the file must hold */
    static const struct { const char *query, *list; const char *emails[3]; } cases[] = {
        {"", "", {"buyer1@", "buyer2@", "buyer3@"}},
        {"?status=qualified", ",\"status\":\"qualified\"", {"buyer1@"}},
        {"?status=new", ",\"status\":\"new\"", {"buyer2@", "buyer3@"}},
        {"?rating_min=2", ",\"rating_min\":2", {"buyer1@", "buyer3@"}},
        {"?rating_min=5", ",\"rating_min\":5", {NULL}},
        {"?q=%EA%B9%80%EC%B2%A0", ",\"q\":\"김철\"", {"buyer1@"}},                         /* Korean, %-encoded */
        {"?q=kim%2C%20%22best", ",\"q\":\"kim, \\\"best\"", {"buyer1@"}},                 /* , space " */
        {"?q=cmd", ",\"q\":\"cmd\"", {"buyer2@"}},
        {"?status=new&q=maple", ",\"status\":\"new\",\"q\":\"maple\"", {"buyer3@"}},
        {"?source=meeting", ",\"source\":\"meeting\"", {NULL}},
        {"?from=2000-01-01T00:00:00Z&to=2999-01-01T00:00:00%2B09:00", ",\"from\":\"2000-01-01T00:00:00Z\",\"to\":\"2999-01-01T00:00:00+09:00\"",
         {"buyer1@", "buyer2@", "buyer3@"}},
        {"?to=2000-01-01T00:00:00Z", ",\"to\":\"2000-01-01T00:00:00Z\"", {NULL}},
        {"?unrelated=1&status=qualified", ",\"status\":\"qualified\"", {"buyer1@"}},
    };
    char path[1200], auth[200];
    snprintf(auth, sizeof auth, "Bearer %s", staff.token);
    struct http_resp r;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(path, sizeof path, "/leads/%lld.csv%s", a, cases[i].query);
        ASSERT_EQ(http_get_auth(na.port, path, auth, &r), 200);
        if (r.body_len < 3 || memcmp(r.body, "\xEF\xBB\xBF" "Name,", 8)) FAIL("case %zu: no BOM and header: %s", i, r.body);
        int want = 0;
        for (int k = 0; k < 3 && cases[i].emails[k]; k++, want++)
            if (!strstr(r.body, cases[i].emails[k])) FAIL("case %zu (%s): %s missing:\n%s", i, cases[i].query, cases[i].emails[k], r.body);
        if (csv_rows(&r) != want) FAIL("case %zu (%s): %d rows, expected %d:\n%s", i, cases[i].query, csv_rows(&r), want, r.body);
        cJSON *d = EXPO_OK(&staff.c, "lead.list", "{\"booth_id\":%lld%s}", a, cases[i].list);
        if (JINT(d, "total") != want) FAIL("case %zu: lead.list has %lld, the export %d", i, JINT(d, "total"), want);
        cJSON_Delete(d);
        if (strstr(cases[i].query, "cmd")) {
            ASSERT_CONTAINS(r.body, "\r\n'=cmd|' /C calc'!A0,");      /* still neutralised */
        }
        if (strstr(cases[i].query, "%EA")) ASSERT_CONTAINS(r.body, "\r\n김철수,\"Kim, \"\"Best\"\" Foods\",");
        http_resp_free(&r);
    }

    /* a filter that lead.list would refuse is refused, never dropped (the file would hold more
       than the table); so is one too long, even ahead of a valid one */
    static const char *const bad[][2] = {
        {"?status=bogus", "bad_status"}, {"?rating_min=9", "bad_rating_min"}, {"?rating_min=", NULL},
        {"?source=fax", "bad_source"}, {"?from=yesterday", "bad_from"}, {"?to=2026-13-01", "bad_to"},
        {"?q=%FF%FE", "bad_q"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(path, sizeof path, "/leads/%lld.csv%s", a, bad[i][0]);
        int st = http_get_auth(na.port, path, auth, &r);
        if (!bad[i][1]) {           /* an empty value is no filter */
            ASSERT_EQ(st, 200);
            ASSERT_EQ(csv_rows(&r), 3);
        } else {
            if (st != 400 || !strstr(r.body, bad[i][1])) FAIL("%s: status %d, body %s", bad[i][0], st, r.body);
        }
        http_resp_free(&r);
    }
    int n = snprintf(path, sizeof path, "/leads/%lld.csv?q=", a);
    for (int k = 0; k < 101; k++) n += snprintf(path + n, sizeof path - (size_t)n, "%s", k % 2 ? "x" : "%EA%B9%80");
    snprintf(path + n, sizeof path - (size_t)n, "&status=qualified");
    int st = http_get_auth(na.port, path, auth, &r);
    if (st != 400 || !strstr(r.body, "bad_q")) FAIL("a 101-character search: status %d, body %s", st, r.body);
    http_resp_free(&r);
    n = snprintf(path, sizeof path, "/leads/%lld.csv?q=", a);      /* longer than any buffer for it */
    for (int k = 0; k < 600; k++) path[n++] = 'x';
    snprintf(path + n, sizeof path - (size_t)n, "&status=qualified");
    st = http_get_auth(na.port, path, auth, &r);
    if (st != 400 || !strstr(r.body, "bad_q")) FAIL("a 600-byte search: status %d, body %s", st, r.body);
    http_resp_free(&r);
    down();
}

/* ---- analytics on a known data set ----------------------------------------------------------- */

/* Booth C in New York; the expo 2026-12-08 09:00-13:00 New York (4 hours, 14:00-18:00 UTC). */
static const char analytics_data[] =
    "UPDATE expo SET starts_at = '2026-12-08 14:00Z', ends_at = '2026-12-08 18:00Z';"
    "UPDATE booths SET time_zone = 'America/New_York' WHERE slug = '" BOOTH_C "';"
    "DELETE FROM visits; DELETE FROM chat_messages; DELETE FROM meetings; DELETE FROM leads;"
    "CREATE TEMP TABLE p AS SELECT (SELECT id FROM booths WHERE slug = '" BOOTH_C "') AS b,"
    " (SELECT id FROM accounts WHERE email = 'buyer1@demo.expo') AS v1, (SELECT id FROM accounts WHERE email = 'buyer2@demo.expo') AS v2,"
    " (SELECT id FROM accounts WHERE email = 'buyer3@demo.expo') AS v3, (SELECT id FROM accounts WHERE email = 'buyer4@demo.expo') AS v4,"
    " (SELECT id FROM accounts WHERE email = 'buyer5@demo.expo') AS v5,"
    " (SELECT id FROM accounts WHERE email = 'staff@" BOOTH_C ".demo.expo') AS s;"
    /* hour 0: v1 10 s, v2 20 s, v1 30 s; staff 500 s (not counted); hour 2: v3 100 s, v4 still inside;
       the day before (totals only): v5 40 s */
    "INSERT INTO visits (account_id, booth_id, node_id, entered_at, left_at) SELECT x.a, p.b, 'it', x.t::timestamptz,"
    " x.t::timestamptz + make_interval(secs => x.d) FROM p, LATERAL (VALUES (p.v1, '2026-12-08 14:10Z', 10),"
    " (p.v2, '2026-12-08 14:20Z', 20), (p.v1, '2026-12-08 14:40Z', 30), (p.s, '2026-12-08 14:15Z', 500),"
    " (p.v3, '2026-12-08 16:05Z', 100), (p.v5, '2026-12-07 15:00Z', 40)) AS x(a, t, d);"
    "INSERT INTO visits (account_id, booth_id, node_id, entered_at) SELECT p.v4, p.b, 'it', '2026-12-08 16:30Z' FROM p;"
    /* chat: two in hour 0, one in hour 3, one deleted in hour 3 */
    "INSERT INTO chat_messages (booth_id, seq, author_id, text, client_msg_id, sent_at, deleted_at)"
    " SELECT p.b, 100000 + x.n, p.v1, 'hi', 'it-' || x.n, x.t::timestamptz, x.del::timestamptz FROM p,"
    " LATERAL (VALUES (1, '2026-12-08 14:05Z', NULL), (2, '2026-12-08 14:06Z', NULL), (3, '2026-12-08 17:00Z', NULL),"
    " (4, '2026-12-08 17:01Z', '2026-12-08 17:02Z')) AS x(n, t, del);"
    /* meetings: two requested in hour 1, one of them accepted */
    "INSERT INTO meetings (booth_id, visitor_id, starts_at, ends_at, status, created_at) SELECT p.b, x.v,"
    " x.s::timestamptz, x.s::timestamptz + interval '30 minutes', x.st, x.c::timestamptz FROM p,"
    " LATERAL (VALUES (p.v1, '2026-12-09 15:00Z', 'requested', '2026-12-08 15:00Z'),"
    " (p.v2, '2026-12-09 16:00Z', 'accepted', '2026-12-08 15:30Z')) AS x(v, s, st, c);"
    /* leads: one in hour 3, one withdrawn (not counted) */
    "INSERT INTO leads (booth_id, visitor_id, consent, consent_at, card, source, created_at) SELECT p.b, p.v1, true,"
    " '2026-12-08 17:10Z', '{\"name\":\"x\"}', 'card', '2026-12-08 17:10Z' FROM p;"
    "INSERT INTO leads (booth_id, visitor_id, consent, consent_at, source, created_at, withdrawn_at) SELECT p.b, p.v2,"
    " false, '2026-12-08 17:20Z', 'card', '2026-12-08 17:20Z', '2026-12-08 17:30Z' FROM p;";

static void check_num(const cJSON *o, const char *name, double want)
{
    const cJSON *v = JGET(o, name);
    if (!cJSON_IsNumber(v) || v->valuedouble != want)
        FAIL("%s is %s, expected %g in %s", name, json_text(v), want, json_text(o));
}

static void test_analytics_exact(void)
{
    up(1);
    long long c = demo_booth_id(pg.url, BOOTH_C);
    free(psql_ok(pg.url, analytics_data));
    struct person staff;
    login_staff(&staff, na.port, BOOTH_C, "staffC");
    cJSON *d = EXPO_OK(&staff.c, "analytics.booth", "{\"booth_id\":%lld}", c);
    const cJSON *t = JGET(d, "totals");
    check_num(t, "visits", 6);
    check_num(t, "unique_visitors", 5);
    check_num(t, "avg_dwell_seconds", 40);          /* (10+20+30+100+40)/5 */
    check_num(t, "median_dwell_seconds", 30);
    check_num(t, "chat_messages", 3);
    check_num(t, "meeting_requests", 2);
    check_num(t, "meetings_accepted", 1);
    check_num(t, "leads", 1);
    ASSERT_STR_EQ(JSTR(d, "time_zone"), "America/New_York");
    const cJSON *h = JGET(d, "hourly");
    ASSERT_EQ(cJSON_GetArraySize(h), 4);
    static const struct { const char *hour; double visits, unique, chat, requests, accepted, leads; double avg; } want[] = {
        {"2026-12-08T09:00:00-05:00", 3, 2, 2, 0, 0, 0, 20},
        {"2026-12-08T10:00:00-05:00", 0, 0, 0, 2, 1, 0, -1},
        {"2026-12-08T11:00:00-05:00", 2, 2, 0, 0, 0, 0, 100},
        {"2026-12-08T12:00:00-05:00", 0, 0, 1, 0, 0, 1, -1},
    };
    for (int i = 0; i < 4; i++) {
        const cJSON *b = cJSON_GetArrayItem(h, i);
        ASSERT_STR_EQ(JSTR(b, "hour"), want[i].hour);
        check_num(b, "visits", want[i].visits);
        check_num(b, "unique_visitors", want[i].unique);
        check_num(b, "chat_messages", want[i].chat);
        check_num(b, "meeting_requests", want[i].requests);
        check_num(b, "meetings_accepted", want[i].accepted);
        check_num(b, "leads", want[i].leads);
        if (want[i].avg < 0) ASSERT_TRUE(cJSON_IsNull(JGET(b, "avg_dwell_seconds")));
        else check_num(b, "avg_dwell_seconds", want[i].avg);
    }
    check_num(JGET(d, "now"), "visitors_now", 0);
    cJSON_Delete(d);
    down();
}

/* ---- analytics from the hourly rollup equal the raw computation ----------------------------- */

/* Booth C in Kolkata (hours at :30 UTC); an expo that began 20 hours ago. 3,000 visits of the
 * five buyers and the booth's staff over the last 22 hours (some before the expo), dwell 1 s to
 * about 70 min; those that would end in the future are still open, and every 40th is open
 * anyway (in an hour the rollup folds). */
#define ROLLUP_DATA(booth_slug)                                                                          \
    "SELECT setseed(0.42);"                                                                              \
    "UPDATE expo SET starts_at = date_trunc('hour', now()) - interval '20 hours',"                       \
    " ends_at = date_trunc('hour', now()) + interval '4 hours';"                                         \
    "UPDATE booths SET time_zone = 'Asia/Kolkata' WHERE slug = '" booth_slug "';"                       \
    "DELETE FROM visits;"                                                                                \
    "INSERT INTO visits (account_id, booth_id, node_id, entered_at, left_at)"                            \
    " SELECT a.ids[1 + (random() * 5)::int], b.id, 'it', x.t,"                                           \
    "  CASE WHEN x.t + x.d < now() AND g % 40 <> 0 THEN x.t + x.d END"                                   \
    " FROM booths b, (SELECT array_agg(id ORDER BY id) AS ids FROM accounts WHERE email LIKE 'buyer_@demo.expo'"  \
    "   OR email = 'staff@" booth_slug ".demo.expo') a, generate_series(1, 3000) g,"                    \
    "  LATERAL (SELECT now() - random() * interval '22 hours' + g * interval '0' AS t,"                   \
    "           make_interval(secs => 1 + (random() * 4200)::int) + g * interval '0' AS d) x"             \
    " WHERE b.slug = '" booth_slug "'"

/* All of a booth's answers as text: totals, then every hour. */
#define ANSWERS(b) "(SELECT (SELECT t::text FROM analytics_totals(" b ") t) || E'\\n' ||"                 \
                   " string_agg(h::text, E'\\n' ORDER BY h.hour_start) FROM analytics_hourly(" b ") h)"

/* The same answers without the rollup: the booth's row reset (and its lock held, so no rollup
 * runs meanwhile), then put back. */
static char *raw_answers(long long booth)
{
    char sql[2000];
    snprintf(sql, sizeof sql,
             "CREATE FUNCTION pg_temp.raw(b bigint) RETURNS text LANGUAGE plpgsql AS $$"
             " DECLARE w timestamptz; r text; BEGIN"
             "  SELECT rolled_to INTO w FROM visit_rollup_booths WHERE booth_id = b FOR UPDATE;"
             "  UPDATE visit_rollup_booths SET rolled_to = NULL WHERE booth_id = b;"
             "  r := " ANSWERS("b") ";"
             "  UPDATE visit_rollup_booths SET rolled_to = w WHERE booth_id = b;"
             "  RETURN r; END $$;"
             "SELECT pg_temp.raw(%lld)", booth);
    return psql_ok(pg.url, sql);
}

static char *rolled_answers(long long booth)
{
    char sql[600], b[24];
    snprintf(b, sizeof b, "%lld", booth);
    snprintf(sql, sizeof sql, "SELECT " ANSWERS("%s"), b, b);
    return psql_ok(pg.url, sql);
}

/* The booth's rollup is readable and folds all but the last hour or so; the answers equal raw. */
static void check_rolled_equals_raw(long long booth, const char *stage)
{
    char sql[300];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM visit_rollup_of(%lld) r WHERE r.w > now() - interval '2 hours'", booth);
    if (psql_long(pg.url, sql) != 1) FAIL("%s: booth %lld has no readable rollup up to the last hour", stage, booth);
    char *rolled = rolled_answers(booth), *raw = raw_answers(booth);
    if (strcmp(rolled, raw)) FAIL("%s: rolled-up answers differ from raw:\n--- rolled\n%s\n--- raw\n%s", stage, rolled, raw);
    it_log("%s: %zu bytes of answers equal", stage, strlen(raw));
    free(rolled);
    free(raw);
}

/* Calls visit_rollup() as a node's timer does, waiting out a node that holds its lock;
 * returns the booths still behind. */
static long rollup_now(void)
{
    long behind;
    for (int i = 0; (behind = psql_long(pg.url, "SELECT visit_rollup()")) < 0 && i < 100; i++) it_sleep_ms(100);
    return behind;
}

static void test_analytics_rollup(void)
{
    up(1);
    /* the node's timer made its first call at start: every demo booth has a watermark */
    for (int i = 0; i < 50 && psql_long(pg.url, "SELECT count(*) FROM booths b WHERE NOT EXISTS (SELECT 1 FROM"
                                                 " visit_rollup_booths r WHERE r.booth_id = b.id AND r.rolled_to IS NOT NULL)"); i++)
        it_sleep_ms(200);
    ASSERT_EQ(psql_long(pg.url, "SELECT count(*) FROM booths b WHERE NOT EXISTS (SELECT 1 FROM"
                                " visit_rollup_booths r WHERE r.booth_id = b.id AND r.rolled_to IS NOT NULL)"), 0);
    long long c = demo_booth_id(pg.url, BOOTH_C);
    free(psql_ok(pg.url, ROLLUP_DATA(BOOTH_C)));
    /* deleting visits reset every booth that had any; now fold them */
    ASSERT_EQ(rollup_now(), 0);
    ASSERT_TRUE(psql_long(pg.url, "SELECT count(*) FROM visit_rollup_open") > 0);
    check_rolled_equals_raw(c, "rolled");

    /* over the protocol: the staff's totals are the raw totals */
    struct person staff;
    login_staff(&staff, na.port, BOOTH_C, "staffC");
    cJSON *d = EXPO_OK(&staff.c, "analytics.booth", "{\"booth_id\":%lld}", c);
    char sql[400];
    snprintf(sql, sizeof sql, "SELECT row_to_json(t)::text FROM analytics_totals(%lld) t", c);
    char *want_text = psql_ok(pg.url, sql);
    cJSON *want = cJSON_Parse(want_text);
    char *got = cJSON_PrintUnformatted(JGET(d, "totals")), *exp = cJSON_PrintUnformatted(want);
    ASSERT_STR_EQ(got, exp);
    ASSERT_TRUE(JGET(JGET(d, "totals"), "visits")->valuedouble > 2000);
    free(got);
    free(exp);
    cJSON_Delete(want);
    free(want_text);
    cJSON_Delete(d);

    /* visits open at the rollup close: read at once (not folded yet), then folded */
    free(psql_ok(pg.url, "UPDATE visits SET left_at = entered_at + interval '77 seconds'"
                         " WHERE left_at IS NULL AND id IN (SELECT visit_id FROM visit_rollup_open)"));
    check_rolled_equals_raw(c, "closed after the rollup");
    ASSERT_EQ(rollup_now(), 0);
    ASSERT_EQ(psql_long(pg.url, "SELECT count(*) FROM visit_rollup_open o JOIN visits v ON v.id = o.visit_id"
                                " WHERE v.left_at IS NOT NULL"), 0);
    check_rolled_equals_raw(c, "folded");

    /* a new staff member (buyer5 joins the booth): the booth is read raw until redone */
    snprintf(sql, sizeof sql, "INSERT INTO booth_staff (booth_id, account_id) SELECT %lld, id FROM accounts"
                              " WHERE email = 'buyer5@demo.expo'", c);
    free(psql_ok(pg.url, sql));
    snprintf(sql, sizeof sql, "SELECT count(*) FROM visit_rollup_of(%lld)", c);
    ASSERT_EQ(psql_long(pg.url, sql), 0);
    ASSERT_EQ(rollup_now(), 0);
    check_rolled_equals_raw(c, "staff changed");

    /* another phase of hours (Kolkata :30 -> New York :00): unreadable, then redone */
    free(psql_ok(pg.url, "UPDATE booths SET time_zone = 'America/New_York' WHERE slug = '" BOOTH_C "'"));
    ASSERT_EQ(psql_long(pg.url, sql), 0);
    ASSERT_EQ(rollup_now(), 0);
    check_rolled_equals_raw(c, "time zone changed");

    /* deleted visits (an account deleted takes its visits along): reset, redone */
    free(psql_ok(pg.url, "DELETE FROM visits WHERE account_id = (SELECT id FROM accounts WHERE email = 'buyer4@demo.expo')"));
    ASSERT_EQ(psql_long(pg.url, sql), 0);
    ASSERT_EQ(rollup_now(), 0);
    check_rolled_equals_raw(c, "visits deleted");
    down();
}

/* ---- the "now" counters: live, across nodes, at most one event a second ---------------------- */

static void test_analytics_now(void)
{
    up(2);
    long long a = demo_booth_id(pg.url, BOOTH_A);
    struct person staff, v[3];
    login_staff(&staff, na.port, BOOTH_A, "staffA@A");
    cJSON *d = EXPO_OK(&staff.c, "analytics.booth", "{\"booth_id\":%lld}", a);
    check_num(JGET(d, "now"), "visitors_now", 0);
    cJSON_Delete(d);
    static const char *const who[] = {"buyer1@demo.expo", "buyer2@demo.expo", "buyer3@demo.expo"};
    for (int i = 0; i < 3; i++) demo_login(&v[i], nb.port, who[i], who[i]);
    cJSON_Delete(EXPO_OK(&v[0].c, "booth.enter", "{\"booth_id\":%lld}", a));
    double t0 = it_now();
    cJSON *ev = NULL;
    while (it_now() - t0 < it_ms(5000) / 1000.0) {
        ev = expo_event(&staff.c, "analytics.now", it_ms(5000));
        if (!ev || JINT(ev, "visitors_now") == 1) break;
        cJSON_Delete(ev);
        ev = NULL;
    }
    if (!ev) FAIL("no analytics.now with visitors_now 1 after a visitor entered on the other node");
    ASSERT_EQ(JINT(ev, "booth_id"), a);
    ASSERT_EQ(JINT(ev, "staff_online"), 0);
    cJSON_Delete(ev);
    expo_discard_events(&staff.c, "analytics.now");
    /* churn for 3 s: at most one event a second reaches the staff */
    double start = it_now();
    for (int round = 0; it_now() - start < 3.0; round++) {
        struct person *p = &v[1 + round % 2];
        cJSON_Delete(EXPO_OK(&p->c, "booth.enter", "{\"booth_id\":%lld}", a));
        it_sleep_ms(100);
        DO_OK(&p->c, "booth.leave", "{\"booth_id\":%lld}", a);
        it_sleep_ms(100);
    }
    int n = expo_count_events(&staff.c, "analytics.now", 0);
    it_log("%d analytics.now events in 3 s of churn", n);
    ASSERT_LE(n, 4);
    /* unwatch: nothing more */
    DO_OK(&staff.c, "analytics.unwatch", "{}");
    expo_discard_events(&staff.c, "analytics.now");
    DO_OK(&v[0].c, "booth.leave", "{\"booth_id\":%lld}", a);
    ASSERT_EQ(expo_count_events(&staff.c, "analytics.now", it_ms(2500)), 0);
    down();
}

static const struct it_test tests[] = {
    {"share_live", test_share_live, 90},
    {"meeting_creates_lead", test_meeting_creates_lead, 60},
    {"update_validation", test_update_validation, 60},
    {"csv", test_csv, 60},
    {"csv_filtered", test_csv_filtered, 60},
    {"analytics_exact", test_analytics_exact, 60},
    {"analytics_rollup", test_analytics_rollup, 120},
    {"analytics_now", test_analytics_now, 90},
    {NULL, NULL, 0},
};

int main(int argc, char **argv) { return it_main(argc, argv, tests); }
