/* live_stats.c — see live_stats.h. */
#include "domains/organizer/live_stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "core/app.h"
#include "core/protocol.h"
#include "core/room.h"
#include "core/session.h"
#include "db/db.h"
#include "util/log.h"
#include "util/metrics.h"
#include "util/timefmt.h"

#define NODE_STATS_COLS "sessions, signed_in, visitors_in_booths, staff_online, chat_per_min, booths"
#define UPSERT_OWN \
    "INSERT INTO node_stats (node_id, updated_at, " NODE_STATS_COLS ")" \
    " VALUES ($1, now(), $2, $3, $4, $5, $6, $7::jsonb)" \
    " ON CONFLICT (node_id) DO UPDATE SET updated_at = now(), sessions = EXCLUDED.sessions," \
    " signed_in = EXCLUDED.signed_in, visitors_in_booths = EXCLUDED.visitors_in_booths," \
    " staff_online = EXCLUDED.staff_online, chat_per_min = EXCLUDED.chat_per_min, booths = EXCLUDED.booths"

/* No local subscriber: only publish this node's counters for the others. */
static struct db_stmt q_publish = DB_STMT("stats_publish", UPSERT_OWN);
/* Publish and read every other node's fresh row, in one round trip. The CTE's snapshot does
 * not see our own upsert, which is why our row is excluded and added from memory. */
static struct db_stmt q_tick = DB_STMT("stats_tick",
    "WITH up AS (" UPSERT_OWN ")"
    " SELECT node_id, " NODE_STATS_COLS "::text FROM node_stats"
    " WHERE node_id <> $1 AND updated_at > now() - make_interval(secs => $8) ORDER BY node_id");
/* Range scans over today's rows only (indexes meetings_created_idx, meetings_updated_idx,
 * accounts_created_idx); "today" is the expo's calendar day in its time zone. A meeting counts
 * as accepted (declined) today when its status is that now and it last changed today. */
static struct db_stmt q_today = DB_STMT("stats_today",
    "WITH d AS (SELECT date_trunc('day', now() AT TIME ZONE time_zone) AT TIME ZONE time_zone AS day FROM expo)"
    " SELECT (SELECT count(*) FROM meetings m, d WHERE m.created_at >= d.day),"
    "  (SELECT count(*) FROM meetings m, d WHERE m.updated_at >= d.day AND m.status = 'accepted'),"
    "  (SELECT count(*) FROM meetings m, d WHERE m.updated_at >= d.day AND m.status = 'declined'),"
    "  (SELECT count(*) FROM accounts a, d WHERE a.created_at >= d.day AND a.role = 'visitor')");
static struct db_stmt q_names = DB_STMT("stats_booth_names",
    "SELECT id, name_en, name_ko FROM booths ORDER BY sort_order, id LIMIT 5000");
/* The minute that just ended, from the fresh rows; the first node to insert it wins. Rows of
 * nodes gone for an hour are dropped on the way. */
static struct db_stmt q_rollup = DB_STMT("stats_rollup",
    "WITH f AS (SELECT * FROM node_stats WHERE updated_at > now() - make_interval(secs => $1)),"
    " gone AS (DELETE FROM node_stats WHERE updated_at < now() - interval '1 hour')"
    " INSERT INTO stats_minute (minute, nodes, sessions, signed_in, visitors_in_booths, staff_online, chat_messages)"
    " SELECT date_trunc('minute', now()) - interval '1 minute', count(*), coalesce(sum(sessions), 0),"
    "  coalesce(sum(signed_in), 0), coalesce(sum(visitors_in_booths), 0), coalesce(sum(staff_online), 0),"
    "  coalesce(sum(chat_per_min), 0) FROM f"
    " ON CONFLICT (minute) DO NOTHING");
static struct db_stmt q_leave = DB_STMT("stats_leave", "DELETE FROM node_stats WHERE node_id = $1");

struct booth_count { int64_t id; int visitors, staff; };
struct booth_name { int64_t id; char *en, *ko; };

/* One node's figures, ours from memory or another's from its row. */
struct figures {
    int sessions, signed_in, visitors, staff, chat_per_min;
};

#define CHAT_RING 61            /* cumulative chat counts of the last 60 s, one per tick */

struct live_stats {
    struct app *app;
    uv_timer_t timer;
    bool stopping;
    unsigned ticks;
    struct session **subs;
    size_t n_subs, cap_subs;
    uint64_t chat_ring[CHAT_RING];

