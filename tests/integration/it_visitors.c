/* it_visitors.c — integration tests of the visitors issue: accounts, the hall, booths,
 * presence and live booth chat across two boothd nodes on one database, with PostgreSQL
 * restarts and node crashes in the middle.
 *
 * Each test runs in its own process with its own cluster and the demo expo (see harness.h):
 *   it_visitors <test> <path/to/boothd>
 * The protocol is the one of the issue (names and fields fixed there); shapes the issue leaves
 * open (a category as a string or an object, staff_online as a flag or a count, an id as a
 * number or a string) are accepted in either form.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "expo.h"
#include "harness.h"
#include "wsclient.h"

#define PW "correct horse 42"
#define DEMO_PW "demo1234"

static struct pg_cluster pg;
static struct boothd na, nb;

static void up(int nodes)
{
    pg_start(&pg);
    struct boothd_opts o = {.db_url = pg.url, .node_id = "node-a", .demo = 1};
    boothd_start(&na, &o, 40000);
    if (nodes > 1) {
        o.node_id = "node-b";
        boothd_start(&nb, &o, 40000);
    }
}

/* ---- accounts ---------------------------------------------------------------------------- */

struct user {
    char email[128];
    char token[512];
    char id[64];        /* JSON text of user.id */
    char name[128];
    char role[32];
};

static void fill_user(struct user *u, const cJSON *user)
{
    snprintf(u->id, sizeof u->id, "%s", json_text(JGET(user, "id")));
    snprintf(u->name, sizeof u->name, "%s", JSTR(user, "name"));
    snprintf(u->role, sizeof u->role, "%s", JSTR(user, "role"));
}

static void do_register(struct expo *c, struct user *u, const char *name, const char *email)
{
    memset(u, 0, sizeof *u);
    cJSON *d = EXPO_OK(c, "auth.register",
                       "{\"email\":%s,\"password\":%s,\"name\":%s,\"company\":\"IT Buyers Ltd\","
                       "\"country\":\"KR\",\"lang\":\"en\"}",
                       json_quote(email), json_quote(PW), json_quote(name));
    snprintf(u->email, sizeof u->email, "%s", email);
    const char *tok = JSTR(d, "token");
    ASSERT_GT(strlen(tok), 15);
    snprintf(u->token, sizeof u->token, "%s", tok);
    fill_user(u, JGET(d, "user"));
    ASSERT_STR_EQ(u->role, "visitor");
    ASSERT_STR_EQ(u->name, name);
    cJSON_Delete(d);
}

static void do_login(struct expo *c, struct user *u, const char *email, const char *pw)
{
    memset(u, 0, sizeof *u);
    cJSON *d = EXPO_OK(c, "auth.login", "{\"email\":%s,\"password\":%s}", json_quote(email), json_quote(pw));
    snprintf(u->email, sizeof u->email, "%s", email);
    snprintf(u->token, sizeof u->token, "%s", JSTR(d, "token"));
    fill_user(u, JGET(d, "user"));
    cJSON_Delete(d);
}

static void do_resume(struct expo *c, const struct user *u)
{
    cJSON *d = EXPO_OK(c, "auth.resume", "{\"token\":%s}", json_quote(u->token));
    const cJSON *user = JGET(d, "user");
    ASSERT_STR_EQ(json_text(JGET(user, "id")), u->id);
    cJSON_Delete(d);
}

/* A connection on `port` signed in as a newly registered visitor. */
static void visitor(struct expo *c, struct user *u, int port, const char *name)
{
    char email[128];
    snprintf(email, sizeof email, "%s@it.example", name);
    expo_connect(c, port, name);
    do_register(c, u, name, email);
}

/* ---- booths ------------------------------------------------------------------------------ */

struct booth {
    char id[64];            /* JSON text of the id, usable in requests as is */
    char slug[96];
    char name_en[256];
    char name_ko[256];
    char category[256];     /* JSON text usable as the hall.list category filter */
};

static void booth_from(struct booth *b, const cJSON *j)
{
    memset(b, 0, sizeof *b);
    snprintf(b->id, sizeof b->id, "%s", json_text(JGET(j, "id")));
    snprintf(b->slug, sizeof b->slug, "%s", JSTR(j, "slug"));
    const cJSON *name = JGET(j, "name");
    snprintf(b->name_en, sizeof b->name_en, "%s", JSTR(name, "en"));
    snprintf(b->name_ko, sizeof b->name_ko, "%s", JSTR(name, "ko"));
    const cJSON *cat = JGET(j, "category");
    const cJSON *key = cat;
    if (cJSON_IsObject(cat)) {
        key = cJSON_GetObjectItemCaseSensitive(cat, "slug");
        if (!key) key = JGET(cat, "id");
    }
    snprintf(b->category, sizeof b->category, "%s", json_text(key));
}

/* The index-th booth of the hall (in hall order). */
static void hall_booth(struct expo *c, int index, struct booth *b)
{
    cJSON *d = EXPO_OK(c, "hall.list", "{\"offset\":%d,\"limit\":1}", index);
    const cJSON *booths = JGET(d, "booths");
    if (cJSON_GetArraySize(booths) != 1) FAIL("hall.list offset %d limit 1: %s", index, json_text(d));
    booth_from(b, cJSON_GetArrayItem(booths, 0));
    cJSON_Delete(d);
}

/* The hall.list summary of booth b (searching pages of 100). NULL if not listed. */
static cJSON *hall_entry(struct expo *c, const struct booth *b)
{
    for (int off = 0;; off += 100) {
        cJSON *d = EXPO_OK(c, "hall.list", "{\"offset\":%d,\"limit\":100}", off);
        const cJSON *booths = JGET(d, "booths");
        int n = cJSON_GetArraySize(booths);
        for (int i = 0; i < n; i++) {
            cJSON *e = cJSON_GetArrayItem(booths, i);
            if (strcmp(json_text(JGET(e, "id")), b->id) == 0) {
                cJSON *copy = cJSON_Duplicate(e, 1);
                cJSON_Delete(d);
                return copy;
            }
        }
        long long total = JINT(d, "total");
        cJSON_Delete(d);
        if (n == 0 || off + 100 >= total) return NULL;
    }
}

/* hall.list shows these counts for booth b (staff -1: not checked). Presence is written by
 * the nodes asynchronously, so this polls for up to 3 s before failing. */
static void check_hall_counts(struct expo *c, const struct booth *b, int visitors, int staff)
{
    double deadline = it_now() + it_ms(3000) / 1000.0;
    for (;;) {
        cJSON *e = hall_entry(c, b);
        if (!e) FAIL("booth %s is not in hall.list", b->id);
        long long v = JINT(e, "visitors_now");
        int st = json_truthy(JGET(e, "staff_online"));
        if (v == visitors && (staff < 0 || st == staff)) {
            cJSON_Delete(e);
            return;
        }
        if (it_now() > deadline)
            FAIL("%s: hall.list shows visitors_now %lld, staff_online %s; expected %d%s: %s", c->label, v,
                 json_text(JGET(e, "staff_online")), visitors,
                 staff < 0 ? "" : staff ? " with staff online" : " with no staff", json_text(e));
        cJSON_Delete(e);
        it_sleep_ms(100);
    }
}

/* Polls a count query until it returns want (presence rows are written asynchronously). */
static void wait_sql_count(const char *sql, long want)
{
    double deadline = it_now() + it_ms(3000) / 1000.0;
    for (;;) {
        long v = psql_long(pg.url, sql);
        if (v == want) return;
        if (it_now() > deadline) FAIL("%s returned %ld, expected %ld", sql, v, want);
        it_sleep_ms(100);
    }
}

static int same_id(const cJSON *v, const char *id_text) { return strcmp(json_text(v), id_text) == 0; }

/* An id's JSON text as an SQL literal: numbers as they are, strings without their quotes
 * (ids are bigint in the schema; a server may still send them as strings). */
static const char *sql_id(const char *json_id)
{
    static char buf[4][64];
    static int i;
    i = (i + 1) % 4;
    size_t n = strlen(json_id);
    if (n >= 2 && json_id[0] == '"') snprintf(buf[i], sizeof buf[i], "%.*s", (int)(n - 2), json_id + 1);
    else snprintf(buf[i], sizeof buf[i], "%s", json_id);
    return buf[i];
}

/* booth.enter; returns the reply data. */
static cJSON *enter(struct expo *c, const struct booth *b)
{
    cJSON *d = EXPO_OK(c, "booth.enter", "{\"booth_id\":%s}", b->id);
    JINT(d, "visitors_now");
    JINT(d, "last_seq");
    if (!cJSON_IsArray(JGET(d, "messages"))) FAIL("booth.enter messages is not an array: %s", json_text(d));
    return d;
}

static long long enter_last_seq(struct expo *c, const struct booth *b)
{
    cJSON *d = enter(c, b);
    long long s = JINT(d, "last_seq");
    cJSON_Delete(d);
    return s;
}

/* Waits for presence.changed of booth b with these counts (staff -1: any), skipping others. */
static void wait_presence_at(const char *file, int line, struct expo *c, const struct booth *b, int visitors,
                             int staff, int timeout_ms)
{
    double deadline = it_now() + timeout_ms / 1000.0;
    char last[512] = "none";
    for (;;) {
        int left = (int)((deadline - it_now()) * 1000);
        cJSON *ev = expo_event(c, "presence.changed", left > 0 ? left : 0);
        if (!ev)
            it_fail(file, line, "%s: no presence.changed {booth %s, visitors_now %d%s} within %d ms (last seen: %s)",
                    c->label, b->id, visitors, staff < 0 ? "" : staff ? ", staff online" : ", no staff",
                    timeout_ms, last);
        snprintf(last, sizeof last, "%s", json_text(ev));
        int match = same_id(JGET(ev, "booth_id"), b->id) && JINT(ev, "visitors_now") == visitors &&
                    (staff < 0 || json_truthy(JGET(ev, "staff_online")) == staff);
        cJSON_Delete(ev);
        if (match) return;
    }
}
#define WAIT_PRESENCE(c, b, v, s, ms) wait_presence_at(__FILE__, __LINE__, (c), (b), (v), (s), (ms))

