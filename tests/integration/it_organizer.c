/* it_organizer.c — integration tests of the organizer console (issue 13) on two nodes sharing
 * one database: the live statistics are the sum of both nodes and the same on both, they
 * follow a visitor entering a booth and chatting within two seconds, and the per-minute rollup
 * is written once per minute whichever node gets there first.
 *
 *   it_organizer <test> <path/to/boothd>
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo_people.h"
#include "expo.h"
#include "harness.h"
#include "promtext.h"

static struct pg_cluster pg;
static struct boothd na, nb;

static void up(void) { it_demo_up(&pg, &na, &nb, 2); }

/* The number of a node in a stats.live "nodes" array (-1 when absent). */
static long node_sessions(const cJSON *live, const char *node)
{
    const cJSON *n;
    cJSON_ArrayForEach(n, JGET(live, "nodes"))
        if (!strcmp(JSTR(n, "node_id"), node)) return (long)JINT(n, "sessions");
    return -1;
}

/* Waits for a stats.live event satisfying ok(); fails after timeout_ms. Returns its data. */
static cJSON *wait_live(struct expo *c, int timeout_ms, int (*ok)(const cJSON *, const void *), const void *arg,
                        const char *what)
{
    double until = it_now() + timeout_ms / 1000.0;
    cJSON *last = NULL;
    while (it_now() < until) {
        cJSON *ev = expo_event(c, "stats.live", 1500);
        if (!ev) continue;
        if (ok(ev, arg)) { cJSON_Delete(last); return ev; }
        cJSON_Delete(last);
        last = ev;
    }
    FAIL("no stats.live with %s within %d ms; last: %s", what, timeout_ms, last ? json_text(last) : "(none)");
}

static int both_nodes(const cJSON *live, const void *arg)
{
    (void)arg;
    return node_sessions(live, "node-a") >= 1 && node_sessions(live, "node-b") >= 1;
}

struct want { long visitors, chat; long booth; };

static int visitor_chatted(const cJSON *live, const void *arg)
{
    const struct want *w = arg;
    if (JINT(live, "visitors_in_booths") < w->visitors || JINT(live, "chat_per_min") < w->chat) return 0;
    const cJSON *b;
    cJSON_ArrayForEach(b, JGET(live, "top_booths"))
        if (JINT(b, "booth_id") == w->booth && JINT(b, "visitors") >= 1) return 1;
    return 0;
}

/* The payload without its timestamp, for comparing two nodes' views. */
static char *without_at(const cJSON *live)
{
    cJSON *d = cJSON_Duplicate(live, 1);
    cJSON_DeleteItemFromObjectCaseSensitive(d, "at");
    char *s = cJSON_PrintUnformatted(d);
    cJSON_Delete(d);
    return s;
}

static void test_live_summed(void)
{
    up();
    struct expo oa, ob, v, staff;
    demo_sign_in(&oa, na.port, "organizer@demo.expo", "org@A");
    demo_sign_in(&ob, nb.port, "organizer@demo.expo", "org@B");
    cJSON *d = EXPO_OK(&oa, "stats.subscribe", NULL);
    cJSON_Delete(d);
    cJSON_Delete(EXPO_OK(&ob, "stats.subscribe", NULL));

    /* Both nodes appear, each with its own sessions, and the total is their sum. */
    cJSON *live = wait_live(&oa, it_ms(8000), both_nodes, NULL, "both nodes");
    long sa = node_sessions(live, "node-a"), sb = node_sessions(live, "node-b");
    ASSERT_EQ(JINT(live, "sessions"), sa + sb);
    ASSERT_TRUE(cJSON_IsArray(JGET(live, "booths")));
    ASSERT_GE(cJSON_GetArraySize(JGET(live, "booths")), 40);     /* every demo booth, named */
    ASSERT_GE(JINT(live, "booths_without_staff"), 1);
    cJSON_Delete(live);

    /* A visitor on node B enters a booth and chats: node A's dashboard shows it within 2 s. */
    char *booth = psql_ok(pg.url, "SELECT min(id) FROM booths");
    demo_sign_in(&v, nb.port, "buyer1@demo.expo", "buyer@B");
    double t0 = it_now();
    cJSON_Delete(EXPO_OK(&v, "booth.enter", "{\"booth_id\":%s}", booth));
    cJSON_Delete(EXPO_OK(&v, "chat.send", "{\"booth_id\":%s,\"text\":\"hello\",\"client_msg_id\":\"org-1\"}", booth));
    struct want w = {1, 1, atol(booth)};
    expo_discard_events(&oa, "stats.live");
    live = wait_live(&oa, it_ms(2500), visitor_chatted, &w, "the visitor and the chat message");
    it_log("seen on node A after %.2f s", it_now() - t0);
    ASSERT_LE((it_now() - t0) * 1000, it_ms(2500));
    cJSON_Delete(live);

    /* Staff of that booth online on node A: the booth is no longer flagged. */
    char *staff_email = psql_ok(pg.url, "SELECT a.email FROM booth_staff s JOIN accounts a ON a.id = s.account_id"
                                        " WHERE s.booth_id = (SELECT min(id) FROM booths) ORDER BY a.id LIMIT 1");
    demo_sign_in(&staff, na.port, staff_email, "staff@A");
    cJSON_Delete(EXPO_OK(&staff, "booth.enter", "{\"booth_id\":%s}", booth));
    double until = it_now() + it_ms(5000) / 1000.0;
    int staffed = 0;
    while (!staffed && it_now() < until) {
        cJSON *ev = expo_event(&ob, "stats.live", 1500);
        if (!ev) continue;
        const cJSON *b;
        cJSON_ArrayForEach(b, JGET(ev, "booths"))
            if (JINT(b, "booth_id") == atol(booth) && JINT(b, "staff") >= 1) staffed = 1;
        cJSON_Delete(ev);
    }
    ASSERT_TRUE(staffed);

    /* Both nodes send the same figures. A node sees the other's counters up to one tick late,
     * so compare fresh pairs once nothing moves, until one pair agrees exactly (but for `at`). */
    it_sleep_ms(it_ms(2500));
    int agreed = 0;
    char *ta = NULL, *tb = NULL;
    for (int round = 0; round < 8 && !agreed; round++) {
        expo_discard_events(&oa, "stats.live");
        expo_discard_events(&ob, "stats.live");
        cJSON *la = expo_event(&oa, "stats.live", it_ms(3000)), *lb = expo_event(&ob, "stats.live", it_ms(3000));
        ASSERT_TRUE(la && lb);
        free(ta);
        free(tb);
        ta = without_at(la);
        tb = without_at(lb);
        agreed = !strcmp(ta, tb);
        cJSON_Delete(la);
        cJSON_Delete(lb);
    }
    if (!agreed) FAIL("the nodes never agreed:\nA: %s\nB: %s", ta, tb);
    free(ta);
    free(tb);

    /* Unsubscribed: no more events. */
    cJSON_Delete(EXPO_OK(&oa, "stats.unsubscribe", NULL));
    expo_pump(&oa, 300);
    expo_discard_events(&oa, "stats.live");
    ASSERT_EQ(expo_count_events(&oa, "stats.live", 2500), 0);

    /* "today": the meeting and registration counters are there. */
    cJSON *l2 = expo_event(&ob, "stats.live", it_ms(8000));
    ASSERT_TRUE(l2 != NULL);
    const cJSON *today = JGET(l2, "today");
    ASSERT_TRUE(cJSON_IsObject(today));
    ASSERT_GE(JINT(today, "meetings_requested"), 0);
    ASSERT_GE(JINT(today, "registrations"), 0);
    cJSON_Delete(l2);

    free(booth);
    free(staff_email);
    expo_close(&staff);
    expo_close(&v);
    expo_close(&ob);
    expo_close(&oa);
}