    /* this tick's own figures, kept until the tick's query answers */
    struct figures own;
    struct booth_count *own_booths;
    size_t n_own_booths, cap_own_booths;
    bool tick_inflight;

    cJSON *today;               /* latest "today" object, NULL before the first answer */
    bool today_inflight;
    struct booth_name *names;   /* booth id order: sort_order, id */
    size_t n_names;
    bool names_inflight;
    long last_minute;
    cJSON *last;                /* latest stats.live data, for a new subscriber's reply */
};

/* ---------- counting this node ---------- */

static void count_booth(struct live_stats *ls, int64_t id, bool staff)
{
    if (ls->n_own_booths == ls->cap_own_booths) {
        ls->cap_own_booths = ls->cap_own_booths ? ls->cap_own_booths * 2 : 64;
        ls->own_booths = realloc(ls->own_booths, sizeof *ls->own_booths * ls->cap_own_booths);
        if (!ls->own_booths) abort();
    }
    ls->own_booths[ls->n_own_booths++] = (struct booth_count){id, staff ? 0 : 1, staff ? 1 : 0};
}

static void count_session(struct session *s, void *arg)
{
    struct live_stats *ls = arg;
    ls->own.sessions++;
    if (s->account_id) ls->own.signed_in++;
    for (int i = 0; i < s->n_rooms; i++) {
        const struct member *m = s->rooms[i];
        if (!strcmp(m->role, "visitor")) { ls->own.visitors++; count_booth(ls, m->booth_id, false); }
        else if (!strcmp(m->role, "staff")) { ls->own.staff++; count_booth(ls, m->booth_id, true); }
    }
}

static int cmp_booth_count(const void *a, const void *b)
{
    int64_t x = ((const struct booth_count *)a)->id, y = ((const struct booth_count *)b)->id;
    return x < y ? -1 : x > y;
}

/* Sorts and folds equal ids; returns the new length. */
static size_t fold_counts(struct booth_count *c, size_t n)
{
    if (!n) return 0;
    qsort(c, n, sizeof *c, cmp_booth_count);
    size_t w = 0;
    for (size_t i = 1; i < n; i++) {
        if (c[i].id == c[w].id) { c[w].visitors += c[i].visitors; c[w].staff += c[i].staff; }
        else c[++w] = c[i];
    }
    return w + 1;
}

static void count_own(struct live_stats *ls)
{
    memset(&ls->own, 0, sizeof ls->own);
    ls->n_own_booths = 0;
    sessions_foreach(ls->app->sessions, count_session, ls);
    ls->n_own_booths = fold_counts(ls->own_booths, ls->n_own_booths);
    uint64_t chat = metrics_requests_ok("chat.send");
    ls->chat_ring[ls->ticks % CHAT_RING] = chat;
    unsigned back = ls->ticks < CHAT_RING - 1 ? ls->ticks : CHAT_RING - 1;
    ls->own.chat_per_min = (int)(chat - ls->chat_ring[(ls->ticks - back) % CHAT_RING]);
}

/* {"<booth id>": [visitors, staff], ...} */
static char *own_booths_json(const struct live_stats *ls)
{
    cJSON *o = cJSON_CreateObject();
    for (size_t i = 0; i < ls->n_own_booths; i++) {
        char key[24];
        snprintf(key, sizeof key, "%lld", (long long)ls->own_booths[i].id);
        cJSON *pair = cJSON_CreateArray();
        cJSON_AddItemToArray(pair, cJSON_CreateNumber(ls->own_booths[i].visitors));
        cJSON_AddItemToArray(pair, cJSON_CreateNumber(ls->own_booths[i].staff));
        cJSON_AddItemToObject(o, key, pair);
    }
    char *s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return s;
}

/* ---------- the payload ---------- */

static const struct booth_name *find_name(const struct live_stats *ls, int64_t id)
{
    for (size_t i = 0; i < ls->n_names; i++)
        if (ls->names[i].id == id) return &ls->names[i];
    return NULL;
}

static cJSON *booth_json(const struct live_stats *ls, int64_t id, int visitors, int staff)
{
    cJSON *b = cJSON_CreateObject();
    cJSON_AddNumberToObject(b, "booth_id", (double)id);
    const struct booth_name *n = find_name(ls, id);
    cJSON *name = cJSON_AddObjectToObject(b, "name");
    cJSON_AddStringToObject(name, "en", n ? n->en : "");
    cJSON_AddStringToObject(name, "ko", n ? n->ko : "");
    cJSON_AddNumberToObject(b, "visitors", visitors);
    cJSON_AddNumberToObject(b, "staff", staff);
    return b;
}