/* ---- chat -------------------------------------------------------------------------------- */

/* Checks the shape of a message; returns its seq. */
static long long check_message_at(const char *file, int line, const cJSON *m, const struct booth *b,
                                  const struct user *author, const char *text)
{
    if (!same_id(json_get_at(file, line, m, "booth_id"), b->id))
        it_fail(file, line, "message of booth %s, expected %s: %s", json_text(JGET(m, "booth_id")), b->id, json_text(m));
    long long seq = json_int_at(file, line, m, "seq");
    if (seq < 1) it_fail(file, line, "message seq %lld < 1", seq);
    json_get_at(file, line, m, "id");
    const cJSON *a = json_get_at(file, line, m, "author");
    json_get_at(file, line, a, "id");
    json_str_at(file, line, a, "name");
    json_str_at(file, line, a, "role");
    if (author) {
        if (!same_id(JGET(a, "id"), author->id))
            it_fail(file, line, "author id %s, expected %s", json_text(JGET(a, "id")), author->id);
        if (strcmp(JSTR(a, "name"), author->name) != 0)
            it_fail(file, line, "author name \"%s\", expected \"%s\"", JSTR(a, "name"), author->name);
    }
    const char *t = json_str_at(file, line, m, "text");
    if (text && strcmp(t, text) != 0) it_fail(file, line, "message text \"%s\", expected \"%s\"", t, text);
    long long when;
    const char *sent = json_str_at(file, line, m, "sent_at");
    if (it_parse_rfc3339(sent, &when) != 0) it_fail(file, line, "sent_at \"%s\" is not RFC 3339", sent);
    long long skew = when - (long long)time(NULL);
    if (skew > 60 || skew < -600) it_fail(file, line, "sent_at %s is not recent", sent);
    return seq;
}
#define CHECK_MESSAGE(m, b, author, text) check_message_at(__FILE__, __LINE__, (m), (b), (author), (text))

/* chat.send that must succeed; returns the message (free it). */
static cJSON *send_ok_at(const char *file, int line, struct expo *c, const struct booth *b, const char *text,
                         const char *cmid)
{
    cJSON *d = expo_ok_at(file, line, c, "chat.send", "{\"booth_id\":%s,\"text\":%s,\"client_msg_id\":%s}", b->id,
                          json_quote(text), json_quote(cmid));
    cJSON *m = cJSON_DetachItemFromObjectCaseSensitive(d, "message");
    if (!cJSON_IsObject(m)) it_fail(file, line, "chat.send reply without message: %s", json_text(d));
    cJSON_Delete(d);
    return m;
}
#define SEND_OK(c, b, text, cmid) send_ok_at(__FILE__, __LINE__, (c), (b), (text), (cmid))

/* Collects the next n chat.message events of booth b; stores seqs (and message ids as JSON
 * text if ids != NULL). Fails on an event of another booth. */
static void collect_chat_at(const char *file, int line, struct expo *c, const struct booth *b, int n,
                            long long *seqs, char (*ids)[64], int timeout_ms)
{
    double deadline = it_now() + timeout_ms / 1000.0;
    for (int i = 0; i < n; i++) {
        int left = (int)((deadline - it_now()) * 1000);
        cJSON *ev = expo_event(c, "chat.message", left > 0 ? left : 0);
        if (!ev)
            it_fail(file, line, "%s: only %d of %d chat.message events arrived within %d ms (connection %s)",
                    c->label, i, n, timeout_ms, c->closed ? "closed" : "open");
        const cJSON *m = json_get_at(file, line, ev, "message");
        if (!same_id(JGET(m, "booth_id"), b->id))
            it_fail(file, line, "%s: chat.message of another booth: %s", c->label, json_text(ev));
        seqs[i] = check_message_at(file, line, m, b, NULL, NULL);
        if (ids) snprintf(ids[i], 64, "%s", json_text(JGET(m, "id")));
        cJSON_Delete(ev);
    }
}
#define COLLECT_CHAT(c, b, n, seqs, ids, ms) collect_chat_at(__FILE__, __LINE__, (c), (b), (n), (seqs), (ids), (ms))

/* Pace for chat.send: the server allows a burst of ~10 then ~2/s per session. */
#define CHAT_GAP_MS 600

/* ==== tests ================================================================================ */

static void test_auth(void)
{
    up(1);
    struct expo c;
    expo_connect(&c, na.port, "reg");
    struct user alice;
    do_register(&c, &alice, "Alice Kim", "alice@it.example");

    /* The same email again: conflict. Bad input: bad_request. */
    EXPO_ERR(&c, "conflict", "auth.register", "{\"email\":\"alice@it.example\",\"password\":%s,\"name\":\"Other\"}",
             json_quote(PW));
    EXPO_ERR(&c, "bad_request", "auth.register", "{\"email\":\"short@it.example\",\"password\":\"1234567\",\"name\":\"S\"}");
    EXPO_ERR(&c, "bad_request", "auth.register", "{\"password\":%s,\"name\":\"No Mail\"}", json_quote(PW));
    EXPO_ERR(&c, "bad_request", "auth.register", "{\"email\":\"noname@it.example\",\"password\":%s}", json_quote(PW));
    /* auth.login/register are rate limited per session (a small burst): use a new connection
     * for each group of five. */
    expo_close(&c);
    expo_connect(&c, na.port, "reg2");
    EXPO_ERR(&c, "bad_request", "auth.register", "{\"email\":42,\"password\":%s,\"name\":\"N\"}", json_quote(PW));
    EXPO_ERR(&c, "bad_request", "auth.register",
             "{\"email\":\"lang@it.example\",\"password\":%s,\"name\":\"L\",\"lang\":\"fr\"}", json_quote(PW));

    /* lang is kept. */
    cJSON *d = EXPO_OK(&c, "auth.register",
                       "{\"email\":\"minji@it.example\",\"password\":%s,\"name\":\"민지\",\"lang\":\"ko\"}",
                       json_quote(PW));
    ASSERT_STR_EQ(JSTR(JGET(d, "user"), "lang"), "ko");
    ASSERT_STR_EQ(JSTR(JGET(d, "user"), "name"), "민지");
    cJSON_Delete(d);
    expo_close(&c);

    /* Login: same user, a working token. */
    struct expo l;
    expo_connect(&l, na.port, "login");
    struct user a2;
    do_login(&l, &a2, "alice@it.example", PW);
    ASSERT_STR_EQ(a2.id, alice.id);
    ASSERT_STR_EQ(a2.role, "visitor");

    /* Wrong password and unknown email: unauthorized, indistinguishable. */
    cJSON *r1 = expo_call(&l, "auth.login", "{\"email\":\"alice@it.example\",\"password\":\"wrong password\"}");
    cJSON *r2 = expo_call(&l, "auth.login", "{\"email\":\"nobody@it.example\",\"password\":\"wrong password\"}");
    ASSERT_NOT_NULL(r1);
    ASSERT_NOT_NULL(r2);
    EXPO_CHECK_ERROR(r1, "unauthorized");
    EXPO_CHECK_ERROR(r2, "unauthorized");
    ASSERT_STR_EQ(JSTR(JGET(r1, "error"), "message"), JSTR(JGET(r2, "error"), "message"));
    cJSON_Delete(r1);
    cJSON_Delete(r2);

    /* Demo accounts and their roles. */
    struct booth b;
    hall_booth(&l, 0, &b);
    char staff_email[160];
    snprintf(staff_email, sizeof staff_email, "staff@%s.demo.expo", b.slug);
    struct user org, staff, buyer;
    do_login(&l, &org, "organizer@demo.expo", DEMO_PW);
    ASSERT_STR_EQ(org.role, "organizer");
    do_login(&l, &staff, staff_email, DEMO_PW);
    ASSERT_STR_EQ(staff.role, "exhibitor");
    expo_close(&l);
    expo_connect(&l, na.port, "login2");
    do_login(&l, &buyer, "buyer1@demo.expo", DEMO_PW);
    ASSERT_STR_EQ(buyer.role, "visitor");
    expo_close(&l);

    /* Resume on other connections; a bad token is unauthorized. */
    struct expo s1, s2, s3, other;
    expo_connect(&s1, na.port, "s1");
    expo_connect(&s2, na.port, "s2");
    expo_connect(&s3, na.port, "s3");
    do_resume(&s1, &alice);
    do_resume(&s2, &alice);
    EXPO_ERR(&s3, "unauthorized", "auth.resume", "{\"token\":\"not-a-token\"}");
    EXPO_ERR(&s3, "unauthorized", "auth.resume", "{\"token\":%s}", json_quote("x"));
    struct user alice3;
    do_login(&s3, &alice3, "alice@it.example", PW);  /* a different token of the same user */
    ASSERT_STR_NE(alice3.token, alice.token);
    expo_connect(&other, na.port, "other");
    do_resume(&other, &a2);

    /* Logout on s1 revokes alice.token and closes s2 (same token); s3 and other stay. */
    cJSON *lo = EXPO_OK(&s1, "auth.logout", "{}");
    cJSON_Delete(lo);
    int code = ws_wait_closed(&s2.ws, it_ms(5000), NULL);
    if (code == WS_E_TIMEOUT) FAIL("the other session holding the revoked token was not closed within 5 s");
    it_log("session s2 closed with %d after logout", code);
    expo_drop(&s2);
    /* s1 is signed out: requests that need a user are refused. */
    EXPO_ERR(&s1, "unauthorized", "booth.enter", "{\"booth_id\":%s}", b.id);
    cJSON_Delete(EXPO_OK(&s1, "sys.ping", NULL));
    /* The revoked token no longer resumes, on a new connection either. */
    struct expo s4;
    expo_connect(&s4, na.port, "s4");
    EXPO_ERR(&s4, "unauthorized", "auth.resume", "{\"token\":%s}", json_quote(alice.token));
    /* Sessions with other tokens still work. */
    cJSON_Delete(enter(&s3, &b));
    cJSON_Delete(enter(&other, &b));
    expo_close(&s1);
    expo_close(&s3);
    expo_close(&s4);
    expo_close(&other);
}

