/* it_authz_organizer.c — the authorization matrix of the organizer console (issue 13): every
 * organizer action, over WebSocket and HTTP, asked by a visitor, by booth staff and by a
 * session that is not signed in, is refused (`forbidden`, resp. `unauthorized`; 403/401 over
 * HTTP) and changes nothing: a fingerprint of every table an action could write is the same
 * before and after, and no refused session receives stats.live. The organizer, asking the same,
 * is served (so the requests themselves are valid and the test can fail).
 *
 *   it_authz_organizer <test> <path/to/boothd>
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expo.h"
#include "harness.h"

#define DEMO_PW "demo1234"

static struct pg_cluster pg;
static struct boothd na;

/* One organizer action and a valid body for it ({ACCOUNT} and {ANN} are filled in). */
struct action { const char *type; const char *data; };

static char account_id[32], ann_id[32];

static const struct action actions[] = {
    {"stats.subscribe", "{}"},
    {"stats.unsubscribe", "{}"},
    {"stats.history", "{\"hours\":2}"},
    {"stats.report", "{}"},
    {"category.save", "{\"slug\":\"authz-cat\",\"name\":{\"en\":\"c\",\"ko\":\"c\"}}"},
    {"company.save", "{\"name\":{\"en\":\"c\",\"ko\":\"c\"}}"},
    {"booth.save", "{\"slug\":\"authz-booth-2\",\"company_id\":1,\"name\":{\"en\":\"b\",\"ko\":\"b\"}}"},
    {"setup.list", "{}"},
    {"booth.archive", "{\"booth_id\":1,\"archived\":true}"},
    {"expo.import", "{\"csv\":\"company_en,company_ko,booth_slug,booth_name_en,booth_name_ko\\nA,가,authz-booth,A,가\\n\",\"apply\":true}"},
    {"announcement.publish", "{\"title\":{\"en\":\"t\",\"ko\":\"t\"},\"body\":{\"en\":\"b\",\"ko\":\"b\"}}"},
    {"announcement.retract", "{\"id\":{ANN}}"},
    {"announcement.history", "{}"},
    {"account.ban", "{\"account_id\":{ACCOUNT},\"reason\":\"x\"}"},
    {"account.unban", "{\"account_id\":{ACCOUNT}}"},
    {"ban.list", "{}"},
    {"audit.list", "{}"},
};
#define N_ACTIONS (sizeof actions / sizeof actions[0])

static const char *const exports[] = {"booths", "meetings", "registrations", "audit"};

static const char *body_of(const struct action *a)
{
    static char buf[512];
    char tmp[512];
    snprintf(buf, sizeof buf, "%s", a->data);
    const char *keys[] = {"{ACCOUNT}", "{ANN}"}, *vals[] = {account_id, ann_id};
    for (int k = 0; k < 2; k++) {
        char *at = strstr(buf, keys[k]);
        if (!at) continue;
        snprintf(tmp, sizeof tmp, "%.*s%s%s", (int)(at - buf), buf, vals[k], at + strlen(keys[k]));
        snprintf(buf, sizeof buf, "%s", tmp);
    }
    return buf;
}

/* Everything an organizer action could change, as one text. */
static char *fingerprint(void)
{
    return psql_ok(pg.url,
                   "SELECT md5(coalesce((SELECT string_agg(a::text, ';' ORDER BY id) FROM announcements a), ''))"
                   " || md5(coalesce((SELECT string_agg(b::text, ';' ORDER BY id) FROM bans b), ''))"
                   " || md5(coalesce((SELECT string_agg(l::text, ';' ORDER BY id) FROM audit_log l), ''))"
                   " || (SELECT count(*) FROM auth_tokens WHERE revoked_at IS NOT NULL)"
                   " || '/' || (SELECT count(*) FROM booths) || '/' || (SELECT count(*) FROM companies)"
                   " || '/' || (SELECT count(*) FROM accounts) || '/' || (SELECT count(*) FROM categories)"
                   " || '/' || md5(coalesce((SELECT string_agg(b::text, ';' ORDER BY id) FROM booths b), ''))");
}

static void login(struct expo *c, const char *label, const char *email, char *token, size_t tlen)
{
    expo_connect(c, na.port, label);
    cJSON *d = EXPO_OK(c, "auth.login", "{\"email\":%s,\"password\":\"" DEMO_PW "\"}", json_quote(email));
    if (token) snprintf(token, tlen, "%s", JSTR(d, "token"));
    cJSON_Delete(d);
}

static int http_status(const char *path, const char *token)
{
    char hdr[256] = "";
    if (token) snprintf(hdr, sizeof hdr, "Authorization: Bearer %s\r\n", token);
    struct http_resp r;
    http_get_with(na.port, path, token ? hdr : NULL, it_ms(10000), &r);
    int st = r.status;
    http_resp_free(&r);
    return st;
}