/* The minute rollup: one row per minute, the sum of both nodes, readable through
 * stats.history. Waits for a minute boundary (at most a minute). */
static void test_rollup(void)
{
    up();
    struct expo o;
    demo_sign_in(&o, na.port, "organizer@demo.expo", "org@A");
    struct expo v;
    demo_sign_in(&v, nb.port, "buyer1@demo.expo", "buyer@B");
    double until = it_now() + 75;
    long rows = 0;
    while (rows == 0 && it_now() < until) {
        expo_pump(&o, 500);     /* answers the server's pings: silent clients are dropped */
        expo_pump(&v, 500);
        rows = psql_long(pg.url, "SELECT count(*) FROM stats_minute WHERE nodes = 2");
    }
    ASSERT_GE(rows, 1);
    expo_pump(&o, 1500);   /* the other node's attempt for the same minute has run too */
    ASSERT_EQ(psql_long(pg.url, "SELECT count(*) FROM stats_minute"), psql_long(pg.url, "SELECT count(DISTINCT minute) FROM stats_minute"));
    ASSERT_GE(psql_long(pg.url, "SELECT max(sessions) FROM stats_minute WHERE nodes = 2"), 2);
    cJSON *d = EXPO_OK(&o, "stats.history", "{\"hours\":1}");
    ASSERT_GE(cJSON_GetArraySize(JGET(d, "minutes")), 1);
    ASSERT_GE(cJSON_GetArraySize(JGET(d, "hours")), 1);
    const cJSON *m = cJSON_GetArrayItem(JGET(d, "minutes"), 0);
    ASSERT_GE(JINT(m, "sessions"), 0);
    long long t;
    ASSERT_EQ(it_parse_rfc3339(JSTR(m, "t"), &t), 0);
    cJSON_Delete(d);
    EXPO_ERR(&o, "bad_request", "stats.history", "{\"hours\":100}");
    expo_close(&v);
    expo_close(&o);
}

/* An announcement published on node A reaches sessions on both nodes at once (signed in or
 * not), later connections list it, a retraction removes it everywhere, and the organizer's
 * history and audit log keep both. */
static void test_announcements(void)
{
    up();
    free(psql_ok(pg.url, "DELETE FROM announcements"));   /* count from none, whatever the demo has */
    struct expo org, anon_b, vis_a, late;
    demo_sign_in(&org, na.port, "organizer@demo.expo", "org@A");
    expo_connect(&anon_b, nb.port, "anon@B");
    demo_sign_in(&vis_a, na.port, "buyer1@demo.expo", "buyer@A");
    cJSON_Delete(EXPO_OK(&anon_b, "sys.ping", NULL));

    cJSON *d = EXPO_OK(&org, "announcement.publish",
                       "{\"level\":\"important\",\"title\":{\"en\":\"Keynote at 3 pm\",\"ko\":\"오후 3시 기조연설\"},"
                       "\"body\":{\"en\":\"Join the hall stage.\",\"ko\":\"메인 무대로 오세요.\"}}");
    const cJSON *a = JGET(d, "announcement");
    long long id = JINT(a, "id");
    ASSERT_STR_EQ(JSTR(a, "level"), "important");
    ASSERT_STR_EQ(JSTR(JGET(a, "title"), "ko"), "오후 3시 기조연설");
    cJSON_Delete(d);
    cJSON *ev = expo_event(&anon_b, "announcement", it_ms(3000));
    if (!ev) FAIL("the anonymous session on node B got no announcement event");
    ASSERT_EQ(JINT(JGET(ev, "announcement"), "id"), id);
    ASSERT_STR_EQ(JSTR(JGET(JGET(ev, "announcement"), "body"), "en"), "Join the hall stage.");
    cJSON_Delete(ev);
    ev = expo_event(&vis_a, "announcement", it_ms(3000));
    ASSERT_TRUE(ev != NULL);
    cJSON_Delete(ev);

    /* a page connecting later lists the active ones */
    expo_connect(&late, nb.port, "late@B");
    d = EXPO_OK(&late, "announcement.list", NULL);
    ASSERT_EQ(cJSON_GetArraySize(JGET(d, "announcements")), 1);
    ASSERT_EQ(JINT(cJSON_GetArrayItem(JGET(d, "announcements"), 0), "id"), id);
    cJSON_Delete(d);

    /* bad input changes nothing */
    EXPO_ERR(&org, "bad_request", "announcement.publish", "{\"title\":{\"en\":\"x\"},\"body\":{\"en\":\"y\",\"ko\":\"z\"}}");
    EXPO_ERR(&org, "bad_request", "announcement.publish", "{\"level\":\"loud\",\"title\":{\"en\":\"x\",\"ko\":\"x\"},\"body\":{\"en\":\"y\",\"ko\":\"z\"}}");
    EXPO_ERR(&org, "bad_request", "announcement.publish", "{\"expires_at\":\"2001-01-01T00:00:00Z\",\"title\":{\"en\":\"x\",\"ko\":\"x\"},\"body\":{\"en\":\"y\",\"ko\":\"z\"}}");
    ASSERT_EQ(psql_long(pg.url, "SELECT count(*) FROM announcements"), 1);

    /* an expiring one is listed until it expires */
    d = EXPO_OK(&org, "announcement.publish", "{\"expires_at\":\"2099-01-01T00:00:00Z\",\"title\":{\"en\":\"Later\",\"ko\":\"나중\"},"
                "\"body\":{\"en\":\"b\",\"ko\":\"b\"}}");
    ASSERT_TRUE(!cJSON_IsNull(JGET(JGET(d, "announcement"), "expires_at")));
    cJSON_Delete(d);

    /* retract: gone for everyone, on both nodes */
    expo_discard_events(&anon_b, NULL);
    cJSON_Delete(EXPO_OK(&org, "announcement.retract", "{\"id\":%lld}", id));
    ev = expo_event(&anon_b, "announcement.retracted", it_ms(3000));
    if (!ev) FAIL("no announcement.retracted on node B");
    ASSERT_EQ(JINT(ev, "id"), id);
    cJSON_Delete(ev);
    EXPO_ERR(&org, "not_found", "announcement.retract", "{\"id\":%lld}", id);
    d = EXPO_OK(&late, "announcement.list", NULL);
    ASSERT_EQ(cJSON_GetArraySize(JGET(d, "announcements")), 1);   /* only the expiring one */
    cJSON_Delete(d);
    d = EXPO_OK(&org, "announcement.history", NULL);
    ASSERT_EQ(cJSON_GetArraySize(JGET(d, "announcements")), 2);
    cJSON_Delete(d);
    d = EXPO_OK(&org, "audit.list", NULL);
    const cJSON *e;
    int pub = 0, ret = 0;
    cJSON_ArrayForEach(e, JGET(d, "entries")) {
        if (!strcmp(JSTR(e, "action"), "announcement.publish")) pub++;
        if (!strcmp(JSTR(e, "action"), "announcement.retract")) {
            ret++;
            ASSERT_TRUE(cJSON_IsObject(JGET(JGET(e, "detail"), "before")));
            ASSERT_TRUE(cJSON_IsObject(JGET(JGET(e, "detail"), "after")));
            ASSERT_STR_EQ(JSTR(e, "actor"), "Expo Organizer");
        }
    }
    ASSERT_EQ(pub, 2);
    ASSERT_EQ(ret, 1);
    cJSON_Delete(d);
    expo_close(&late);
    expo_close(&vis_a);
    expo_close(&anon_b);
    expo_close(&org);
}