static void test_unauthenticated(void)
{
    up(1);
    struct expo c;
    expo_connect(&c, na.port, "anon");
    cJSON_Delete(EXPO_OK(&c, "sys.ping", NULL));
    struct booth b;
    hall_booth(&c, 0, &b);
    cJSON *d = EXPO_OK(&c, "booth.get", "{\"booth_id\":%s}", b.id);
    cJSON_Delete(d);
    EXPO_ERR(&c, "unauthorized", "booth.enter", "{\"booth_id\":%s}", b.id);
    EXPO_ERR(&c, "unauthorized", "booth.leave", "{\"booth_id\":%s}", b.id);
    EXPO_ERR(&c, "unauthorized", "chat.send", "{\"booth_id\":%s,\"text\":\"hi\",\"client_msg_id\":\"a1\"}", b.id);
    EXPO_ERR(&c, "unauthorized", "chat.history", "{\"booth_id\":%s}", b.id);
    /* Still open, and nobody is present anywhere. */
    ASSERT_EQ(c.closed, 0);
    ASSERT_EQ(psql_long(pg.url, "SELECT count(*) FROM presence"), 0);
    /* After signing in the same connection may enter. */
    struct user u;
    do_register(&c, &u, "Late Comer", "late@it.example");
    cJSON_Delete(enter(&c, &b));
    expo_close(&c);
}

static void test_hall(void)
{
    up(1);
    struct expo c;
    expo_connect(&c, na.port, "hall");

    cJSON *d = EXPO_OK(&c, "hall.list", "{\"limit\":100}");
    long long total = JINT(d, "total");
    ASSERT_GE(total, 40);
    const cJSON *booths = JGET(d, "booths");
    int n = cJSON_GetArraySize(booths);
    ASSERT_EQ(n, total < 100 ? total : 100);
    const cJSON *cats = JGET(d, "categories");
    ASSERT_TRUE(cJSON_IsArray(cats));
    ASSERT_GE(cJSON_GetArraySize(cats), 8);
    for (int i = 0; i < n; i++) {
        const cJSON *e = cJSON_GetArrayItem(booths, i);
        JGET(e, "id");
        JSTR(e, "slug");
        ASSERT_GT(strlen(JSTR(JGET(e, "name"), "en")), 0);
        ASSERT_GT(strlen(JSTR(JGET(e, "name"), "ko")), 0);
        JGET(e, "category");
        JGET(JGET(e, "tagline"), "en");
        JGET(JGET(e, "tagline"), "ko");
        JGET(e, "logo_url");
        ASSERT_EQ(JINT(e, "visitors_now"), 0);
        ASSERT_EQ(json_truthy(JGET(e, "staff_online")), 0);
    }
    cJSON_Delete(d);

    /* Paging: disjoint pages that cover the hall. */
    char seen[512][64];
    int n_seen = 0;
    for (int off = 0; off < total; off += 7) {
        d = EXPO_OK(&c, "hall.list", "{\"offset\":%d,\"limit\":7}", off);
        ASSERT_EQ(JINT(d, "total"), total);
        const cJSON *page = JGET(d, "booths");
        int pn = cJSON_GetArraySize(page);
        ASSERT_EQ(pn, total - off < 7 ? total - off : 7);
        for (int i = 0; i < pn && n_seen < 512; i++) {
            const char *id = json_text(JGET(cJSON_GetArrayItem(page, i), "id"));
            for (int k = 0; k < n_seen; k++)
                if (strcmp(seen[k], id) == 0) FAIL("booth %s listed twice across pages (offset %d)", id, off);
            snprintf(seen[n_seen++], 64, "%s", id);
        }
        cJSON_Delete(d);
    }
    ASSERT_EQ(n_seen, total);

    /* limit is capped at 100 (or refused above it). */
    cJSON *r = expo_call(&c, "hall.list", "{\"limit\":101}");
    ASSERT_NOT_NULL(r);
    if (cJSON_IsTrue(JGET(r, "ok"))) ASSERT_LE(cJSON_GetArraySize(JGET(JGET(r, "data"), "booths")), 100);
    else EXPO_CHECK_ERROR(r, "bad_request");
    cJSON_Delete(r);

    /* Category filter. */
    struct booth b;
    hall_booth(&c, 3, &b);
    d = EXPO_OK(&c, "hall.list", "{\"category\":%s,\"limit\":100}", b.category);
    long long in_cat = JINT(d, "total");
    ASSERT_GE(in_cat, 1);
    ASSERT_LT(in_cat, total);
    booths = JGET(d, "booths");
    int found = 0;
    for (int i = 0; i < cJSON_GetArraySize(booths); i++) {
        struct booth x;
        booth_from(&x, cJSON_GetArrayItem(booths, i));
        ASSERT_STR_EQ(x.category, b.category);
        if (strcmp(x.id, b.id) == 0) found = 1;
    }
    ASSERT_TRUE(found);
    cJSON_Delete(d);

    /* Search by Korean name, English name, tagline-free product name; and a miss. */
    const char *queries[2] = {b.name_ko, b.name_en};
    for (int q = 0; q < 2; q++) {
        d = EXPO_OK(&c, "hall.list", "{\"q\":%s,\"limit\":100}", json_quote(queries[q]));
        found = 0;
        booths = JGET(d, "booths");
        for (int i = 0; i < cJSON_GetArraySize(booths); i++)
            if (same_id(JGET(cJSON_GetArrayItem(booths, i), "id"), b.id)) found = 1;
        if (!found) FAIL("hall.list q=\"%s\" does not find booth %s: %s", queries[q], b.id, json_text(d));
        ASSERT_LT(JINT(d, "total"), total);
        cJSON_Delete(d);
    }
    cJSON *bg = EXPO_OK(&c, "booth.get", "{\"booth_id\":%s}", b.id);
    const cJSON *products = JGET(JGET(bg, "booth"), "products");
    ASSERT_GE(cJSON_GetArraySize(products), 1);
    const cJSON *pname = JGET(cJSON_GetArrayItem(products, 0), "name");
    const char *pq = cJSON_IsString(pname) ? pname->valuestring : JSTR(pname, "en");
    char pquery[256];
    snprintf(pquery, sizeof pquery, "%s", pq);
    cJSON_Delete(bg);
    d = EXPO_OK(&c, "hall.list", "{\"q\":%s,\"limit\":100}", json_quote(pquery));
    found = 0;
    booths = JGET(d, "booths");
    for (int i = 0; i < cJSON_GetArraySize(booths); i++)
        if (same_id(JGET(cJSON_GetArrayItem(booths, i), "id"), b.id)) found = 1;
    if (!found) FAIL("hall.list q=\"%s\" (a product of booth %s) does not find it: %s", pquery, b.id, json_text(d));
    cJSON_Delete(d);
    d = EXPO_OK(&c, "hall.list", "{\"q\":\"zqxj-no-such-booth-zqxj\"}");
    ASSERT_EQ(JINT(d, "total"), 0);
    ASSERT_EQ(cJSON_GetArraySize(JGET(d, "booths")), 0);
    cJSON_Delete(d);
    /* Search input is data, not SQL or a pattern. */
    d = EXPO_OK(&c, "hall.list", "{\"q\":\"%%' OR '1'='1\"}");
    ASSERT_EQ(JINT(d, "total"), 0);
    cJSON_Delete(d);
    d = EXPO_OK(&c, "hall.list", "{\"q\":\"%%\"}");
    ASSERT_LT(JINT(d, "total"), total);
    cJSON_Delete(d);
    EXPO_ERR(&c, "bad_request", "hall.list", "{\"limit\":\"ten\"}");
    expo_close(&c);
}

static void test_booth_get(void)
{
    up(1);
    struct expo c;
    expo_connect(&c, na.port, "get");
    struct booth b;
    hall_booth(&c, 0, &b);
    cJSON *d = EXPO_OK(&c, "booth.get", "{\"booth_id\":%s}", b.id);
    const cJSON *x = JGET(d, "booth");
    ASSERT_STR_EQ(json_text(JGET(x, "id")), b.id);
    ASSERT_STR_EQ(JSTR(x, "slug"), b.slug);
    ASSERT_STR_EQ(JSTR(JGET(x, "name"), "en"), b.name_en);
    ASSERT_STR_EQ(JSTR(JGET(x, "name"), "ko"), b.name_ko);
    JGET(JGET(x, "tagline"), "en");
    ASSERT_GT(strlen(JSTR(JGET(x, "description"), "en")), 0);
    ASSERT_GT(strlen(JSTR(JGET(x, "description"), "ko")), 0);
    JGET(x, "category");
    ASSERT_GT(strlen(JSTR(x, "time_zone")), 0);
    JGET(x, "logo_url");
    JGET(x, "banner_url");
    const cJSON *products = JGET(x, "products");
    ASSERT_TRUE(cJSON_IsArray(products));
    ASSERT_GE(cJSON_GetArraySize(products), 3);
    ASSERT_LE(cJSON_GetArraySize(products), 6);
    ASSERT_TRUE(cJSON_IsArray(JGET(x, "media")));
    ASSERT_EQ(JINT(x, "visitors_now"), 0);
    JGET(x, "staff_online");
    cJSON_Delete(d);

    EXPO_ERR(&c, "not_found", "booth.get", "{\"booth_id\":987654321}");
    EXPO_ERR(&c, "bad_request", "booth.get", "{}");
    cJSON *r = expo_call(&c, "booth.get", "{\"booth_id\":\"no such booth\"}");
    ASSERT_NOT_NULL(r);
    char code[64];
    expo_check_error_at(__FILE__, __LINE__, r, NULL, code, sizeof code);
    if (strcmp(code, "bad_request") != 0 && strcmp(code, "not_found") != 0)
        FAIL("booth.get with a text id: code %s, expected bad_request or not_found", code);
    cJSON_Delete(r);
    expo_close(&c);
}

