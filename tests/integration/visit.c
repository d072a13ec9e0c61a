/* visit.c — see visit.h. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "visit.h"


struct pg_cluster pg;
struct boothd na, nb;

void up(int nodes) { up_with(nodes, NULL); }

void up_with(int nodes, const char *const *extra_args) { it_demo_up_with(&pg, &na, &nb, nodes, extra_args); }

/* ---- accounts ---------------------------------------------------------------------------- */


void fill_user(struct user *u, const cJSON *user)
{
    snprintf(u->id, sizeof u->id, "%s", json_text(JGET(user, "id")));
    snprintf(u->name, sizeof u->name, "%s", JSTR(user, "name"));
    snprintf(u->role, sizeof u->role, "%s", JSTR(user, "role"));
}

void do_register(struct expo *c, struct user *u, const char *name, const char *email)
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

void do_login(struct expo *c, struct user *u, const char *email, const char *pw)
{
    memset(u, 0, sizeof *u);
    cJSON *d = EXPO_OK(c, "auth.login", "{\"email\":%s,\"password\":%s}", json_quote(email), json_quote(pw));
    snprintf(u->email, sizeof u->email, "%s", email);
    snprintf(u->token, sizeof u->token, "%s", JSTR(d, "token"));
    fill_user(u, JGET(d, "user"));
    cJSON_Delete(d);
}

void do_resume(struct expo *c, const struct user *u)
{
    cJSON *d = EXPO_OK(c, "auth.resume", "{\"token\":%s}", json_quote(u->token));
    const cJSON *user = JGET(d, "user");
    ASSERT_STR_EQ(json_text(JGET(user, "id")), u->id);
    cJSON_Delete(d);
}

/* A connection on `port` signed in as a newly registered visitor. */
void visitor(struct expo *c, struct user *u, int port, const char *name)
{
    char email[128];
    snprintf(email, sizeof email, "%s@it.example", name);
    expo_connect(c, port, name);
    do_register(c, u, name, email);
}

/* ---- booths ------------------------------------------------------------------------------ */


void booth_from(struct booth *b, const cJSON *j)
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
void hall_booth(struct expo *c, int index, struct booth *b)
{
    cJSON *d = EXPO_OK(c, "hall.list", "{\"offset\":%d,\"limit\":1}", index);
    const cJSON *booths = JGET(d, "booths");
    if (cJSON_GetArraySize(booths) != 1) FAIL("hall.list offset %d limit 1: %s", index, json_text(d));
    booth_from(b, cJSON_GetArrayItem(booths, 0));
    cJSON_Delete(d);
}

/* The hall.list summary of booth b (searching pages of 100). NULL if not listed. */
cJSON *hall_entry(struct expo *c, const struct booth *b)
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
void check_hall_counts(struct expo *c, const struct booth *b, int visitors, int staff)
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
void wait_sql_count(const char *sql, long want)
{
    double deadline = it_now() + it_ms(3000) / 1000.0;
    for (;;) {
        long v = psql_long(pg.url, sql);
        if (v == want) return;
        if (it_now() > deadline) FAIL("%s returned %ld, expected %ld", sql, v, want);
        it_sleep_ms(100);
    }
}

int same_id(const cJSON *v, const char *id_text) { return strcmp(json_text(v), id_text) == 0; }

/* An id's JSON text as an SQL literal: numbers as they are, strings without their quotes
 * (ids are bigint in the schema; a server may still send them as strings). */
const char *sql_id(const char *json_id)
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
cJSON *enter(struct expo *c, const struct booth *b)
{
    cJSON *d = EXPO_OK(c, "booth.enter", "{\"booth_id\":%s}", b->id);
    JINT(d, "visitors_now");
    JINT(d, "last_seq");
    if (!cJSON_IsArray(JGET(d, "messages"))) FAIL("booth.enter messages is not an array: %s", json_text(d));
    return d;
}

long long enter_last_seq(struct expo *c, const struct booth *b)
{
    cJSON *d = enter(c, b);
    long long s = JINT(d, "last_seq");
    cJSON_Delete(d);
    return s;
}

long long two_in_booth(struct expo *a, struct user *ua, const char *name_a, int port_a,
                       struct expo *b, struct user *ub, const char *name_b, int port_b,
                       int booth_index, struct booth *x)
{
    visitor(a, ua, port_a, name_a);
    visitor(b, ub, port_b, name_b);
    hall_booth(a, booth_index, x);
    long long l0 = enter_last_seq(a, x);
    enter_last_seq(b, x);
    return l0;
}

void forget_events(struct expo *c)
{
    expo_pump(c, 100);
    expo_discard_events(c, NULL);
}

/* Waits for presence.changed of booth b with these counts (staff -1: any), skipping others. */
void wait_presence_at(const char *file, int line, struct expo *c, const struct booth *b, int visitors,
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

/* ---- chat -------------------------------------------------------------------------------- */

/* Checks the shape of a message; returns its seq. */
long long check_message_at(const char *file, int line, const cJSON *m, const struct booth *b,
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

/* chat.send that must succeed; returns the message (free it). */
cJSON *send_ok_at(const char *file, int line, struct expo *c, const struct booth *b, const char *text,
                         const char *cmid)
{
    cJSON *d = expo_ok_at(file, line, c, "chat.send", "{\"booth_id\":%s,\"text\":%s,\"client_msg_id\":%s}", b->id,
                          json_quote(text), json_quote(cmid));
    cJSON *m = cJSON_DetachItemFromObjectCaseSensitive(d, "message");
    if (!cJSON_IsObject(m)) it_fail(file, line, "chat.send reply without message: %s", json_text(d));
    cJSON_Delete(d);
    return m;
}

/* Collects the next n chat.message events of booth b; stores seqs (and message ids as JSON
 * text if ids != NULL). Fails on an event of another booth. */
void collect_chat_at(const char *file, int line, struct expo *c, const struct booth *b, int n,
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

/* Pace for chat.send: the server allows a burst of ~10 then ~2/s per session. */