/* A ban from node A closes the account's sessions on both nodes with a clear reason; sign-in
 * and resume are refused until unban; organizers cannot be banned; the audit log has both. */
/* A call that must fail with `banned`: the error names the reason and the end (null: none). */
static void expect_banned(struct expo *c, const char *reason, const char *until, const char *type, const char *data)
{
    cJSON *r = expo_call(c, type, "%s", data);
    if (!r) FAIL("%s: no reply", type);
    const cJSON *e = JGET(r, "error");
    if (!cJSON_IsFalse(JGET(r, "ok")) || !e) FAIL("%s: expected the error banned, got %s", type, json_text(r));
    ASSERT_STR_EQ(JSTR(e, "code"), "banned");
    ASSERT_STR_EQ(JSTR(e, "reason"), reason);
    if (until) ASSERT_STR_EQ(JSTR(e, "until"), until);
    else ASSERT_TRUE(cJSON_IsNull(JGET(e, "until")));
    cJSON_Delete(r);
}

static void test_ban(void)
{
    up();
    struct expo org, va, vb, again, early;
    demo_sign_in(&org, na.port, "organizer@demo.expo", "org@A");
    expo_connect(&va, na.port, "buyer3@A");
    cJSON *d = EXPO_OK(&va, "auth.login", "{\"email\":\"buyer3@demo.expo\",\"password\":\"" DEMO_PASSWORD "\"}");
    char token[200];
    snprintf(token, sizeof token, "%s", JSTR(d, "token"));
    long long account = JINT(JGET(d, "user"), "id");
    cJSON_Delete(d);
    demo_sign_in(&vb, nb.port, "buyer3@demo.expo", "buyer3@B");
    /* a token signed out before the ban stays a plain invalid token */
    expo_connect(&early, nb.port, "early@B");
    d = EXPO_OK(&early, "auth.login", "{\"email\":\"buyer3@demo.expo\",\"password\":\"" DEMO_PASSWORD "\"}");
    char early_token[200];
    snprintf(early_token, sizeof early_token, "%s", JSTR(d, "token"));
    cJSON_Delete(d);
    cJSON_Delete(EXPO_OK(&early, "auth.logout", NULL));

    EXPO_ERR(&org, "forbidden", "account.ban", "{\"email\":\"organizer@demo.expo\",\"reason\":\"x\"}");
    EXPO_ERR(&org, "not_found", "account.ban", "{\"email\":\"nobody@nowhere.example\",\"reason\":\"x\"}");
    EXPO_ERR(&org, "bad_request", "account.ban", "{\"account_id\":%lld}", account);
    ASSERT_EQ(psql_long(pg.url, "SELECT count(*) FROM bans"), 0);

    d = EXPO_OK(&org, "account.ban", "{\"account_id\":%lld,\"reason\":\"spam in booth chats\"}", account);
    ASSERT_EQ(JINT(d, "account_id"), account);
    cJSON_Delete(d);
    ASSERT_EQ(ws_wait_closed(&va.ws, it_ms(3000), NULL), 1008);
    ASSERT_EQ(ws_wait_closed(&vb.ws, it_ms(3000), NULL), 1008);
    ASSERT_STR_EQ(vb.ws.close_reason, "account suspended by the organizers");
    expo_drop(&va);
    expo_drop(&vb);

    /* Proved who it is (its token, its password), on either node: `banned` with the reason. */
    expo_connect(&again, nb.port, "again@B");
    char tok_data[300];
    snprintf(tok_data, sizeof tok_data, "{\"token\":%s}", json_quote(token));
    expect_banned(&again, "spam in booth chats", NULL, "auth.resume", tok_data);
    expect_banned(&again, "spam in booth chats", NULL, "auth.login", "{\"email\":\"buyer3@demo.expo\",\"password\":\"" DEMO_PASSWORD "\"}");
    expect_banned(&early, "spam in booth chats", NULL, "auth.login", "{\"email\":\"BUYER3@demo.expo\",\"password\":\"" DEMO_PASSWORD "\"}");
    /* Did not: the usual answers, nothing about the ban. */
    EXPO_ERR(&again, "unauthorized", "auth.login", "{\"email\":\"buyer3@demo.expo\",\"password\":\"wrong-password\"}");
    EXPO_ERR(&again, "unauthorized", "auth.resume", "{\"token\":%s}", json_quote(early_token));
    ASSERT_EQ(psql_long(pg.url, "SELECT count(*) FROM auth_tokens t JOIN accounts a ON a.id = t.account_id"
                                " WHERE a.email = 'buyer3@demo.expo' AND t.revoked_at IS NULL"), 0);   /* no new token */
    d = EXPO_OK(&org, "ban.list", NULL);
    ASSERT_EQ(cJSON_GetArraySize(JGET(d, "bans")), 1);
    ASSERT_STR_EQ(JSTR(cJSON_GetArrayItem(JGET(d, "bans"), 0), "reason"), "spam in booth chats");
    cJSON_Delete(d);

    cJSON_Delete(EXPO_OK(&org, "account.unban", "{\"account_id\":%lld}", account));
    EXPO_ERR(&org, "not_found", "account.unban", "{\"account_id\":%lld}", account);
    /* After the unban the old token stays revoked by the ban: sign in again, which works. */
    EXPO_ERR(&again, "unauthorized", "auth.resume", "{\"token\":%s}", json_quote(token));
    expo_close(&again);
    expo_close(&early);
    expo_connect(&again, nb.port, "again2@B");
    d = EXPO_OK(&again, "auth.login", "{\"email\":\"buyer3@demo.expo\",\"password\":\"" DEMO_PASSWORD "\"}");
    snprintf(token, sizeof token, "%s", JSTR(d, "token"));
    cJSON_Delete(d);
    ASSERT_EQ(psql_long(pg.url, "SELECT count(*) FROM audit_log WHERE action IN ('account.ban', 'account.unban')"), 2);

    /* a timed ban: its end time in the answer on both nodes; then it ends by itself */
    cJSON_Delete(EXPO_OK(&org, "account.ban", "{\"account_id\":%lld,\"reason\":\"cool down\",\"until\":\"2099-01-01T00:00:00Z\"}", account));
    ASSERT_EQ(ws_wait_closed(&again.ws, it_ms(3000), NULL), 1008);
    expo_drop(&again);
    expo_connect(&again, na.port, "timed@A");
    snprintf(tok_data, sizeof tok_data, "{\"token\":%s}", json_quote(token));
    expect_banned(&again, "cool down", "2099-01-01T00:00:00.000Z", "auth.resume", tok_data);
    expect_banned(&again, "cool down", "2099-01-01T00:00:00.000Z", "auth.login", "{\"email\":\"buyer3@demo.expo\",\"password\":\"" DEMO_PASSWORD "\"}");
    expo_close(&again);
    free(psql_ok(pg.url, "UPDATE bans SET created_at = now() - interval '2 hours', expires_at = now() - interval '1 hour'"));
    demo_sign_in(&again, na.port, "buyer3@demo.expo", "after@A");
    EXPO_ERR(&again, "unauthorized", "auth.login", "{\"email\":\"buyer3@demo.expo\",\"password\":\"wrong-password\"}");
    expo_close(&again);
    expo_close(&org);
}