static int cmp_top(const void *a, const void *b)
{
    const struct booth_count *x = a, *y = b;
    if (x->visitors != y->visitors) return y->visitors - x->visitors;
    return x->id < y->id ? -1 : x->id > y->id;
}

static void add_node(cJSON *nodes, const char *id, const struct figures *f)
{
    cJSON *n = cJSON_CreateObject();
    cJSON_AddStringToObject(n, "node_id", id);
    cJSON_AddNumberToObject(n, "sessions", f->sessions);
    cJSON_AddNumberToObject(n, "signed_in", f->signed_in);
    cJSON_AddItemToArray(nodes, n);
}

/* Adds one node's booth JSON ({"id": [v, s]}) to the counts. */
static void add_booths_json(struct booth_count **c, size_t *n, size_t *cap, const char *json)
{
    cJSON *o = cJSON_ParseWithLength(json, strlen(json));
    const cJSON *e;
    cJSON_ArrayForEach(e, o) {
        if (!cJSON_IsArray(e) || cJSON_GetArraySize(e) != 2) continue;
        if (*n == *cap) {
            *cap = *cap ? *cap * 2 : 64;
            *c = realloc(*c, sizeof **c * *cap);
            if (!*c) abort();
        }
        (*c)[(*n)++] = (struct booth_count){strtoll(e->string, NULL, 10),
                                            cJSON_GetArrayItem(e, 0)->valueint, cJSON_GetArrayItem(e, 1)->valueint};
    }
    cJSON_Delete(o);
}

/* Every booth (from the name cache, in hall order) with its counts; booths missing from the
 * cache (created in the last LIVE_BOOTHS_EVERY seconds) follow. Returns how many have no
 * staff online. */
static int add_booth_list(const struct live_stats *ls, cJSON *list, const struct booth_count *c, size_t n)
{
    int without_staff = 0;
    for (size_t i = 0; i < ls->n_names; i++) {
        struct booth_count key = {.id = ls->names[i].id};
        const struct booth_count *hit = bsearch(&key, c, n, sizeof *c, cmp_booth_count);
        int v = hit ? hit->visitors : 0, s = hit ? hit->staff : 0;
        if (!s) without_staff++;
        cJSON_AddItemToArray(list, booth_json(ls, ls->names[i].id, v, s));
    }
    for (size_t i = 0; i < n; i++)
        if (!find_name(ls, c[i].id)) cJSON_AddItemToArray(list, booth_json(ls, c[i].id, c[i].visitors, c[i].staff));
    return without_staff;
}

