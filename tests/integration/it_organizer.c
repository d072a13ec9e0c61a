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

#include "expo.h"
#include "harness.h"

#define DEMO_PW "demo1234"

static struct pg_cluster pg;
static struct boothd na, nb;

static void up(void)
{
    pg_start(&pg);
    struct boothd_opts o = {.db_url = pg.url, .node_id = "node-a", .demo = 1};
    boothd_start(&na, &o, 40000);
    o.node_id = "node-b";
    boothd_start(&nb, &o, 40000);
}

static void login(struct expo *c, int port, const char *label, const char *email)
{
    expo_connect(c, port, label);
    cJSON_Delete(EXPO_OK(c, "auth.login", "{\"email\":%s,\"password\":\"" DEMO_PW "\"}", json_quote(email)));
}

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
    login(&oa, na.port, "org@A", "organizer@demo.expo");
    login(&ob, nb.port, "org@B", "organizer@demo.expo");
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
    login(&v, nb.port, "buyer@B", "buyer1@demo.expo");
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
    login(&staff, na.port, "staff@A", staff_email);
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
    login(&o, na.port, "org@A", "organizer@demo.expo");
    struct expo v;
    login(&v, nb.port, "buyer@B", "buyer1@demo.expo");
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
    login(&org, na.port, "org@A", "organizer@demo.expo");
    expo_connect(&anon_b, nb.port, "anon@B");
    login(&vis_a, na.port, "buyer@A", "buyer1@demo.expo");
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
static void test_ban(void)
{
    up();
    struct expo org, va, vb, again;
    login(&org, na.port, "org@A", "organizer@demo.expo");
    expo_connect(&va, na.port, "buyer3@A");
    cJSON *d = EXPO_OK(&va, "auth.login", "{\"email\":\"buyer3@demo.expo\",\"password\":\"" DEMO_PW "\"}");
    char token[200];
    snprintf(token, sizeof token, "%s", JSTR(d, "token"));
    long long account = JINT(JGET(d, "user"), "id");
    cJSON_Delete(d);
    login(&vb, nb.port, "buyer3@B", "buyer3@demo.expo");

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

    expo_connect(&again, nb.port, "again@B");
    EXPO_ERR(&again, "unauthorized", "auth.resume", "{\"token\":%s}", json_quote(token));
    cJSON *r = expo_call(&again, "auth.login", "{\"email\":\"buyer3@demo.expo\",\"password\":\"" DEMO_PW "\"}");
    ASSERT_TRUE(r != NULL);
    ASSERT_TRUE(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(r, "ok")));
    cJSON_Delete(r);
    d = EXPO_OK(&org, "ban.list", NULL);
    ASSERT_EQ(cJSON_GetArraySize(JGET(d, "bans")), 1);
    ASSERT_STR_EQ(JSTR(cJSON_GetArrayItem(JGET(d, "bans"), 0), "reason"), "spam in booth chats");
    cJSON_Delete(d);

    cJSON_Delete(EXPO_OK(&org, "account.unban", "{\"account_id\":%lld}", account));
    EXPO_ERR(&org, "not_found", "account.unban", "{\"account_id\":%lld}", account);
    expo_close(&again);
    login(&again, nb.port, "again2@B", "buyer3@demo.expo");
    ASSERT_EQ(psql_long(pg.url, "SELECT count(*) FROM audit_log WHERE action IN ('account.ban', 'account.unban')"), 2);

    /* a timed ban ends by itself */
    cJSON_Delete(EXPO_OK(&org, "account.ban", "{\"account_id\":%lld,\"reason\":\"cool down\",\"until\":\"2099-01-01T00:00:00Z\"}", account));
    ASSERT_EQ(ws_wait_closed(&again.ws, it_ms(3000), NULL), 1008);
    expo_drop(&again);
    free(psql_ok(pg.url, "UPDATE bans SET created_at = now() - interval '2 hours', expires_at = now() - interval '1 hour'"));
    login(&again, na.port, "after@A", "buyer3@demo.expo");
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
    login(&org, na.port, "org@A", "organizer@demo.expo");
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
    login(&org, na.port, "org@A", "organizer@demo.expo");
    login(&v, nb.port, "buyer@B", "buyer1@demo.expo");
    login(&staff, na.port, "staff@A", staff_email);
    login(&other, nb.port, "other@B", other_email);
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

static const struct it_test tests[] = {
    {"hide", test_hide, 60},
    {"import", test_import, 90},
    {"announcements", test_announcements, 90},
    {"ban", test_ban, 90},
    {"live_summed", test_live_summed, 90},
    {"rollup", test_rollup, 120},
    {NULL, NULL, 0},
};

int main(int argc, char **argv) { return it_main(argc, argv, tests); }