/* The bulk import: a dry run lists every bad row with its line and reason (file and database
 * problems alike) and writes nothing; apply with a bad row writes nothing either; a clean file
 * is applied in one go, the booths appear in the hall on both nodes, and each staff member
 * gets a team invite of the booth: its link opens invite.html, where accepting with a name and
 * a password creates the account as the booth's owner (once). */
static void test_import(void)
{
    up();
    struct expo org, other;
    demo_sign_in(&org, na.port, "organizer@demo.expo", "org@A");
    char *taken = psql_ok(pg.url, "SELECT slug FROM booths ORDER BY id LIMIT 1");
    char *cat = psql_ok(pg.url, "SELECT slug FROM categories ORDER BY id LIMIT 1");
    long booths0 = psql_long(pg.url, "SELECT count(*) FROM booths");
    long accounts0 = psql_long(pg.url, "SELECT count(*) FROM accounts");
    char bad[2000];
    snprintf(bad, sizeof bad,
             "\xEF\xBB\xBF" "company_en,company_ko,booth_slug,booth_name_en,booth_name_ko,category,tier,sort_order,staff_email,staff_name\r\n"
             "Nara Foods,나라식품,nara-foods,Nara Foods,나라식품,%s,gold,5,kim@nara.example,김나라\r\n"
             "\"Busan, Ltd\",부산,%s,Busan,부산,,,,,\r\n"                 /* line 3: slug taken */
             "Bad Slug Co,배드,Bad Slug!,Bad,배드,,silver,x,not-an-email,\r\n"  /* line 4: four problems */
             "\"Multi\nLine Co\",멀티,multi-line,Multi,멀티,nope,,,,\r\n"      /* line 5 (quoted newline): unknown category */
             "Dup,중복,nara-foods,Dup,중복,,,,kim@nara.example,Kim\r\n",       /* line 7: duplicates of line 2 */
             cat, taken);
    cJSON *d = EXPO_OK(&org, "expo.import", "{\"csv\":%s}", json_quote(bad));
    ASSERT_TRUE(cJSON_IsFalse(JGET(d, "applied")));
    ASSERT_EQ(JINT(d, "rows"), 5);
    const cJSON *e;
    int lines[16] = {0};
    cJSON_ArrayForEach(e, JGET(d, "errors")) {
        it_log("line %lld %s: %s", JINT(e, "line"), JSTR(e, "column"), JSTR(e, "reason"));
        if (JINT(e, "line") < 16) lines[JINT(e, "line")]++;
    }
    ASSERT_EQ(lines[2], 0);
    ASSERT_EQ(lines[3], 1);
    ASSERT_GE(lines[4], 4);
    ASSERT_EQ(lines[5], 1);
    ASSERT_EQ(lines[7], 2);
    cJSON_Delete(d);
    d = EXPO_OK(&org, "expo.import", "{\"csv\":%s,\"apply\":true}", json_quote(bad));
    ASSERT_TRUE(cJSON_IsFalse(JGET(d, "applied")));
    cJSON_Delete(d);
    ASSERT_EQ(psql_long(pg.url, "SELECT count(*) FROM booths"), booths0);
    ASSERT_EQ(psql_long(pg.url, "SELECT count(*) FROM accounts"), accounts0);

    const char *good =
        "booth_name_en,booth_name_ko,booth_slug,company_en,company_ko,staff_email,staff_name,country\n"
        "Nara Foods,나라식품,nara-foods,Nara Foods,나라식품,kim@nara.example,김나라,KR\n"
        "\"Hana \"\"Premium\"\" Tea\",하나 차,hana-tea,Hana Tea,하나,,,\n";
    d = EXPO_OK(&org, "expo.import", "{\"csv\":%s,\"apply\":true}", json_quote(good));
    ASSERT_TRUE(cJSON_IsTrue(JGET(d, "applied")));
    ASSERT_EQ(cJSON_GetArraySize(JGET(d, "errors")), 0);
    ASSERT_EQ(cJSON_GetArraySize(JGET(d, "booths")), 2);
    ASSERT_EQ(cJSON_GetArraySize(JGET(d, "invites")), 1);
    const cJSON *inv = cJSON_GetArrayItem(JGET(d, "invites"), 0);
    ASSERT_STR_EQ(JSTR(inv, "email"), "kim@nara.example");
    const char *link = JSTR(inv, "link");
    if (strncmp(link, "/invite.html#", 13)) FAIL("the invite link should open invite.html: %s", link);
    ASSERT_STR_EQ(JSTR(inv, "slug"), "nara-foods");
    char token[100];
    snprintf(token, sizeof token, "%s", link + 13);
    cJSON_Delete(d);
    ASSERT_EQ(psql_long(pg.url, "SELECT count(*) FROM booths"), booths0 + 2);
    ASSERT_EQ(psql_long(pg.url, "SELECT count(*) FROM booths WHERE name_en = 'Hana \"Premium\" Tea'"), 1);
    /* staff come as a pending team invite of their booth, no account yet */
    ASSERT_EQ(psql_long(pg.url, "SELECT count(*) FROM booth_invites i JOIN booths b ON b.id = i.booth_id"
                                " WHERE b.slug = 'nara-foods' AND i.email = 'kim@nara.example' AND i.accepted_at IS NULL"
                                " AND i.expires_at > now() + interval '13 days'"), 1);
    ASSERT_EQ(psql_long(pg.url, "SELECT count(*) FROM accounts"), accounts0);
    ASSERT_EQ(psql_long(pg.url, "SELECT count(*) FROM audit_log WHERE action = 'expo.import'"), 1);

    /* the hall of the other node lists the new booth */
    expo_connect(&other, nb.port, "hall@B");
    d = EXPO_OK(&other, "hall.list", "{\"q\":\"Nara\"}");
    int found = 0;
    cJSON_ArrayForEach(e, JGET(d, "booths")) if (!strcmp(JSTR(e, "slug"), "nara-foods")) found = 1;
    ASSERT_TRUE(found);
    cJSON_Delete(d);

    /* the invite works like team.invite's: the page shows the booth, accepting (name and
     * password) creates the account, signs it in as the booth's owner, and works once */
    d = EXPO_OK(&other, "invite.get", "{\"token\":%s}", json_quote(token));
    ASSERT_STR_EQ(JSTR(d, "email"), "kim@nara.example");
    ASSERT_STR_EQ(JSTR(JGET(d, "booth"), "slug"), "nara-foods");
    cJSON_Delete(d);
    EXPO_ERR(&other, "bad_request", "invite.accept", "{\"token\":%s,\"name\":\"김나라\",\"password\":\"short\"}", json_quote(token));
    d = EXPO_OK(&other, "invite.accept", "{\"token\":%s,\"name\":\"김나라\",\"password\":\"nara-password-1\"}", json_quote(token));
    ASSERT_STR_EQ(JSTR(JGET(d, "user"), "role"), "exhibitor");
    cJSON_Delete(d);
    ASSERT_EQ(psql_long(pg.url, "SELECT count(*) FROM booth_staff s JOIN booths b ON b.id = s.booth_id"
                                " JOIN accounts a ON a.id = s.account_id WHERE b.slug = 'nara-foods'"
                                " AND a.email = 'kim@nara.example' AND s.staff_role = 'owner'"), 1);
    struct expo third;
    expo_connect(&third, na.port, "third@A");
    EXPO_ERR(&third, "not_found", "invite.accept", "{\"token\":%s,\"name\":\"x\",\"password\":\"nara-password-2\"}", json_quote(token));
    d = EXPO_OK(&third, "auth.login", "{\"email\":\"kim@nara.example\",\"password\":\"nara-password-1\"}");
    ASSERT_STR_EQ(JSTR(JGET(d, "user"), "role"), "exhibitor");
    cJSON_Delete(d);
    expo_close(&third);

    /* applying the same file again: both slugs are taken now, nothing changes */
    d = EXPO_OK(&org, "expo.import", "{\"csv\":%s,\"apply\":true}", json_quote(good));
    ASSERT_TRUE(cJSON_IsFalse(JGET(d, "applied")));
    ASSERT_GE(cJSON_GetArraySize(JGET(d, "errors")), 2);
    cJSON_Delete(d);
    ASSERT_EQ(psql_long(pg.url, "SELECT count(*) FROM booths"), booths0 + 2);
    free(taken);
    free(cat);
    expo_close(&other);
    expo_close(&org);
}