static void test_chat_two_nodes(void)
{
    up(2);
    struct expo a, b;
    struct user ua, ub;
    visitor(&a, &ua, na.port, "alice");
    visitor(&b, &ub, nb.port, "bob");
    struct booth x;
    hall_booth(&a, 1, &x);
    long long l0 = enter_last_seq(&a, &x);
    ASSERT_EQ(enter_last_seq(&b, &x), l0);

    /* Interleaved sends from both nodes, not waiting for events in between. */
    enum { PER = 5, TOTAL = 2 * PER };
    long long reply_seq[TOTAL];
    char reply_id[TOTAL][64];
    for (int i = 0; i < PER; i++) {
        char text[64], cmid[32];
        struct expo *who[2] = {&a, &b};
        struct user *uw[2] = {&ua, &ub};
        for (int k = 0; k < 2; k++) {
            snprintf(text, sizeof text, "%.40s says %d", uw[k]->name, i);
            snprintf(cmid, sizeof cmid, "%s-%d", k ? "b" : "a", i);
            cJSON *m = SEND_OK(who[k], &x, text, cmid);
            reply_seq[2 * i + k] = CHECK_MESSAGE(m, &x, uw[k], text);
            snprintf(reply_id[2 * i + k], 64, "%s", json_text(JGET(m, "id")));
            cJSON_Delete(m);
        }
    }
    /* Acks are in commit order: strictly increasing, and exactly the next seqs. */
    for (int i = 0; i < TOTAL; i++) ASSERT_EQ(reply_seq[i], l0 + 1 + i);

    /* Both sides see all ten, in the same seq order, the same messages. */
    long long sa[TOTAL], sb[TOTAL];
    char ia[TOTAL][64], ib[TOTAL][64];
    COLLECT_CHAT(&a, &x, TOTAL, sa, ia, it_ms(5000));
    COLLECT_CHAT(&b, &x, TOTAL, sb, ib, it_ms(5000));
    for (int i = 0; i < TOTAL; i++) {
        ASSERT_EQ(sa[i], l0 + 1 + i);
        ASSERT_EQ(sb[i], l0 + 1 + i);
        ASSERT_STR_EQ(ia[i], reply_id[i]);
        ASSERT_STR_EQ(ib[i], reply_id[i]);
    }
    /* No extra (duplicate) events. */
    ASSERT_EQ(expo_count_events(&a, "chat.message", 500), 0);
    ASSERT_EQ(expo_count_events(&b, "chat.message", 0), 0);

    /* History on either node agrees; newest last. */
    cJSON *h = EXPO_OK(&b, "chat.history", "{\"booth_id\":%s,\"limit\":%d}", x.id, TOTAL);
    const cJSON *msgs = JGET(h, "messages");
    ASSERT_EQ(cJSON_GetArraySize(msgs), TOTAL);
    for (int i = 0; i < TOTAL; i++) {
        const cJSON *m = cJSON_GetArrayItem(msgs, i);
        ASSERT_EQ(CHECK_MESSAGE(m, &x, i % 2 ? &ub : &ua, NULL), l0 + 1 + i);
        ASSERT_STR_EQ(json_text(JGET(m, "id")), reply_id[i]);
    }
    cJSON_Delete(h);

    /* A third visitor entering later gets the tail in booth.enter. */
    struct expo c;
    struct user uc;
    visitor(&c, &uc, nb.port, "carol");
    cJSON *e = enter(&c, &x);
    ASSERT_EQ(JINT(e, "last_seq"), l0 + TOTAL);
    msgs = JGET(e, "messages");
    int n = cJSON_GetArraySize(msgs);
    ASSERT_GE(n, TOTAL);
    ASSERT_LE(n, 50);
    ASSERT_EQ(JINT(cJSON_GetArrayItem(msgs, n - 1), "seq"), l0 + TOTAL);
    cJSON_Delete(e);

    /* Table: exactly these rows for the booth, gapless. */
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM chat_messages WHERE booth_id = %s AND seq > %lld", sql_id(x.id), l0);
    ASSERT_EQ(psql_long(pg.url, sql), TOTAL);
    snprintf(sql, sizeof sql, "SELECT max(seq) - count(*) FROM chat_messages WHERE booth_id = %s", sql_id(x.id));
    ASSERT_EQ(psql_long(pg.url, sql), 0);
    expo_close(&a);
    expo_close(&b);
    expo_close(&c);
}

static void test_idempotent(void)
{
    up(2);
    struct expo a, b;
    struct user ua, ub;
    visitor(&a, &ua, na.port, "alice");
    visitor(&b, &ub, nb.port, "bob");
    struct booth x;
    hall_booth(&a, 2, &x);
    long long l0 = enter_last_seq(&a, &x);
    enter_last_seq(&b, &x);

    cJSON *m1 = SEND_OK(&a, &x, "hello once", "dup-1");
    long long seq = CHECK_MESSAGE(m1, &x, &ua, "hello once");
    ASSERT_EQ(seq, l0 + 1);
    char id1[64];
    snprintf(id1, sizeof id1, "%s", json_text(JGET(m1, "id")));

    /* Resend, same and different text: the stored message comes back, nothing new. */
    it_sleep_ms(CHAT_GAP_MS);
    cJSON *m2 = SEND_OK(&a, &x, "hello once", "dup-1");
    ASSERT_STR_EQ(json_text(JGET(m2, "id")), id1);
    ASSERT_EQ(JINT(m2, "seq"), seq);
    ASSERT_STR_EQ(JSTR(m2, "text"), "hello once");
    ASSERT_STR_EQ(JSTR(m2, "sent_at"), JSTR(m1, "sent_at"));
    cJSON *m3 = SEND_OK(&a, &x, "hello twice?", "dup-1");
    ASSERT_STR_EQ(json_text(JGET(m3, "id")), id1);
    ASSERT_STR_EQ(JSTR(m3, "text"), "hello once");

    /* The ack was "lost": alice reconnects on the other node and resends. */
    expo_drop(&a);
    struct expo a2;
    expo_connect(&a2, nb.port, "alice-again");
    do_resume(&a2, &ua);
    cJSON_Delete(enter(&a2, &x));
    cJSON *m4 = SEND_OK(&a2, &x, "hello once", "dup-1");
    ASSERT_STR_EQ(json_text(JGET(m4, "id")), id1);
    ASSERT_EQ(JINT(m4, "seq"), seq);

    /* The key is per author: bob may use the same client_msg_id. */
    cJSON *mb = SEND_OK(&b, &x, "bob's own", "dup-1");
    ASSERT_EQ(CHECK_MESSAGE(mb, &x, &ub, "bob's own"), seq + 1);

    /* Bob saw alice's message exactly once, then his own. */
    long long seqs[2];
    COLLECT_CHAT(&b, &x, 2, seqs, NULL, it_ms(5000));
    ASSERT_EQ(seqs[0], seq);
    ASSERT_EQ(seqs[1], seq + 1);
    ASSERT_EQ(expo_count_events(&b, "chat.message", 1000), 0);

    char sql[512];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM chat_messages WHERE client_msg_id = 'dup-1' AND author_id = %s", sql_id(ua.id));
    ASSERT_EQ(psql_long(pg.url, sql), 1);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM chat_messages WHERE booth_id = %s AND seq > %lld", sql_id(x.id), l0);
    ASSERT_EQ(psql_long(pg.url, sql), 2);
    cJSON_Delete(m1);
    cJSON_Delete(m2);
    cJSON_Delete(m3);
    cJSON_Delete(m4);
    cJSON_Delete(mb);
    expo_close(&a2);
    expo_close(&b);
}

