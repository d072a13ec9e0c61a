/* analytics.c — analytics.booth, analytics.unwatch and the analytics.now counters
 * (analytics.h). */
#include "domains/analytics/analytics.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/app.h"
#include "core/request.h"
#include "core/session.h"
#include "db/db.h"
#include "domains/analytics/rollup.h"
#include "domains/presence/presence.h"
#include "util/log.h"

/* The verdict, the totals and the now counters; nothing is read unless booth_access allowed. */
static struct db_stmt q_totals = DB_STMT("analytics_totals",
    "WITH acc AS (SELECT booth_access($1, $2, $3::boolean) AS err)"
    " SELECT acc.err, (SELECT row_to_json(t)::text FROM analytics_totals($1) t WHERE acc.err IS NULL),"
    "  " SQL_PRESENCE_COUNTS("$1")
    " FROM acc");
static struct db_stmt q_hourly = DB_STMT("analytics_hourly",
    "SELECT b.time_zone, coalesce((SELECT json_agg(json_build_object("
    "   'hour', rfc3339_in_zone(h.hour_start, b.time_zone), 'visits', h.visits,"
    "   'unique_visitors', h.unique_visitors, 'avg_dwell_seconds', h.avg_dwell_seconds,"
    "   'chat_messages', h.chat_messages, 'meeting_requests', h.meeting_requests,"
    "   'meetings_accepted', h.meetings_accepted, 'leads', h.leads) ORDER BY h.hour_start)"
    "  FROM analytics_hourly($1) h), '[]')::text"
    " FROM booths b WHERE b.id = $1");
static struct db_stmt q_now = DB_STMT("analytics_now",
    "SELECT b, " SQL_PRESENCE_COUNTS("b") " FROM unnest($1::bigint[]) AS b");

struct watch { struct session *s; int64_t booth_id; };
struct counts { int64_t booth_id, visitors_now, staff_online; };

/* Invariants: watches holds open sessions only (on_session_gone removes them); the timer runs
 * while n_watches > 0; last[] holds the counts last sent, per watched booth. */
struct analytics {
    struct app *app;
    uv_timer_t timer;
    struct rollup *rollup;
    struct watch *watches;
    size_t n_watches, cap_watches;
    struct counts *last;
    size_t n_last;
    bool querying, closing;
};

/* ---------- watches ---------- */

static void on_tick(uv_timer_t *t);

static void unwatch(struct analytics *a, const struct session *s)
{
    for (size_t i = 0; i < a->n_watches; i++)
        if (a->watches[i].s == s) { a->watches[i] = a->watches[--a->n_watches]; return; }
}

static void watch(struct analytics *a, struct session *s, int64_t booth_id, int64_t visitors, int64_t staff)
{
    unwatch(a, s);
    if (a->n_watches == a->cap_watches) {
        a->cap_watches = a->cap_watches ? 2 * a->cap_watches : 16;
        a->watches = realloc(a->watches, a->cap_watches * sizeof *a->watches);
        if (!a->watches) abort();
    }
    a->watches[a->n_watches++] = (struct watch){s, booth_id};
    bool known = false;
    for (size_t i = 0; i < a->n_last && !known; i++) known = a->last[i].booth_id == booth_id;
    if (!known) {       /* the reply carried these counts: the next event only on a change */
        a->last = realloc(a->last, (a->n_last + 1) * sizeof *a->last);
        if (!a->last) abort();
        a->last[a->n_last++] = (struct counts){booth_id, visitors, staff};
    }
    if (!uv_is_active((uv_handle_t *)&a->timer)) uv_timer_start(&a->timer, on_tick, ANALYTICS_NOW_MS, ANALYTICS_NOW_MS);
}

static const struct counts *last_of(const struct analytics *a, int64_t booth_id)
{
    for (size_t i = 0; i < a->n_last; i++)
        if (a->last[i].booth_id == booth_id) return &a->last[i];
    return NULL;
}

static void on_now(void *arg, const struct db_result *res)
{
    struct analytics *a = arg;
    a->querying = false;
    if (a->closing || db_result_status(res) != DB_OK) return;    /* next tick tries again */
    int rows = db_result_rows(res);
    struct counts *fresh = calloc((size_t)rows + 1, sizeof *fresh);
    if (!fresh) abort();
    for (int i = 0; i < rows; i++) {
        struct counts c = {db_result_int64(res, i, 0), db_result_int64(res, i, 1), db_result_int64(res, i, 2)};
        fresh[i] = c;
        const struct counts *old = last_of(a, c.booth_id);
        if (old && old->visitors_now == c.visitors_now && old->staff_online == c.staff_online) continue;
        cJSON *d = cJSON_CreateObject();
        cJSON_AddNumberToObject(d, "booth_id", (double)c.booth_id);
        cJSON_AddNumberToObject(d, "visitors_now", (double)c.visitors_now);
        cJSON_AddNumberToObject(d, "staff_online", (double)c.staff_online);
        struct outmsg *ev = protocol_event("analytics.now", d);
        for (size_t w = 0; w < a->n_watches; w++)
            if (a->watches[w].booth_id == c.booth_id) session_send(a->watches[w].s, ev);
        outmsg_unref(ev);
    }
    free(a->last);              /* booths nobody watches any more drop out here */
    a->last = fresh;
    a->n_last = (size_t)rows;
}