/* Hiding a booth chat message: members on both nodes get chat.hidden at once; history keeps
 * the seq (gapless) with hidden: true and no text; the booth's staff may hide too, staff of
 * another booth and visitors may not; the audit log keeps the text. */
static void test_hide(void)
{
    up();
    struct expo org, v, staff, other;
    char *booth = psql_ok(pg.url, "SELECT min(id) FROM booths");
    char *staff_email = psql_ok(pg.url, "SELECT a.email FROM booth_staff s JOIN accounts a ON a.id = s.account_id"
                                        " WHERE s.booth_id = (SELECT min(id) FROM booths) ORDER BY a.id LIMIT 1");
    char *other_email = psql_ok(pg.url, "SELECT a.email FROM booth_staff s JOIN accounts a ON a.id = s.account_id"
                                        " WHERE s.booth_id <> (SELECT min(id) FROM booths) ORDER BY a.id LIMIT 1");
    demo_sign_in(&org, na.port, "organizer@demo.expo", "org@A");
    demo_sign_in(&v, nb.port, "buyer1@demo.expo", "buyer@B");
    demo_sign_in(&staff, na.port, staff_email, "staff@A");
    demo_sign_in(&other, nb.port, other_email, "other@B");
    cJSON_Delete(EXPO_OK(&v, "booth.enter", "{\"booth_id\":%s}", booth));
    cJSON *d = EXPO_OK(&v, "chat.send", "{\"booth_id\":%s,\"text\":\"buy cheap watches\",\"client_msg_id\":\"spam-1\"}", booth);
    long long seq = JINT(JGET(d, "message"), "seq");
    cJSON_Delete(d);
    cJSON_Delete(EXPO_OK(&v, "chat.send", "{\"booth_id\":%s,\"text\":\"a real question\",\"client_msg_id\":\"q-1\"}", booth));

    EXPO_ERR(&v, "forbidden", "chat.hide", "{\"booth_id\":%s,\"seq\":%lld}", booth, seq);
    EXPO_ERR(&other, "forbidden", "chat.hide", "{\"booth_id\":%s,\"seq\":%lld}", booth, seq);
    EXPO_ERR(&org, "not_found", "chat.hide", "{\"booth_id\":%s,\"seq\":999999}", booth);
    ASSERT_EQ(psql_long(pg.url, "SELECT count(*) FROM chat_messages WHERE hidden_at IS NOT NULL"), 0);

    expo_discard_events(&v, NULL);
    d = EXPO_OK(&org, "chat.hide", "{\"booth_id\":%s,\"seq\":%lld}", booth, seq);
    ASSERT_TRUE(cJSON_IsFalse(JGET(d, "already_hidden")));
    cJSON_Delete(d);
    cJSON *ev = expo_event(&v, "chat.hidden", it_ms(3000));
    if (!ev) FAIL("the visitor on node B got no chat.hidden");
    ASSERT_EQ(JINT(ev, "seq"), seq);
    cJSON_Delete(ev);
    d = EXPO_OK(&staff, "chat.hide", "{\"booth_id\":%s,\"seq\":%lld}", booth, seq);   /* staff of the booth: allowed */
    ASSERT_TRUE(cJSON_IsTrue(JGET(d, "already_hidden")));
    cJSON_Delete(d);

    d = EXPO_OK(&v, "chat.history", "{\"booth_id\":%s}", booth);
    const cJSON *m;
    int seen_hidden = 0, prev = 0;
    cJSON_ArrayForEach(m, JGET(d, "messages")) {
        if (prev) ASSERT_EQ(JINT(m, "seq"), prev + 1);       /* gapless */
        prev = (int)JINT(m, "seq");
        if (JINT(m, "seq") == seq) {
            seen_hidden = 1;
            ASSERT_TRUE(cJSON_IsTrue(JGET(m, "hidden")));
            ASSERT_STR_EQ(JSTR(m, "text"), "");
        } else {
            ASSERT_TRUE(strcmp(JSTR(m, "text"), "buy cheap watches") != 0);
        }
    }
    ASSERT_TRUE(seen_hidden);
    cJSON_Delete(d);
    ASSERT_EQ(psql_long(pg.url, "SELECT count(*) FROM audit_log WHERE action = 'chat.hide'"
                                " AND detail->'before'->>'text' = 'buy cheap watches'"), 1);
    free(booth);
    free(staff_email);
    free(other_email);
    expo_close(&other);
    expo_close(&staff);
    expo_close(&v);
    expo_close(&org);
}