static void test_since_seq(void)
{
    up(2);
    struct expo a, b;
    struct user ua, ub;
    visitor(&a, &ua, na.port, "alice");
    visitor(&b, &ub, nb.port, "bob");
    struct booth x;
    hall_booth(&a, 4, &x);
    long long l0 = enter_last_seq(&a, &x);
    enter_last_seq(&b, &x);

    char ids[7][64];
    for (int i = 0; i < 3; i++) {
        char t[32], k[32];
        snprintf(t, sizeof t, "before drop %d", i);
        snprintf(k, sizeof k, "pre-%d", i);
        cJSON *m = SEND_OK(&b, &x, t, k);
        snprintf(ids[i], 64, "%s", json_text(JGET(m, "id")));
        cJSON_Delete(m);
    }
    long long seen[3];
    COLLECT_CHAT(&a, &x, 3, seen, NULL, it_ms(5000));
    long long last_seen = seen[2];
    ASSERT_EQ(last_seen, l0 + 3);

    /* Alice's connection dies without a close frame; bob keeps talking. */
    expo_drop(&a);
    for (int i = 3; i < 7; i++) {
        char t[32], k[32];
        snprintf(t, sizeof t, "while away %d", i);
        snprintf(k, sizeof k, "gap-%d", i);
        cJSON *m = SEND_OK(&b, &x, t, k);
        snprintf(ids[i], 64, "%s", json_text(JGET(m, "id")));
        cJSON_Delete(m);
        it_sleep_ms(CHAT_GAP_MS);
    }

    /* Alice comes back (other node) and resumes from her last seq: exactly the gap. */
    struct expo a2;
    expo_connect(&a2, nb.port, "alice-back");
    do_resume(&a2, &ua);
    cJSON *e = EXPO_OK(&a2, "booth.enter", "{\"booth_id\":%s,\"since_seq\":%lld}", x.id, last_seen);
    ASSERT_EQ(JINT(e, "last_seq"), l0 + 7);
    const cJSON *tr = cJSON_GetObjectItemCaseSensitive(e, "truncated");
    if (tr && !cJSON_IsFalse(tr)) FAIL("truncated is %s for a 4-message gap", json_text(tr));
    const cJSON *msgs = JGET(e, "messages");
    ASSERT_EQ(cJSON_GetArraySize(msgs), 4);
    for (int i = 0; i < 4; i++) {
        const cJSON *m = cJSON_GetArrayItem(msgs, i);
        char t[32];
        snprintf(t, sizeof t, "while away %d", i + 3);
        ASSERT_EQ(CHECK_MESSAGE(m, &x, &ub, t), l0 + 4 + i);
        ASSERT_STR_EQ(json_text(JGET(m, "id")), ids[i + 3]);
    }
    cJSON_Delete(e);
    /* Live again: the next message arrives as an event, no duplicate of the gap. */
    cJSON_Delete(SEND_OK(&b, &x, "welcome back", "post-1"));
    long long s1;
    COLLECT_CHAT(&a2, &x, 1, &s1, NULL, it_ms(5000));
    ASSERT_EQ(s1, l0 + 8);
    ASSERT_EQ(expo_count_events(&a2, "chat.message", 300), 0);

    /* since_seq at the head: nothing. */
    struct expo a3;
    expo_connect(&a3, na.port, "alice-tab");
    do_resume(&a3, &ua);
    e = EXPO_OK(&a3, "booth.enter", "{\"booth_id\":%s,\"since_seq\":%lld}", x.id, l0 + 8);
    ASSERT_EQ(cJSON_GetArraySize(JGET(e, "messages")), 0);
    ASSERT_EQ(JINT(e, "last_seq"), l0 + 8);
    cJSON_Delete(e);

    /* chat.history paging: before_seq and limit, newest last. */
    cJSON *h = EXPO_OK(&a3, "chat.history", "{\"booth_id\":%s,\"before_seq\":%lld,\"limit\":2}", x.id, l0 + 5);
    msgs = JGET(h, "messages");
    ASSERT_EQ(cJSON_GetArraySize(msgs), 2);
    ASSERT_EQ(JINT(cJSON_GetArrayItem(msgs, 0), "seq"), l0 + 3);
    ASSERT_EQ(JINT(cJSON_GetArrayItem(msgs, 1), "seq"), l0 + 4);
    cJSON_Delete(h);
    /* limit above 200: capped, or refused. */
    h = expo_call(&a3, "chat.history", "{\"booth_id\":%s,\"limit\":500}", x.id);
    ASSERT_NOT_NULL(h);
    if (cJSON_IsTrue(JGET(h, "ok"))) ASSERT_LE(cJSON_GetArraySize(JGET(JGET(h, "data"), "messages")), 200);
    else EXPO_CHECK_ERROR(h, "bad_request");
    cJSON_Delete(h);
    expo_close(&a2);
    expo_close(&a3);
    expo_close(&b);
}