/* Once a second while anyone watches: one query for every watched booth of this node. */
static void on_tick(uv_timer_t *t)
{
    struct analytics *a = t->data;
    if (!a->n_watches) { uv_timer_stop(&a->timer); return; }
    if (a->querying) return;
    size_t cap = a->n_watches * 21 + 3, len = 0;
    char *lit = malloc(cap);
    if (!lit) abort();
    lit[len++] = '{';
    for (size_t i = 0; i < a->n_watches; i++) {
        bool dup = false;
        for (size_t k = 0; k < i && !dup; k++) dup = a->watches[k].booth_id == a->watches[i].booth_id;
        if (!dup) len += (size_t)snprintf(lit + len, cap - len, "%s%lld", len > 1 ? "," : "", (long long)a->watches[i].booth_id);
    }
    lit[len++] = '}';
    lit[len] = 0;
    const char *p[] = {lit};
    a->querying = db_query(a->app->db, &q_now, 1, p, on_now, a) == 0;
    free(lit);
}

/* ---------- analytics.booth ---------- */

struct booth_req { struct request *r; int64_t booth_id; cJSON *reply; int64_t visitors, staff; };

static void on_hourly(void *arg, const struct db_result *res)
{
    struct booth_req *b = arg;
    struct request *r = b->r;
    cJSON *d = b->reply;
    if (db_result_status(res) != DB_OK) { cJSON_Delete(d); free(b); request_db_error(r, res); return; }
    if (db_result_rows(res) != 1) { cJSON_Delete(d); free(b); request_error(r, PROTO_NOT_FOUND, "no such booth"); return; }
    cJSON_AddStringToObject(d, "time_zone", db_result_value(res, 0, 0));
    cJSON_AddRawToObject(d, "hourly", db_result_value(res, 0, 1));
    if (session_is_open(r->s)) watch(r->self, r->s, b->booth_id, b->visitors, b->staff);
    free(b);
    request_ok(r, d);
}

static void on_totals(void *arg, const struct db_result *res)
{
    struct booth_req *b = arg;
    struct request *r = b->r;
    if (db_result_status(res) != DB_OK) { free(b); request_db_error(r, res); return; }
    const char *err = db_result_value(res, 0, 0);
    if (*err) {
        free(b);
        if (!strcmp(err, "forbidden")) request_error(r, PROTO_FORBIDDEN, "only this booth's staff or an organizer may see its analytics");
        else request_error(r, PROTO_NOT_FOUND, "no such booth");
        return;
    }
    b->visitors = db_result_int64(res, 0, 2);
    b->staff = db_result_int64(res, 0, 3);
    b->reply = cJSON_CreateObject();
    cJSON_AddNumberToObject(b->reply, "booth_id", (double)b->booth_id);
    cJSON_AddRawToObject(b->reply, "totals", db_result_value(res, 0, 1));
    cJSON *now = cJSON_AddObjectToObject(b->reply, "now");
    cJSON_AddNumberToObject(now, "visitors_now", (double)b->visitors);
    cJSON_AddNumberToObject(now, "staff_online", (double)b->staff);
    char idb[REQUEST_INT_LEN];
    const char *p[] = {request_int(idb, b->booth_id)};
    if (request_query(r, &q_hourly, 1, p, on_hourly, b)) { cJSON_Delete(b->reply); free(b); }
}

/* {booth_id} -> {booth_id, time_zone, totals, hourly: [...], now: {visitors_now, staff_online}};
 * then analytics.now events for that booth. */
static void handle_booth(struct request *r)
{
    char err[200];
    int64_t booth_id;
    if (proto_get_int(r->data, "booth_id", true, 1, INT64_C(9007199254740991), &booth_id, err, sizeof err)) {
        request_error(r, PROTO_BAD_REQUEST, "%s", err);
        return;
    }
    struct booth_req *b = calloc(1, sizeof *b);
    if (!b) abort();
    b->r = r;
    b->booth_id = booth_id;
    char idb[REQUEST_INT_LEN], acc[REQUEST_INT_LEN];
    const char *p[] = {request_int(idb, booth_id), request_int(acc, r->s->account_id),
                       r->s->role == ROLE_ORGANIZER ? "true" : "false"};
    if (request_query(r, &q_totals, 3, p, on_totals, b)) free(b);
}

/* {} -> {}: no more analytics.now for this session. */
static void handle_unwatch(struct request *r)
{
    unwatch(r->self, r->s);
    request_ok(r, NULL);
}

/* ---------- the domain ---------- */

static void on_session_gone(void *self, struct session *s) { unwatch(self, s); }

static void *create(struct app *app)
{
    struct analytics *a = calloc(1, sizeof *a);
    if (!a) abort();
    a->app = app;
    uv_timer_init(&app->loop, &a->timer);
    uv_unref((uv_handle_t *)&a->timer);
    a->timer.data = a;
    a->rollup = rollup_new(app);
    return a;
}

static void start(void *self) { rollup_start(((struct analytics *)self)->rollup); }
static void stop(void *self) { rollup_stop(((struct analytics *)self)->rollup); }

static void on_timer_closed(uv_handle_t *h)
{
    struct analytics *a = h->data;
    free(a->watches);
    free(a->last);
    free(a);
}

/* A query still in flight completes (DB_ERR_CLOSED) before the db is freed, which is
 * before destroy: a->closing guards against a late one all the same. */
static void destroy(void *self)
{
    struct analytics *a = self;
    a->closing = true;
    rollup_free(a->rollup);
    uv_close((uv_handle_t *)&a->timer, on_timer_closed);
}

#define STAFF (ROLE_EXHIBITOR | ROLE_ORGANIZER)
static const struct route routes[] = {
    {"analytics.booth", handle_booth, STAFF, RATE_DEFAULT},
    {"analytics.unwatch", handle_unwatch, STAFF, RATE_DEFAULT},
};

const struct domain analytics_domain = {
    .name = "analytics",
    .routes = routes,
    .n_routes = sizeof routes / sizeof routes[0],
    .on_session_gone = on_session_gone,
    .create = create,
    .start = start,
    .stop = stop,
    .destroy = destroy,
};