/* ---------- hidden messages: each reader its own form ---------- */

#define SPAM "buy cheap watches"

/* The hidden message as a visitor must see it: a placeholder without text or author. */
static void check_placeholder(const cJSON *m, long long seq, const char *who)
{
    ASSERT_EQ(JINT(m, "seq"), seq);
    if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(m, "hidden"))) FAIL("%s: message %lld not marked hidden: %s", who, seq, json_text(m));
    ASSERT_STR_EQ(JSTR(m, "text"), "");
    if (!cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(m, "author"))) FAIL("%s: the placeholder names its author: %s", who, json_text(m));
    if (strstr(json_text(m), SPAM)) FAIL("%s: the hidden text reached a visitor: %s", who, json_text(m));
}

/* ... and as the booth's staff or an organizer must see it: the text, marked hidden, by whom. */
static void check_staff_form(const cJSON *m, long long seq, long long hider, const char *who)
{
    ASSERT_EQ(JINT(m, "seq"), seq);
    if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(m, "hidden"))) FAIL("%s: message %lld not marked hidden: %s", who, seq, json_text(m));
    ASSERT_STR_EQ(JSTR(m, "text"), SPAM);
    ASSERT_EQ(JINT(JGET(m, "hidden_by"), "id"), hider);
    ASSERT_TRUE(cJSON_IsString(JGET(m, "hidden_at")));
    ASSERT_TRUE(cJSON_IsObject(JGET(m, "author")));
}

/* The message with this seq in an array of messages (NULL when absent). */
static const cJSON *find_seq(const cJSON *msgs, long long seq)
{
    const cJSON *m;
    cJSON_ArrayForEach(m, msgs) if (JINT(m, "seq") == seq) return m;
    return NULL;
}

/* The history of the booth as c sees it: gapless, and the hidden seq in the given form. */
static void check_history(struct expo *c, const char *booth, long long seq, long long hider, int staff, const char *who)
{
    cJSON *d = EXPO_OK(c, "chat.history", "{\"booth_id\":%s}", booth);
    const cJSON *m, *h = find_seq(JGET(d, "messages"), seq);
    long long prev = 0;
    cJSON_ArrayForEach(m, JGET(d, "messages")) {
        if (prev) ASSERT_EQ(JINT(m, "seq"), prev + 1);      /* gapless */
        prev = JINT(m, "seq");
    }
    if (!h) FAIL("%s: the hidden message left the history (the seqs must stay gapless)", who);
    if (staff) check_staff_form(h, seq, hider, who);
    else check_placeholder(h, seq, who);
    cJSON_Delete(d);
}

static long long account_of(const char *email)
{
    char q[300];
    snprintf(q, sizeof q, "SELECT id FROM accounts WHERE email = '%s'", email);
    return psql_long(pg.url, q);
}

/* Two nodes; the first booth, the e-mail of one of its staff, the organizer's account id. */
static long long hide_fixture(char **booth, char **staff_email)
{
    up();
    *booth = psql_ok(pg.url, "SELECT min(id) FROM booths");
    *staff_email = psql_ok(pg.url, "SELECT a.email FROM booth_staff s JOIN accounts a ON a.id = s.account_id"
                                   " WHERE s.booth_id = (SELECT min(id) FROM booths) ORDER BY a.id LIMIT 1");
    return account_of("organizer@demo.expo");
}

/* Hiding on node A: live on both nodes, visitors get chat.hidden {booth_id, seq} only (their
 * page removes the message), the booth's staff and organizers also who hid it and when; history
 * and booth.enter (since_seq) on both nodes give visitors a placeholder without text or author
 * and staff and organizers the text marked hidden. */