static void test_matrix(void)
{
    it_demo_up(&pg, &na, NULL, 1);
    char *s = psql_ok(pg.url, "SELECT id FROM accounts WHERE email = 'buyer4@demo.expo'");
    snprintf(account_id, sizeof account_id, "%s", s);
    free(s);
    s = psql_ok(pg.url, "SELECT min(id) FROM announcements");
    snprintf(ann_id, sizeof ann_id, "%s", *s ? s : "1");
    free(s);
    char *staff_email = psql_ok(pg.url, "SELECT a.email FROM booth_staff s JOIN accounts a ON a.id = s.account_id ORDER BY s.booth_id LIMIT 1");

    struct expo visitor, staff, anon;
    char vtok[100], stok[100];
    login(&visitor, "visitor", "buyer1@demo.expo", vtok, sizeof vtok);
    login(&staff, "staff", staff_email, stok, sizeof stok);
    expo_connect(&anon, na.port, "anon");

    char *before = fingerprint();
    struct { struct expo *c; const char *who; const char *code; } callers[] = {
        {&visitor, "visitor", "forbidden"}, {&staff, "staff", "forbidden"}, {&anon, "anonymous", "unauthorized"},
    };
    for (size_t k = 0; k < 3; k++)
        for (size_t i = 0; i < N_ACTIONS; i++) {
            it_log("%s asks %s", callers[k].who, actions[i].type);
            expo_err_at(__FILE__, __LINE__, callers[k].c, callers[k].code, actions[i].type, "%s", body_of(&actions[i]));
        }
    for (size_t i = 0; i < sizeof exports / sizeof exports[0]; i++) {
        char path[80];
        snprintf(path, sizeof path, "/organizer/export/%s.csv", exports[i]);
        ASSERT_EQ(http_status(path, vtok), 403);
        ASSERT_EQ(http_status(path, stok), 403);
        ASSERT_EQ(http_status(path, NULL), 401);
        ASSERT_EQ(http_status(path, "not-a-token"), 401);
    }
    /* nobody refused is sent the live figures */
    ASSERT_EQ(expo_count_events(&visitor, "stats.live", 2500), 0);
    ASSERT_EQ(expo_count_events(&staff, "stats.live", 10), 0);
    ASSERT_EQ(expo_count_events(&anon, "stats.live", 10), 0);
    char *after = fingerprint();
    ASSERT_STR_EQ(after, before);
    free(after);

    /* the organizer is served the same requests (unban last: it needs the ban) */
    struct expo org;
    char otok[100];
    login(&org, "organizer", "organizer@demo.expo", otok, sizeof otok);
    for (size_t i = 0; i < N_ACTIONS; i++) {
        if (!strcmp(actions[i].type, "announcement.retract") && !strcmp(ann_id, "1") &&
            psql_long(pg.url, "SELECT count(*) FROM announcements") == 0)
            continue;
        cJSON_Delete(expo_ok_at(__FILE__, __LINE__, &org, actions[i].type, "%s", body_of(&actions[i])));
    }
    for (size_t i = 0; i < sizeof exports / sizeof exports[0]; i++) {
        char path[80];
        snprintf(path, sizeof path, "/organizer/export/%s.csv", exports[i]);
        ASSERT_EQ(http_status(path, otok), 200);
    }
    after = fingerprint();
    if (!strcmp(after, before)) FAIL("the organizer's actions changed nothing: the matrix proves nothing");
    free(after);
    free(before);
    free(staff_email);
    expo_close(&org);
    expo_close(&anon);
    expo_close(&staff);
    expo_close(&visitor);
}

/* The exports' content: BOM, header, Korean text, RFC 4180 quoting, formulas neutralised. */
static void test_exports(void)
{
    it_demo_up(&pg, &na, NULL, 1);
    free(psql_ok(pg.url, "UPDATE accounts SET company = '=HYPERLINK(\"http://evil\")', name = 'Kim, \"Jay\" 김'"
                         " WHERE email = 'buyer2@demo.expo'"));
    struct expo org;
    char otok[100];
    login(&org, "organizer", "organizer@demo.expo", otok, sizeof otok);
    char hdr[256];
    snprintf(hdr, sizeof hdr, "Authorization: Bearer %s\r\n", otok);
    struct http_resp r;
    ASSERT_EQ(http_get_with(na.port, "/organizer/export/registrations.csv", hdr, it_ms(10000), &r), 200);
    ASSERT_TRUE(!memcmp(r.body, "\xEF\xBB\xBF" "account_id,name,email,company,", 33));
    char ct[100];
    ASSERT_TRUE(http_header(&r, "content-type", ct, sizeof ct));
    ASSERT_TRUE(strstr(ct, "text/csv") != NULL);
    ASSERT_TRUE(http_header(&r, "content-disposition", ct, sizeof ct));
    ASSERT_TRUE(strstr(ct, "expo-registrations.csv") != NULL);
    if (!strstr(r.body, "\"Kim, \"\"Jay\"\" 김\",buyer2@demo.expo,\"'=HYPERLINK(\"\"http://evil\"\")\""))
        FAIL("the row is not quoted and neutralised as expected:\n%s", r.body);
    ASSERT_TRUE(strstr(r.body, "\r\n") != NULL);
    http_resp_free(&r);
    ASSERT_EQ(http_get_with(na.port, "/organizer/export/booths.csv", hdr, it_ms(10000), &r), 200);
    ASSERT_GE(it_count_lines(r.body), 41);
    char *ko = psql_ok(pg.url, "SELECT name_ko FROM booths ORDER BY sort_order, id LIMIT 1");
    if (!strstr(r.body, ko)) FAIL("the booths export lacks the Korean name %s", ko);
    free(ko);
    http_resp_free(&r);
    ASSERT_EQ(http_get_with(na.port, "/organizer/export/audit.csv", hdr, it_ms(10000), &r), 200);
    ASSERT_TRUE(strstr(r.body, ",export,export,booths") != NULL);    /* the previous download is audited */
    http_resp_free(&r);
    ASSERT_EQ(http_get_with(na.port, "/organizer/export/nothing.csv", hdr, it_ms(10000), &r), 404);
    http_resp_free(&r);
    expo_close(&org);
}

static const struct it_test tests[] = {
    {"matrix", test_matrix, 90},
    {"exports", test_exports, 60},
    {NULL, NULL, 0},
};

int main(int argc, char **argv) { return it_main(argc, argv, tests); }
