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

    /* Both nodes send the same figures (compare the freshest of each once nothing moves). */
    it_sleep_ms(it_ms(2500));
    expo_discard_events(&oa, "stats.live");
    expo_discard_events(&ob, "stats.live");
    cJSON *la = expo_event(&oa, "stats.live", it_ms(3000)), *lb = expo_event(&ob, "stats.live", it_ms(3000));
    ASSERT_TRUE(la && lb);
    char *ta = without_at(la), *tb = without_at(lb);
    /* chat_per_min may drop by the message at different ticks; compare the rest */
    if (JINT(la, "chat_per_min") == JINT(lb, "chat_per_min") && strcmp(ta, tb))
        FAIL("the nodes disagree:\nA: %s\nB: %s", ta, tb);
    ASSERT_EQ(JINT(la, "sessions"), JINT(lb, "sessions"));
    ASSERT_EQ(JINT(la, "visitors_in_booths"), JINT(lb, "visitors_in_booths"));
    free(ta);
    free(tb);
    cJSON_Delete(la);
    cJSON_Delete(lb);

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

static const struct it_test tests[] = {
    {"live_summed", test_live_summed, 90},
    {"rollup", test_rollup, 120},
    {NULL, NULL, 0},
};

int main(int argc, char **argv) { return it_main(argc, argv, tests); }