static void publish(struct live_stats *ls, const struct db_result *res)
{
    struct figures sum = ls->own;
    cJSON *d = cJSON_CreateObject();
    struct timeval tv;
    gettimeofday(&tv, NULL);
    char at[40];
    timefmt_rfc3339_ms((int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000, at, sizeof at);
    cJSON_AddStringToObject(d, "at", at);

    /* nodes in id order: ours goes where it sorts */
    cJSON *nodes = cJSON_CreateArray();
    size_t cap = ls->n_own_booths + 64, n = ls->n_own_booths;
    struct booth_count *c = malloc(sizeof *c * cap);
    if (!c) abort();
    if (n) memcpy(c, ls->own_booths, sizeof *c * n);
    bool own_added = false;
    const char *self = ls->app->cfg->node_id;
    for (int i = 0; i < db_result_rows(res); i++) {
        const char *id = db_result_value(res, i, 0);
        if (!own_added && strcmp(self, id) < 0) { add_node(nodes, self, &ls->own); own_added = true; }
        struct figures f = {(int)db_result_int64(res, i, 1), (int)db_result_int64(res, i, 2),
                            (int)db_result_int64(res, i, 3), (int)db_result_int64(res, i, 4),
                            (int)db_result_int64(res, i, 5)};
        add_node(nodes, id, &f);
        sum.sessions += f.sessions;
        sum.signed_in += f.signed_in;
        sum.visitors += f.visitors;
        sum.staff += f.staff;
        sum.chat_per_min += f.chat_per_min;
        add_booths_json(&c, &n, &cap, db_result_value(res, i, 6));
    }
    if (!own_added) add_node(nodes, self, &ls->own);
    n = fold_counts(c, n);

    cJSON_AddNumberToObject(d, "sessions", sum.sessions);
    cJSON_AddNumberToObject(d, "signed_in", sum.signed_in);
    cJSON_AddNumberToObject(d, "visitors_in_booths", sum.visitors);
    cJSON_AddNumberToObject(d, "staff_online", sum.staff);
    cJSON_AddNumberToObject(d, "chat_per_min", sum.chat_per_min);
    cJSON_AddItemToObject(d, "nodes", nodes);

    struct booth_count *top = malloc(sizeof *top * (n ? n : 1));
    if (!top) abort();
    if (n) memcpy(top, c, sizeof *c * n);
    qsort(top, n, sizeof *top, cmp_top);
    cJSON *tl = cJSON_AddArrayToObject(d, "top_booths");
    for (size_t i = 0; i < n && i < LIVE_TOP_BOOTHS && top[i].visitors > 0; i++)
        cJSON_AddItemToArray(tl, booth_json(ls, top[i].id, top[i].visitors, top[i].staff));
    free(top);
    cJSON *bl = cJSON_AddArrayToObject(d, "booths");
    cJSON_AddNumberToObject(d, "booths_without_staff", add_booth_list(ls, bl, c, n));
    free(c);
    cJSON_AddItemToObject(d, "today", ls->today ? cJSON_Duplicate(ls->today, true) : cJSON_CreateNull());

    cJSON_Delete(ls->last);
    ls->last = cJSON_Duplicate(d, true);
    /* One encoded message, one reference per subscriber. */
    struct outmsg *m = protocol_event("stats.live", d);
    for (size_t i = 0; i < ls->n_subs; i++) session_send(ls->subs[i], m);
    outmsg_unref(m);
}

/* ---------- queries ---------- */

static void on_tick(void *arg, const struct db_result *res)
{
    struct live_stats *ls = arg;
    ls->tick_inflight = false;
    if (db_result_status(res) != DB_OK) {
        log_debug("stats: tick failed: %s", db_result_message(res));
        return;
    }
    if (ls->n_subs && !ls->stopping) publish(ls, res);
}

static void on_today(void *arg, const struct db_result *res)
{
    struct live_stats *ls = arg;
    ls->today_inflight = false;
    if (db_result_status(res) != DB_OK || db_result_rows(res) != 1) return;
    cJSON *t = cJSON_CreateObject();
    cJSON_AddNumberToObject(t, "meetings_requested", (double)db_result_int64(res, 0, 0));
    cJSON_AddNumberToObject(t, "meetings_accepted", (double)db_result_int64(res, 0, 1));
    cJSON_AddNumberToObject(t, "meetings_declined", (double)db_result_int64(res, 0, 2));
    cJSON_AddNumberToObject(t, "registrations", (double)db_result_int64(res, 0, 3));
    cJSON_Delete(ls->today);
    ls->today = t;
}

static void free_names(struct live_stats *ls)
{
    for (size_t i = 0; i < ls->n_names; i++) { free(ls->names[i].en); free(ls->names[i].ko); }
    free(ls->names);
    ls->names = NULL;
    ls->n_names = 0;
}

static void on_names(void *arg, const struct db_result *res)
{
    struct live_stats *ls = arg;
    ls->names_inflight = false;
    if (db_result_status(res) != DB_OK) return;
    free_names(ls);
    int rows = db_result_rows(res);
    ls->names = calloc((size_t)rows + 1, sizeof *ls->names);
    if (!ls->names) abort();
    for (int i = 0; i < rows; i++)
        ls->names[i] = (struct booth_name){db_result_int64(res, i, 0), strdup(db_result_value(res, i, 1)),
                                           strdup(db_result_value(res, i, 2))};
    ls->n_names = (size_t)rows;
}

static void on_rollup(void *arg, const struct db_result *res)
{
    (void)arg;
    if (db_result_status(res) != DB_OK) log_debug("stats: minute rollup failed: %s", db_result_message(res));
}

static void send_tick(struct live_stats *ls)
{
    char p[5][16], fresh[16];
    snprintf(p[0], sizeof p[0], "%d", ls->own.sessions);
    snprintf(p[1], sizeof p[1], "%d", ls->own.signed_in);
    snprintf(p[2], sizeof p[2], "%d", ls->own.visitors);
    snprintf(p[3], sizeof p[3], "%d", ls->own.staff);
    snprintf(p[4], sizeof p[4], "%d", ls->own.chat_per_min);
    snprintf(fresh, sizeof fresh, "%d", LIVE_FRESH_S);
    char *booths = own_booths_json(ls);
    const char *params[] = {ls->app->cfg->node_id, p[0], p[1], p[2], p[3], p[4], booths, fresh};
    bool read = ls->n_subs > 0;
    if (db_query(ls->app->db, read ? &q_tick : &q_publish, read ? 8 : 7, params, on_tick, ls) == 0)
        ls->tick_inflight = true;
    free(booths);
}

static void tick(uv_timer_t *t)
{
    struct live_stats *ls = t->data;
    ls->ticks++;
    count_own(ls);
    /* A tick whose query is still out is skipped, not queued: the next one carries fresher
     * figures, and a slow database gets one statement per node at a time from us. */
    if (!ls->tick_inflight) send_tick(ls);
    if (ls->n_subs) {
        if (!ls->today_inflight && (!ls->today || ls->ticks % LIVE_TODAY_EVERY == 0) &&
            db_query(ls->app->db, &q_today, 0, NULL, on_today, ls) == 0)
            ls->today_inflight = true;
        if (!ls->names_inflight && (!ls->names || ls->ticks % LIVE_BOOTHS_EVERY == 0) &&
            db_query(ls->app->db, &q_names, 0, NULL, on_names, ls) == 0)
            ls->names_inflight = true;
    }
    long minute = (long)(time(NULL) / 60);
    if (ls->last_minute && minute != ls->last_minute) {
        char fresh[16];
        snprintf(fresh, sizeof fresh, "%d", LIVE_FRESH_S);
        const char *p[] = {fresh};
        if (db_query(ls->app->db, &q_rollup, 1, p, on_rollup, ls)) log_debug("stats: rollup not sent");
    }
    ls->last_minute = minute;
}

/* ---------- lifecycle and subscribers ---------- */

struct live_stats *live_stats_new(struct app *app)
{
    struct live_stats *ls = calloc(1, sizeof *ls);
    if (!ls) abort();
    ls->app = app;
    uv_timer_init(&app->loop, &ls->timer);
    ls->timer.data = ls;
    return ls;
}

void live_stats_start(struct live_stats *ls) { uv_timer_start(&ls->timer, tick, LIVE_TICK_MS, LIVE_TICK_MS); }

void live_stats_stop(struct live_stats *ls)
{
    ls->stopping = true;
    uv_timer_stop(&ls->timer);
    const char *p[] = {ls->app->cfg->node_id};
    if (db_query(ls->app->db, &q_leave, 1, p, NULL, NULL)) log_debug("stats: leave not sent");
}

static void on_timer_closed(uv_handle_t *h)
{
    struct live_stats *ls = h->data;
    free_names(ls);
    cJSON_Delete(ls->today);
    cJSON_Delete(ls->last);
    free(ls->own_booths);
    free(ls);
}

void live_stats_free(struct live_stats *ls)
{
    for (size_t i = 0; i < ls->n_subs; i++) session_unref(ls->subs[i]);
    free(ls->subs);
    ls->subs = NULL;
    ls->n_subs = 0;
    uv_close((uv_handle_t *)&ls->timer, on_timer_closed);
}

cJSON *live_stats_subscribe(struct live_stats *ls, struct session *s)
{
    bool found = false;
    for (size_t i = 0; i < ls->n_subs && !found; i++) found = ls->subs[i] == s;
    if (!found) {
        if (ls->n_subs == ls->cap_subs) {
            ls->cap_subs = ls->cap_subs ? ls->cap_subs * 2 : 8;
            ls->subs = realloc(ls->subs, sizeof *ls->subs * ls->cap_subs);
            if (!ls->subs) abort();
        }
        ls->subs[ls->n_subs++] = session_ref(s);
    }
    return ls->last ? cJSON_Duplicate(ls->last, true) : NULL;
}

void live_stats_unsubscribe(struct live_stats *ls, struct session *s)
{
    for (size_t i = 0; i < ls->n_subs; i++)
        if (ls->subs[i] == s) {
            ls->subs[i] = ls->subs[--ls->n_subs];
            session_unref(s);
            if (!ls->n_subs) {          /* a later first subscriber must not get old figures */
                cJSON_Delete(ls->last);
                ls->last = NULL;
            }
            return;
        }
}

void live_stats_session_gone(struct live_stats *ls, struct session *s) { live_stats_unsubscribe(ls, s); }