static void test_hide_roles(void)
{
    char *booth, *staff_email;
    long long org_id = hide_fixture(&booth, &staff_email);
    struct expo org, vb, sa, sb, ob;
    demo_sign_in(&org, na.port, "organizer@demo.expo", "org@A");
    demo_sign_in(&vb, nb.port, "buyer1@demo.expo", "buyer@B");
    demo_sign_in(&sa, na.port, staff_email, "staff@A");
    demo_sign_in(&sb, nb.port, staff_email, "staff@B");
    demo_sign_in(&ob, nb.port, "organizer@demo.expo", "org@B");
    struct expo *inside[] = {&vb, &sa, &sb, &ob};
    for (int i = 0; i < 4; i++) cJSON_Delete(EXPO_OK(inside[i], "booth.enter", "{\"booth_id\":%s}", booth));
    cJSON *d = EXPO_OK(&vb, "chat.send", "{\"booth_id\":%s,\"text\":\"" SPAM "\",\"client_msg_id\":\"spam-r\"}", booth);
    long long seq = JINT(JGET(d, "message"), "seq");
    cJSON_Delete(d);
    cJSON_Delete(EXPO_OK(&vb, "chat.send", "{\"booth_id\":%s,\"text\":\"a real question\",\"client_msg_id\":\"q-r\"}", booth));
    for (int i = 0; i < 4; i++) expo_discard_events(inside[i], NULL);

    cJSON_Delete(EXPO_OK(&org, "chat.hide", "{\"booth_id\":%s,\"seq\":%lld}", booth, seq));
    /* live: the visitor learns only which message went; staff and organizers on both nodes also
     * who hid it and when */
    cJSON *ev = expo_event(&vb, "chat.hidden", it_ms(3000));
    if (!ev) FAIL("the visitor on node B got no chat.hidden");
    ASSERT_EQ(JINT(ev, "seq"), seq);
    ASSERT_TRUE(!cJSON_HasObjectItem(ev, "hidden_by") && !cJSON_HasObjectItem(ev, "hidden_at"));
    cJSON_Delete(ev);
    struct expo *priv[] = {&sa, &sb, &ob};
    for (int i = 0; i < 3; i++) {
        ev = expo_event(priv[i], "chat.hidden", it_ms(3000));
        if (!ev) FAIL("%s got no chat.hidden", priv[i]->label);
        ASSERT_EQ(JINT(ev, "seq"), seq);
        ASSERT_EQ(JINT(ev, "booth_id"), atoll(booth));
        ASSERT_EQ(JINT(JGET(ev, "hidden_by"), "id"), org_id);
        ASSERT_STR_EQ(JSTR(JGET(ev, "hidden_by"), "name"), psql_ok(pg.url, "SELECT name FROM accounts WHERE email = 'organizer@demo.expo'"));
        ASSERT_TRUE(cJSON_IsString(JGET(ev, "hidden_at")));
        cJSON_Delete(ev);
    }

    /* history, on both nodes */
    check_history(&vb, booth, seq, org_id, 0, "visitor@B");
    check_history(&sa, booth, seq, org_id, 1, "staff@A");
    check_history(&sb, booth, seq, org_id, 1, "staff@B");
    check_history(&org, booth, seq, org_id, 1, "organizer@A (not inside)");

    /* entering again with since_seq (a reconnect), on both nodes */
    for (int n = 0; n < 2; n++) {
        int port = n ? nb.port : na.port;
        struct expo v2, s2;
        demo_sign_in(&v2, port, "buyer2@demo.expo", n ? "buyer2@B" : "buyer2@A");
        demo_sign_in(&s2, port, staff_email, n ? "staff2@B" : "staff2@A");
        d = EXPO_OK(&v2, "booth.enter", "{\"booth_id\":%s,\"since_seq\":%lld}", booth, seq - 1);
        const cJSON *m = find_seq(JGET(d, "messages"), seq);
        if (!m) FAIL("booth.enter since_seq: the hidden message is missing (gap)");
        check_placeholder(m, seq, "visitor entering");
        cJSON_Delete(d);
        d = EXPO_OK(&s2, "booth.enter", "{\"booth_id\":%s,\"since_seq\":%lld}", booth, seq - 1);
        m = find_seq(JGET(d, "messages"), seq);
        if (!m) FAIL("booth.enter since_seq: the hidden message is missing for staff");
        check_staff_form(m, seq, org_id, "staff entering");
        cJSON_Delete(d);
        expo_close(&s2);
        expo_close(&v2);
    }
    free(booth);
    free(staff_email);
    for (int i = 0; i < 4; i++) expo_close(inside[i]);
    expo_close(&org);
}

/* A counter of node n's /metrics, parsed with the exposition parser (-1 when absent). */
static double metric(const struct boothd *n, const char *name, const char *labels)
{
    struct http_resp r;
    if (http_get(n->port, "/metrics", it_ms(3000), &r) != 200) FAIL("GET /metrics: %d", r.status);
    char err[200];
    struct prom *p = prom_parse(r.body, err, sizeof err);
    if (!p) FAIL("/metrics does not parse: %s", err);
    int found = 0;
    double v = prom_value(p, name, labels, &found);
    if (!found) v = -1;
    prom_free(p);
    http_resp_free(&r);
    return v;
}

/* Catching up across a message hidden while one was catching up, on the node that did not
 * hide it: a visitor and a staff member re-enter on node B with since_seq while a message is
 * sent on node A and hidden right away. Node B's room already holds the message in its ring
 * (a member sits there) when the hide arrives, while the two are ENTERING: their enter reads
 * were taken before the message. Whatever serves them next (node B's memory, the table, or the
 * enter read done again), the visitor must get the placeholder, never the text, and the staff
 * member the text marked hidden. The window is made wide, without hooks, by a booth whose
 * presence count is slow to read (many rows of a parked node): booth.enter reads that count in
 * the same statement as its messages. Node B's metrics tell that the path was taken. */