static void test_since_seq_truncated(void)
{
    up(1);
    struct expo a;
    struct user ua;
    visitor(&a, &ua, na.port, "alice");
    struct booth x;
    hall_booth(&a, 5, &x);
    long long l0 = enter_last_seq(&a, &x);
    /* 620 messages committed by another writer (schema.sql's chat_append, as a node does). */
    char sql[1024];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM chat_append((SELECT jsonb_agg(jsonb_build_object('booth_id', %s::bigint, "
             "'author_id', %s::bigint, 'text', 'bulk ' || g, 'client_msg_id', 'bulk-' || g) ORDER BY g) "
             "FROM generate_series(1, 620) g))",
             sql_id(x.id), sql_id(ua.id));
    ASSERT_EQ(psql_long(pg.url, sql), 620);

    struct expo a2;
    expo_connect(&a2, na.port, "alice-2");
    do_resume(&a2, &ua);
    cJSON *e = EXPO_OK(&a2, "booth.enter", "{\"booth_id\":%s,\"since_seq\":%lld}", x.id, l0);
    ASSERT_EQ(JINT(e, "last_seq"), l0 + 620);
    ASSERT_EQ(JBOOL(e, "truncated"), 1);
    const cJSON *msgs = JGET(e, "messages");
    ASSERT_EQ(cJSON_GetArraySize(msgs), 500);
    for (int i = 0; i < 500; i++) ASSERT_EQ(JINT(cJSON_GetArrayItem(msgs, i), "seq"), l0 + 1 + i);
    cJSON_Delete(e);

    struct expo a3;
    expo_connect(&a3, na.port, "alice-3");
    do_resume(&a3, &ua);
    e = EXPO_OK(&a3, "booth.enter", "{\"booth_id\":%s,\"since_seq\":%lld}", x.id, l0 + 500);
    msgs = JGET(e, "messages");
    ASSERT_EQ(cJSON_GetArraySize(msgs), 120);
    ASSERT_EQ(JINT(cJSON_GetArrayItem(msgs, 0), "seq"), l0 + 501);
    ASSERT_EQ(JINT(cJSON_GetArrayItem(msgs, 119), "seq"), l0 + 620);
    const cJSON *tr = cJSON_GetObjectItemCaseSensitive(e, "truncated");
    if (tr && !cJSON_IsFalse(tr)) FAIL("truncated is %s for 120 messages", json_text(tr));
    cJSON_Delete(e);

    /* Without since_seq: the last 50. */
    struct expo a4;
    expo_connect(&a4, na.port, "alice-4");
    do_resume(&a4, &ua);
    e = enter(&a4, &x);
    msgs = JGET(e, "messages");
    ASSERT_EQ(cJSON_GetArraySize(msgs), 50);
    ASSERT_EQ(JINT(cJSON_GetArrayItem(msgs, 0), "seq"), l0 + 571);
    ASSERT_EQ(JINT(cJSON_GetArrayItem(msgs, 49), "seq"), l0 + 620);
    cJSON_Delete(e);

    /* The first connection was in the booth: the batch reached it as events, in order. */
    long long seqs[620];
    COLLECT_CHAT(&a, &x, 620, seqs, NULL, it_ms(10000));
    for (int i = 0; i < 620; i++) ASSERT_EQ(seqs[i], l0 + 1 + i);
    expo_close(&a);
    expo_close(&a2);
    expo_close(&a3);
    expo_close(&a4);
}

static void test_presence(void)
{
    up(2);
    struct expo a, b, s;
    struct user ua, ub, us;
    visitor(&a, &ua, na.port, "alice");
    visitor(&b, &ub, nb.port, "bob");
    struct booth x;
    hall_booth(&a, 6, &x);

    cJSON *e = enter(&a, &x);
    ASSERT_EQ(JINT(e, "visitors_now"), 1);
    cJSON_Delete(e);
    e = enter(&b, &x);
    ASSERT_EQ(JINT(e, "visitors_now"), 2);
    cJSON_Delete(e);
    WAIT_PRESENCE(&a, &x, 2, 0, it_ms(5000));
    check_hall_counts(&a, &x, 2, 0);
    check_hall_counts(&b, &x, 2, 0);
    cJSON *g = EXPO_OK(&b, "booth.get", "{\"booth_id\":%s}", x.id);
    ASSERT_EQ(JINT(JGET(g, "booth"), "visitors_now"), 2);
    cJSON_Delete(g);

    /* Booth staff comes online on node B. */
    char staff_email[160];
    snprintf(staff_email, sizeof staff_email, "staff@%s.demo.expo", x.slug);
    expo_connect(&s, nb.port, "staff");
    do_login(&s, &us, staff_email, DEMO_PW);
    cJSON_Delete(enter(&s, &x));
    WAIT_PRESENCE(&a, &x, 2, 1, it_ms(5000));
    WAIT_PRESENCE(&b, &x, 2, 1, it_ms(5000));
    check_hall_counts(&a, &x, 2, 1);
    /* Staff messages reach visitors on the other node. */
    cJSON *m = SEND_OK(&s, &x, "안녕하세요! Welcome to our booth.", "staff-1");
    CHECK_MESSAGE(m, &x, &us, "안녕하세요! Welcome to our booth.");
    cJSON_Delete(m);
    long long seq;
    COLLECT_CHAT(&a, &x, 1, &seq, NULL, it_ms(5000));
    cJSON_Delete(EXPO_OK(&s, "booth.leave", "{\"booth_id\":%s}", x.id));
    WAIT_PRESENCE(&a, &x, 2, 0, it_ms(5000));

    /* Bob leaves by closing his socket. */
    expo_close(&b);
    WAIT_PRESENCE(&a, &x, 1, 0, it_ms(5000));
    check_hall_counts(&s, &x, 1, 0);
    /* Alice leaves explicitly: back to zero everywhere. */
    cJSON_Delete(EXPO_OK(&a, "booth.leave", "{\"booth_id\":%s}", x.id));
    check_hall_counts(&s, &x, 0, 0);
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM presence WHERE booth_id = %s", sql_id(x.id));
    wait_sql_count(sql, 0);
    /* Visits were recorded with their end. */
    snprintf(sql, sizeof sql, "SELECT count(*) FROM visits WHERE booth_id = %s AND left_at IS NOT NULL", sql_id(x.id));
    ASSERT_GE(psql_long(pg.url, sql), 3);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM visits WHERE booth_id = %s AND left_at IS NULL", sql_id(x.id));
    wait_sql_count(sql, 0);
    expo_close(&a);
    expo_close(&s);
}

static void test_multi_booth(void)
{
    up(1);
    struct expo t, ox, oy;
    struct user ut, uox, uoy;
    visitor(&t, &ut, na.port, "tabs");
    visitor(&ox, &uox, na.port, "obs-x");
    visitor(&oy, &uoy, na.port, "obs-y");
    struct booth x, y;
    hall_booth(&t, 7, &x);
    hall_booth(&t, 8, &y);
    cJSON_Delete(enter(&ox, &x));
    cJSON_Delete(enter(&oy, &y));
    cJSON_Delete(enter(&t, &x));
    cJSON_Delete(enter(&t, &y));
    WAIT_PRESENCE(&ox, &x, 2, -1, it_ms(5000));
    WAIT_PRESENCE(&oy, &y, 2, -1, it_ms(5000));

    cJSON_Delete(SEND_OK(&t, &x, "to x", "mx-1"));
    cJSON_Delete(SEND_OK(&t, &y, "to y", "my-1"));
    long long s;
    COLLECT_CHAT(&ox, &x, 1, &s, NULL, it_ms(5000)); /* fails on a message of booth y */
    COLLECT_CHAT(&oy, &y, 1, &s, NULL, it_ms(5000));
    ASSERT_EQ(expo_count_events(&ox, "chat.message", 300), 0);
    ASSERT_EQ(expo_count_events(&oy, "chat.message", 0), 0);
    /* Presence events are per booth too. */
    expo_discard_events(&ox, NULL);
    expo_discard_events(&oy, NULL);

    /* Closing the socket leaves every booth. */
    expo_drop(&t);
    WAIT_PRESENCE(&ox, &x, 1, -1, it_ms(5000));
    WAIT_PRESENCE(&oy, &y, 1, -1, it_ms(5000));
    expo_close(&ox);
    expo_close(&oy);
}

static void test_kill9_presence(void)
{
    up(2);
    struct expo a, b, c;
    struct user ua, ub, uc;
    visitor(&a, &ua, na.port, "alice");
    visitor(&b, &ub, nb.port, "bob");
    visitor(&c, &uc, nb.port, "carol");
    struct booth x;
    hall_booth(&a, 9, &x);
    cJSON_Delete(enter(&a, &x));
    cJSON_Delete(enter(&b, &x));
    cJSON_Delete(enter(&c, &x));
    WAIT_PRESENCE(&a, &x, 3, -1, it_ms(5000));
    check_hall_counts(&a, &x, 3, -1);

    double t = it_now();
    boothd_kill9(&nb);
    expo_drop(&b);
    expo_drop(&c);
    WAIT_PRESENCE(&a, &x, 1, -1, it_ms(10000));
    it_log("presence of the killed node cleared after %.1f s", it_now() - t);
    check_hall_counts(&a, &x, 1, -1);
    ASSERT_EQ(psql_long(pg.url, "SELECT count(*) FROM presence WHERE node_id = 'node-b'"), 0);
    ASSERT_EQ(psql_long(pg.url, "SELECT count(*) FROM visits WHERE node_id = 'node-b' AND left_at IS NULL"), 0);

    /* The node comes back under the same id and works normally. */
    struct boothd_opts o = {.db_url = pg.url, .node_id = "node-b", .demo = 1};
    boothd_start(&nb, &o, 40000);
    struct expo b2;
    expo_connect(&b2, nb.port, "bob-back");
    do_resume(&b2, &ub);
    cJSON *e = enter(&b2, &x);
    ASSERT_EQ(JINT(e, "visitors_now"), 2);
    cJSON_Delete(e);
    WAIT_PRESENCE(&a, &x, 2, -1, it_ms(5000));
    expo_close(&a);
    expo_close(&b2);
}

/* ---- PostgreSQL restart while chatting -------------------------------------------------- */

enum { MSG_NEW, MSG_INFLIGHT, MSG_RETRY, MSG_ACKED };

struct pmsg {
    char cmid[32];
    char text[48];
    int state;
    long req;
    double sent_at;
    int attempts;
    long long seq;
    char id[64];
    char last_error[32];
};

struct chatter {
    struct expo c;
    struct user u;
    const char *name;
    int port;
    struct pmsg m[256];
    int n;
    double next_send;
    int connected;      /* open and in the booth */
    int reconnects;
    int errors;         /* error replies */
    long long events[2048]; /* seqs of chat.message events, in arrival order */
    int n_events;
};

static const struct booth *chat_booth;
static double reply_limit_s; /* every request must be answered within this */

static void chatter_collect(struct chatter *ch)
{
    if (!ch->connected) return;
    expo_pump(&ch->c, 0);
    for (int i = 0; i < ch->n; i++) {
        struct pmsg *p = &ch->m[i];
        if (p->state != MSG_INFLIGHT) continue;
        cJSON *r = expo_reply(&ch->c, p->req, 0);
        if (!r) {
            if (ch->c.closed) break;
            if (it_now() - p->sent_at > reply_limit_s)
                FAIL("%s: no reply to chat.send %s within %.1f s", ch->name, p->cmid, reply_limit_s);
            continue;
        }
        if (cJSON_IsTrue(JGET(r, "ok"))) {
            const cJSON *m = JGET(JGET(r, "data"), "message");
            p->seq = CHECK_MESSAGE(m, chat_booth, &ch->u, p->text);
            snprintf(p->id, sizeof p->id, "%s", json_text(JGET(m, "id")));
            p->state = MSG_ACKED;
        } else {
            char code[32];
            expo_check_error_at(__FILE__, __LINE__, r, NULL, code, sizeof code);
            if (strcmp(code, "unavailable") != 0)
                FAIL("%s: chat.send %s failed with %s, expected only \"unavailable\" while the database is away: %s",
                     ch->name, p->cmid, code, json_text(r));
            snprintf(p->last_error, sizeof p->last_error, "%s", code);
            p->state = MSG_RETRY;
            ch->errors++;
        }
        cJSON_Delete(r);
    }
    /* Chat events (others are dropped). */
    for (;;) {
        cJSON *ev = expo_event(&ch->c, "chat.message", 0);
        if (!ev) break;
        const cJSON *m = JGET(ev, "message");
        if (ch->n_events < 2048) ch->events[ch->n_events++] = JINT(m, "seq");
        cJSON_Delete(ev);
    }
    expo_discard_events(&ch->c, NULL);
    if (ch->c.closed) {
        it_log("%s: connection closed (code %d); will reconnect", ch->name, ch->c.close_code);
        ch->connected = 0;
        for (int i = 0; i < ch->n; i++)
            if (ch->m[i].state == MSG_INFLIGHT) ch->m[i].state = MSG_RETRY;
    }
}

/* Tries to get back into the booth; returns 1 when connected again. */
static int chatter_reconnect(struct chatter *ch)
{
    expo_drop(&ch->c);
    if (expo_open(&ch->c, ch->port, ch->name) != WS_OK) return 0;
    cJSON *r = expo_call(&ch->c, "auth.resume", "{\"token\":%s}", json_quote(ch->u.token));
    int ok = r && cJSON_IsTrue(JGET(r, "ok"));
    cJSON_Delete(r);
    if (!ok) return 0;
    r = expo_call(&ch->c, "booth.enter", "{\"booth_id\":%s}", chat_booth->id);
    ok = r && cJSON_IsTrue(JGET(r, "ok"));
    cJSON_Delete(r);
    if (!ok) return 0;
    ch->connected = 1;
    ch->reconnects++;
    it_log("%s: back in the booth", ch->name);
    return 1;
}

/* Sends one message (a retry first, else a new one if allow_new). */
static void chatter_send(struct chatter *ch, int allow_new)
{
    if (!ch->connected || it_now() < ch->next_send) return;
    struct pmsg *p = NULL;
    for (int i = 0; i < ch->n && !p; i++)
        if (ch->m[i].state == MSG_RETRY) p = &ch->m[i];
    if (!p && allow_new && ch->n < 256) {
        p = &ch->m[ch->n];
        snprintf(p->cmid, sizeof p->cmid, "%s-%03d", ch->name, ch->n);
        snprintf(p->text, sizeof p->text, "message %d from %s", ch->n, ch->name);
        p->state = MSG_NEW;
        ch->n++;
    }
    if (!p) return;
    p->req = expo_send(&ch->c, "chat.send", "{\"booth_id\":%s,\"text\":%s,\"client_msg_id\":%s}", chat_booth->id,
                       json_quote(p->text), json_quote(p->cmid));
    p->state = p->req < 0 ? MSG_RETRY : MSG_INFLIGHT;
    p->sent_at = it_now();
    p->attempts++;
    ch->next_send = it_now() + 0.7; /* ~1.4/s: under the chat rate limit */
}

static int chatter_count(const struct chatter *ch, int state)
{
    int n = 0;
    for (int i = 0; i < ch->n; i++) n += ch->m[i].state == state;
    return n;
}

static void chat_phase(struct chatter **chs, int n, double seconds, int allow_new, int reconnect)
{
    double end = it_now() + seconds;
    while (it_now() < end) {
        for (int i = 0; i < n; i++) {
            if (!chs[i]->connected && reconnect) chatter_reconnect(chs[i]);
            chatter_send(chs[i], allow_new);
            chatter_collect(chs[i]);
        }
        it_sleep_ms(20);
    }
}

/* Runs until nothing is in flight (or fails after limit_s). */
static void chat_settle(struct chatter **chs, int n, double limit_s)
{
    double end = it_now() + limit_s;
    for (;;) {
        int inflight = 0;
        for (int i = 0; i < n; i++) {
            chatter_collect(chs[i]);
            inflight += chatter_count(chs[i], MSG_INFLIGHT);
        }
        if (!inflight) return;
        if (it_now() > end) FAIL("%d chat.send requests still unanswered after %.0f s", inflight, limit_s);
        it_sleep_ms(20);
    }
}

static void test_pg_restart_chat(void)
{
    up(2);
    static struct chatter alice, bob;
    struct chatter *chs[2] = {&alice, &bob};
    alice.name = "alice";
    alice.port = na.port;
    bob.name = "bob";
    bob.port = nb.port;
    visitor(&alice.c, &alice.u, na.port, "alice");
    visitor(&bob.c, &bob.u, nb.port, "bob");
    static struct booth x;
    hall_booth(&alice.c, 10, &x);
    chat_booth = &x;
    long long l0 = enter_last_seq(&alice.c, &x);
    enter_last_seq(&bob.c, &x);
    alice.connected = bob.connected = 1;
    reply_limit_s = it_ms(6000) / 1000.0;

    it_log("phase 1: chatting with the database up");
    chat_phase(chs, 2, 3.0, 1, 0);
    chat_settle(chs, 2, reply_limit_s);
    for (int i = 0; i < 2; i++) ASSERT_EQ(chatter_count(chs[i], MSG_RETRY), 0);

    it_log("phase 2: PostgreSQL stopped while chatting");
    pg_stop(&pg);
    chat_phase(chs, 2, 5.0, 1, 0);
    chat_settle(chs, 2, reply_limit_s);
    int errors = alice.errors + bob.errors;
    it_log("errors during the outage: alice %d, bob %d", alice.errors, bob.errors);
    ASSERT_GT(errors, 0);

    it_log("phase 3: PostgreSQL back; retry what failed, keep chatting");
    pg_start_again(&pg);
    double t_back = it_now();
    double recover_limit = it_ms(30000) / 1000.0;
    for (;;) {
        chat_phase(chs, 2, 0.5, 0, 1);
        int open = 0;
        for (int i = 0; i < 2; i++) open += chatter_count(chs[i], MSG_RETRY) + chatter_count(chs[i], MSG_INFLIGHT) +
                                           !chs[i]->connected;
        if (!open) break;
        if (it_now() - t_back > recover_limit)
            FAIL("not recovered %.0f s after PostgreSQL came back: alice %d to retry, %s; bob %d to retry, %s",
                 recover_limit, chatter_count(&alice, MSG_RETRY), alice.connected ? "connected" : "disconnected",
                 chatter_count(&bob, MSG_RETRY), bob.connected ? "connected" : "disconnected");
    }
    it_log("recovered %.1f s after PostgreSQL came back", it_now() - t_back);
    /* Reset the error counters: from here on nothing may fail. */
    int errors_before = alice.errors + bob.errors;
    chat_phase(chs, 2, 3.0, 1, 0);
    chat_settle(chs, 2, reply_limit_s);
    ASSERT_EQ(alice.errors + bob.errors, errors_before);
    for (int i = 0; i < 2; i++) {
        ASSERT_EQ(chatter_count(chs[i], MSG_RETRY), 0);
        ASSERT_EQ(chatter_count(chs[i], MSG_ACKED), chs[i]->n);
    }
    /* Let the last events arrive. */
    double drain_end = it_now() + it_ms(3000) / 1000.0;
    while (it_now() < drain_end) {
        chatter_collect(&alice);
        chatter_collect(&bob);
        it_sleep_ms(50);
    }

    /* The table: every acknowledged message exactly once, with its acknowledged seq and id;
     * nothing else; seqs gapless. */
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT m.client_msg_id || '|' || m.seq || '|' || m.id || '|' || a.email FROM chat_messages m "
             "JOIN accounts a ON a.id = m.author_id WHERE m.booth_id = %s AND m.seq > %lld ORDER BY m.seq",
             sql_id(x.id), l0);
    char *rows = psql_ok(pg.url, sql);
    int total = alice.n + bob.n;
    ASSERT_EQ(it_count_lines(rows), total);
    long long expect_seq = l0 + 1;
    char *save = NULL;
    for (char *line = strtok_r(rows, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char cmid[64], email[128];
        long long seq;
        char id[64];
        if (sscanf(line, "%63[^|]|%lld|%63[^|]|%127s", cmid, &seq, id, email) != 4) FAIL("bad psql row \"%s\"", line);
        ASSERT_EQ(seq, expect_seq);
        expect_seq++;
        struct chatter *ch = strncmp(cmid, "alice-", 6) == 0 ? &alice : &bob;
        if (strcmp(email, ch->u.email) != 0) FAIL("row %s: author %s, expected %s", cmid, email, ch->u.email);
        int found = 0;
        for (int i = 0; i < ch->n; i++) {
            if (strcmp(ch->m[i].cmid, cmid) != 0) continue;
            found = 1;
            if (ch->m[i].seq != seq) FAIL("%s: acknowledged seq %lld, stored %lld", cmid, ch->m[i].seq, seq);
            if (strcmp(ch->m[i].id, id) != 0 && !(ch->m[i].id[0] == '"' && strncmp(ch->m[i].id + 1, id, strlen(id)) == 0))
                FAIL("%s: acknowledged id %s, stored %s", cmid, ch->m[i].id, id);
        }
        if (!found) FAIL("stored message %s was never sent", cmid);
    }
    free(rows);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM (SELECT author_id, client_msg_id FROM chat_messages WHERE booth_id = %s "
             "GROUP BY 1, 2 HAVING count(*) > 1) d", sql_id(x.id));
    ASSERT_EQ(psql_long(pg.url, sql), 0);

    /* Live delivery: a client that stayed connected saw every message once, in seq order
     * (a node that lost its LISTEN connection catches up from the table). */
    for (int i = 0; i < 2; i++) {
        struct chatter *ch = chs[i];
        it_log("%s: %d events, %d reconnects, %d errors, %d messages", ch->name, ch->n_events, ch->reconnects,
               ch->errors, ch->n);
        if (ch->reconnects) continue;
        if (ch->n_events != total)
            FAIL("%s stayed connected but received %d chat.message events for %d committed messages", ch->name,
                 ch->n_events, total);
        for (int k = 0; k < ch->n_events; k++) ASSERT_EQ(ch->events[k], l0 + 1 + k);
    }
    expo_close(&alice.c);
    expo_close(&bob.c);
}

/* ---- authorization and input limits ----------------------------------------------------- */

static void test_authorization(void)
{
    up(1);
    struct expo a;
    struct user ua;
    visitor(&a, &ua, na.port, "alice");
    struct booth x, y;
    hall_booth(&a, 11, &x);
    hall_booth(&a, 12, &y);

    EXPO_ERR(&a, "forbidden", "chat.send", "{\"booth_id\":%s,\"text\":\"hi\",\"client_msg_id\":\"z1\"}", x.id);
    it_sleep_ms(CHAT_GAP_MS);
    EXPO_ERR(&a, "not_found", "booth.enter", "{\"booth_id\":987654321}");
    cJSON_Delete(enter(&a, &x));
    cJSON_Delete(SEND_OK(&a, &x, "now I may", "z2"));
    it_sleep_ms(CHAT_GAP_MS);
    /* In x, not in y. */
    EXPO_ERR(&a, "forbidden", "chat.send", "{\"booth_id\":%s,\"text\":\"hi\",\"client_msg_id\":\"z3\"}", y.id);
    it_sleep_ms(CHAT_GAP_MS);

    /* Input checks. */
    struct { const char *what, *data; } bad[] = {
        {"empty text", "\"text\":\"\",\"client_msg_id\":\"e1\""},
        {"blank text", "\"text\":\" \\t\\n \",\"client_msg_id\":\"e2\""},
        {"text is a number", "\"text\":5,\"client_msg_id\":\"e3\""},
        {"no client_msg_id", "\"text\":\"x\""},
        {"empty client_msg_id", "\"text\":\"x\",\"client_msg_id\":\"\""},
        {"client_msg_id is a number", "\"text\":\"x\",\"client_msg_id\":7"},
        {"no text", "\"client_msg_id\":\"e4\""},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        it_log("chat.send with %s", bad[i].what);
        EXPO_ERR(&a, "bad_request", "chat.send", "{\"booth_id\":%s,%s}", x.id, bad[i].data);
        it_sleep_ms(CHAT_GAP_MS);
    }
    static char text[8200];
    memset(text, 'a', 2001);
    text[2001] = '\0';
    EXPO_ERR(&a, "bad_request", "chat.send", "{\"booth_id\":%s,\"text\":\"%s\",\"client_msg_id\":\"long\"}", x.id, text);
    it_sleep_ms(CHAT_GAP_MS);
    char cmid[80];
    memset(cmid, 'k', 65);
    cmid[65] = '\0';
    EXPO_ERR(&a, "bad_request", "chat.send", "{\"booth_id\":%s,\"text\":\"x\",\"client_msg_id\":\"%s\"}", x.id, cmid);
    it_sleep_ms(CHAT_GAP_MS);

    /* Limits are inclusive, counted in characters after trimming. */
    text[2000] = '\0';
    cJSON *m = SEND_OK(&a, &x, text, "max-ascii");
    ASSERT_EQ((long long)strlen(JSTR(m, "text")), 2000);
    cJSON_Delete(m);
    it_sleep_ms(CHAT_GAP_MS);
    static char padded[8300];
    snprintf(padded, sizeof padded, "   %s  \n", text);
    m = SEND_OK(&a, &x, padded, "max-trimmed");
    ASSERT_EQ((long long)strlen(JSTR(m, "text")), 2000);
    cJSON_Delete(m);
    it_sleep_ms(CHAT_GAP_MS);
    text[0] = '\0';
    for (int i = 0; i < 2000; i++) strcat(text, "가");
    m = SEND_OK(&a, &x, text, "max-hangul");
    ASSERT_STR_EQ(JSTR(m, "text"), text);
    cJSON_Delete(m);
    it_sleep_ms(CHAT_GAP_MS);
    memset(cmid, 'k', 64);
    cmid[64] = '\0';
    cJSON_Delete(SEND_OK(&a, &x, "64-char key", cmid));
    it_sleep_ms(CHAT_GAP_MS);

    /* Control characters are cleaned; HTML is kept as text. */
    m = SEND_OK(&a, &x, "ring\x07 the\x1b[31m bell\x01", "ctl");
    const char *t = JSTR(m, "text");
    for (const char *p = t; *p; p++)
        if ((unsigned char)*p < 0x20 && *p != '\n' && *p != '\t')
            FAIL("control character 0x%02x kept in \"%s\"", (unsigned char)*p, t);
    ASSERT_CONTAINS(t, "ring");
    ASSERT_CONTAINS(t, "bell");
    cJSON_Delete(m);
    it_sleep_ms(CHAT_GAP_MS);
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM chat_messages WHERE client_msg_id = 'ctl' AND text ~ '[\\x01-\\x08\\x0b-\\x1f]'");
    ASSERT_EQ(psql_long(pg.url, sql), 0);

    /* After leaving: forbidden again. */
    cJSON_Delete(EXPO_OK(&a, "booth.leave", "{\"booth_id\":%s}", x.id));
    EXPO_ERR(&a, "forbidden", "chat.send", "{\"booth_id\":%s,\"text\":\"hi\",\"client_msg_id\":\"z9\"}", x.id);
    ASSERT_EQ(a.closed, 0);
    expo_close(&a);
}

static void test_flooding(void)
{
    up(1);
    struct expo a, b;
    struct user ua, ub;
    visitor(&a, &ua, na.port, "flooder");
    visitor(&b, &ub, na.port, "bystander");
    struct booth x;
    hall_booth(&a, 13, &x);
    long long l0 = enter_last_seq(&a, &x);
    enter_last_seq(&b, &x);

    /* 40 messages back to back, pipelined. */
    enum { N = 40 };
    long ids[N];
    for (int i = 0; i < N; i++) {
        char cmid[16];
        snprintf(cmid, sizeof cmid, "f-%d", i);
        ids[i] = expo_send(&a, "chat.send", "{\"booth_id\":%s,\"text\":\"flood %d\",\"client_msg_id\":%s}", x.id, i,
                           json_quote(cmid));
        ASSERT_GT(ids[i], 0);
    }
    int ok = 0, limited = 0;
    for (int i = 0; i < N; i++) {
        cJSON *r = expo_reply(&a, ids[i], it_ms(10000));
        if (!r) FAIL("no reply to flood message %d (connection %s)", i, a.closed ? "closed" : "open");
        if (cJSON_IsTrue(JGET(r, "ok"))) ok++;
        else {
            EXPO_CHECK_ERROR(r, "rate_limited");
            limited++;
        }
        cJSON_Delete(r);
    }
    it_log("flood: %d accepted, %d rate_limited", ok, limited);
    ASSERT_EQ(ok + limited, N);
    ASSERT_GE(ok, 8);
    ASSERT_LE(ok, 16);
    ASSERT_EQ(a.closed, 0);

    /* The bystander is not limited by someone else's flood, and saw each accepted one once. */
    cJSON_Delete(SEND_OK(&b, &x, "I can still talk", "b-1"));
    long long seqs[N + 1];
    COLLECT_CHAT(&b, &x, ok + 1, seqs, NULL, it_ms(5000));
    for (int i = 0; i <= ok; i++) ASSERT_EQ(seqs[i], l0 + 1 + i);
    ASSERT_EQ(expo_count_events(&b, "chat.message", 300), 0);
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM chat_messages WHERE author_id = %s", sql_id(ua.id));
    ASSERT_EQ(psql_long(pg.url, sql), ok);

    /* The bucket refills (~2/s). */
    it_sleep_ms(1600);
    cJSON_Delete(SEND_OK(&a, &x, "after a pause", "f-after"));

    /* Hostile input from a signed-in member of a booth: errors, then the connection is fine. */
    EXPO_ERR(&a, "bad_request", "chat.send", "{\"booth_id\":%s,\"text\":{\"html\":1},\"client_msg_id\":\"o1\"}", x.id);
    ASSERT_EQ(expo_send_text(&a, "{\"id\":999,\"type\":\"chat.send\",\"data\":{\"booth_id\":"), WS_OK);
    cJSON *r = expo_next_reply(&a, it_ms(5000));
    ASSERT_NOT_NULL(r);
    EXPO_CHECK_ERROR(r, "bad_request");
    cJSON_Delete(r);
    cJSON_Delete(EXPO_OK(&a, "sys.ping", NULL));

    /* Oversized: closed with 1009, and its presence goes with it. */
    expo_discard_events(&b, NULL);
    size_t big = 70000;
    char *msg = malloc(big + 200);
    if (!msg) abort();
    int hl = snprintf(msg, 200, "{\"id\":5,\"type\":\"chat.send\",\"data\":{\"booth_id\":%s,\"client_msg_id\":\"big\",\"text\":\"", x.id);
    memset(msg + hl, 'x', big);
    strcpy(msg + hl + big, "\"}}");
    ws_send_text(&a.ws, msg, strlen(msg));
    free(msg);
    int code = ws_wait_closed(&a.ws, it_ms(5000), NULL);
    ASSERT_EQ(code, 1009);
    expo_drop(&a);
    WAIT_PRESENCE(&b, &x, 1, -1, it_ms(5000));
    snprintf(sql, sizeof sql, "SELECT count(*) FROM chat_messages WHERE client_msg_id = 'big'");
    ASSERT_EQ(psql_long(pg.url, sql), 0);
    expo_close(&b);
}

static void test_conn_cap(void)
{
    pg_start(&pg);
    const char *extra[] = {"--max-conns-per-ip", "5", NULL};
    struct boothd_opts o = {.db_url = pg.url, .node_id = "capped", .demo = 1, .extra_args = extra};
    boothd_start(&na, &o, 40000);
    struct expo c[6];
    for (int i = 0; i < 5; i++) {
        char label[16];
        snprintf(label, sizeof label, "c%d", i);
        expo_connect(&c[i], na.port, label);
        cJSON_Delete(EXPO_OK(&c[i], "sys.ping", NULL));
    }
    /* The sixth from the same address is refused, or closed before it is served. */
    int r = expo_open(&c[5], na.port, "c5");
    if (r == WS_OK) {
        long id = expo_send(&c[5], "sys.ping", NULL);
        cJSON *reply = expo_reply(&c[5], id, it_ms(3000));
        if (reply && cJSON_IsTrue(JGET(reply, "ok")))
            FAIL("a 6th connection from one address was served with --max-conns-per-ip 5");
        cJSON_Delete(reply);
        expo_drop(&c[5]);
    } else {
        it_log("6th connection refused: %s (HTTP %d)", ws_strerror(r), c[5].ws.http_status);
    }
    /* The five are unaffected; after one leaves, a new one is admitted. */
    for (int i = 0; i < 5; i++) cJSON_Delete(EXPO_OK(&c[i], "sys.ping", NULL));
    expo_close(&c[0]);
    it_sleep_ms(300);
    expo_connect(&c[0], na.port, "c0-again");
    cJSON_Delete(EXPO_OK(&c[0], "sys.ping", NULL));
    for (int i = 0; i < 5; i++) expo_close(&c[i]);

    /* The default admits an office of buyers behind one address. */
    ASSERT_EQ(boothd_stop(&na), 0);
    struct boothd_opts d = {.db_url = pg.url, .node_id = "default-cap"};
    boothd_start(&na, &d, 40000);
    enum { OFFICE = 120 };
    static struct expo many[OFFICE];
    for (int i = 0; i < OFFICE; i++) {
        char label[16];
        snprintf(label, sizeof label, "o%d", i);
        expo_connect(&many[i], na.port, label);
    }
    for (int i = 0; i < OFFICE; i += 17) cJSON_Delete(EXPO_OK(&many[i], "sys.ping", NULL));
    for (int i = 0; i < OFFICE; i++) expo_close(&many[i]);
}

static const struct it_test tests[] = {
    {"auth", test_auth, 120},
    {"unauthenticated", test_unauthenticated, 90},
    {"hall", test_hall, 90},
    {"booth_get", test_booth_get, 90},
    {"chat_two_nodes", test_chat_two_nodes, 120},
    {"idempotent_resend", test_idempotent, 120},
    {"since_seq_resume", test_since_seq, 120},
    {"since_seq_truncated", test_since_seq_truncated, 120},
    {"presence_two_nodes", test_presence, 120},
    {"multi_booth", test_multi_booth, 90},
    {"kill9_presence", test_kill9_presence, 120},
    {"pg_restart_chat", test_pg_restart_chat, 180},
    {"authorization", test_authorization, 120},
    {"flooding", test_flooding, 90},
    {"conn_cap", test_conn_cap, 120},
    {NULL, NULL, 0},
};

int main(int argc, char **argv) { return it_main(argc, argv, tests); }