static void test_hide_catch_up(void)
{
    char *booth, *staff_email;
    long long org_id = hide_fixture(&booth, &staff_email);
    struct expo org, sender, watcher, v, st;
    demo_sign_in(&org, na.port, "organizer@demo.expo", "org@A");
    demo_sign_in(&sender, na.port, "buyer1@demo.expo", "sender@A");
    demo_sign_in(&watcher, nb.port, "buyer3@demo.expo", "watcher@B");      /* keeps node B's room and ring */
    demo_sign_in(&v, nb.port, "buyer2@demo.expo", "visitor@B");
    demo_sign_in(&st, nb.port, staff_email, "staff@B");
    cJSON_Delete(EXPO_OK(&sender, "booth.enter", "{\"booth_id\":%s}", booth));
    cJSON_Delete(EXPO_OK(&watcher, "booth.enter", "{\"booth_id\":%s}", booth));
    free(psql_ok(pg.url, "INSERT INTO nodes (node_id, heartbeat_at) VALUES ('parked', now() + interval '1 day');"
                         "SET session_replication_role = replica;"    /* rows known to be valid: skip the FK checks */
                         "INSERT INTO presence (node_id, session_id, booth_id, account_id, role)"
                         " SELECT 'parked', 'p' || i, (SELECT min(id) FROM booths),"
                         " (ARRAY(SELECT id FROM accounts ORDER BY id LIMIT 5))[1 + i % 5], 'visitor'"
                         " FROM generate_series(1, 150000) i;"
                         "SELECT 1"));
    double reread0 = metric(&nb, "boothd_chat_hidden_rereads_total", "");
    double ring0 = metric(&nb, "boothd_chat_catchup_messages_total", "from=\"ring\"");
    double table0 = metric(&nb, "boothd_chat_catchup_messages_total", "from=\"table\"");

    int hit = 0, rounds = 0;
    cJSON *d = EXPO_OK(&sender, "chat.send", "{\"booth_id\":%s,\"text\":\"before\",\"client_msg_id\":\"before\"}", booth);
    long long since = JINT(JGET(d, "message"), "seq");
    cJSON_Delete(d);
    for (; rounds < 10 && hit < 2; rounds++) {
        expo_pump(&watcher, 200);
        expo_discard_events(&watcher, NULL);
        expo_discard_events(&v, NULL);
        expo_discard_events(&st, NULL);
        /* both (re)enter on node B as a page does after a reconnect */
        if (rounds) {
            cJSON_Delete(EXPO_OK(&v, "booth.leave", "{\"booth_id\":%s}", booth));
            cJSON_Delete(EXPO_OK(&st, "booth.leave", "{\"booth_id\":%s}", booth));
        }
        long ev_id = expo_send(&v, "booth.enter", "{\"booth_id\":%s,\"since_seq\":%lld}", booth, since);
        long es_id = expo_send(&st, "booth.enter", "{\"booth_id\":%s,\"since_seq\":%lld}", booth, since);
        it_sleep_ms(15);                   /* their enter reads have begun */
        char cmid[32];
        snprintf(cmid, sizeof cmid, "spam-%d", rounds);
        d = EXPO_OK(&sender, "chat.send", "{\"booth_id\":%s,\"text\":\"" SPAM "\",\"client_msg_id\":\"%s\"}", booth, cmid);
        long long seq = JINT(JGET(d, "message"), "seq");
        cJSON_Delete(d);
        since = seq;
        cJSON *ev;
        do {                               /* node B's ring has it now */
            ev = expo_event(&watcher, "chat.message", it_ms(3000));
            if (!ev) FAIL("the watcher on node B did not get message %lld", seq);
        } while (JINT(JGET(ev, "message"), "seq") != seq && (cJSON_Delete(ev), 1));
        cJSON_Delete(ev);
        cJSON_Delete(EXPO_OK(&org, "chat.hide", "{\"booth_id\":%s,\"seq\":%lld}", booth, seq));
        ev = expo_event(&watcher, "chat.hidden", it_ms(3000));           /* and node B knows it is hidden */
        if (!ev) FAIL("the watcher on node B got no chat.hidden for %lld", seq);
        cJSON_Delete(ev);

        /* For each of the two: the message comes once, in the reply or after it. Sent after the
         * chat.hidden it got (it was ENTERING when node B learned of the hide), it must be in
         * the form its role may see: that is the catch-up this test is about. Sent before, it
         * is live delivery that predates the hide (the chat.hidden follows). */
        struct expo *who[] = {&v, &st};
        long ids[] = {ev_id, es_id};
        int caught[2] = {0, 0};
        for (int k = 0; k < 2; k++) {
            const char *name = k ? "staff catching up" : "visitor catching up";
            cJSON *rep = expo_reply(who[k], ids[k], it_ms(10000));
            if (!rep || !cJSON_IsTrue(JGET(rep, "ok"))) FAIL("%s: booth.enter failed: %s", name, rep ? json_text(rep) : "-");
            const cJSON *m = find_seq(JGET(JGET(rep, "data"), "messages"), seq);
            if (m && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(m, "hidden"))) {
                caught[k] = 1;             /* its enter read saw the hide (read again after it) */
                if (k) check_staff_form(m, seq, org_id, name);
                else check_placeholder(m, seq, name);
            }
            int got_msg = m != NULL, got_hidden = 0;
            while (!got_msg || !got_hidden) {
                ev = expo_event(who[k], NULL, it_ms(3000));
                if (!ev) FAIL("%s: %s of %lld never came", name, got_msg ? "chat.hidden" : "the message", seq);
                const cJSON *em = cJSON_GetObjectItemCaseSensitive(ev, "message");
                if (em && JINT(em, "seq") == seq && !got_msg) {
                    got_msg = 1;
                    if (got_hidden) {
                        caught[k] = 1;
                        if (k) check_staff_form(em, seq, org_id, name);
                        else check_placeholder(em, seq, name);
                    }
                } else if (!em && cJSON_HasObjectItem(ev, "seq") && JINT(ev, "seq") == seq) {
                    got_hidden = 1;
                }
                cJSON_Delete(ev);
            }
            it_log("round %d, %s: message %lld, enter read up to %lld%s", rounds, name, seq,
                   (long long)JINT(JGET(rep, "data"), "last_seq"), caught[k] ? ", in its hidden form" : ", live before the hide");
            cJSON_Delete(rep);
        }
        if (caught[0] && caught[1]) hit++;
    }
    double reread1 = metric(&nb, "boothd_chat_hidden_rereads_total", "");
    double ring1 = metric(&nb, "boothd_chat_catchup_messages_total", "from=\"ring\"");
    double table1 = metric(&nb, "boothd_chat_catchup_messages_total", "from=\"table\"");
    it_log("%d of %d rounds served the hidden form after the hide; node B read again %.0f times, served %.0f"
           " catch-up messages from its ring, %.0f from the table", hit, rounds, reread1 - reread0, ring1 - ring0,
           table1 - table0);
    if (!hit) FAIL("no round caught the hide while entering: the test did not reach the path it is for");
    /* the hide reached node B while a read was out (the path this test is for) */
    if (reread0 >= 0) ASSERT_GE(reread1 - reread0, 1);
    free(booth);
    free(staff_email);
    expo_close(&st);
    expo_close(&v);
    expo_close(&watcher);
    expo_close(&sender);
    expo_close(&org);
}

static const struct it_test tests[] = {
    {"hide", test_hide, 60},
    {"hide_roles", test_hide_roles, 90},
    {"hide_catch_up", test_hide_catch_up, 120},
    {"import", test_import, 90},
    {"announcements", test_announcements, 90},
    {"ban", test_ban, 90},
    {"live_summed", test_live_summed, 90},
    {"rollup", test_rollup, 120},
    {NULL, NULL, 0},
};

int main(int argc, char **argv) { return it_main(argc, argv, tests); }
