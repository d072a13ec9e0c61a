/* presence.c — see presence.h. */
#include "domains/presence/presence.h"

#include <cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "core/app.h"
#include "core/room.h"
#include "util/log.h"
#include "core/protocol.h"
#include "core/session.h"
#include "db/db.h"
#include "domains/presence/node.h"
#include "domains/presence/presence_write.h"

/* One NOTIFY for all the booths this node changed in an announce period. NOTIFY takes a
 * cluster-wide lock at commit: one per enter and per leave was 11 % of the pool's time in the
 * mixed-day benchmark (pg_stat_activity samples). */
static struct db_stmt q_announce = DB_STMT("presence_announce", "SELECT pg_notify('" PRESENCE_CHANNEL "', $1)");
static struct db_stmt q_restore = DB_STMT("presence_restore",
    "WITH i AS (INSERT INTO presence (node_id, session_id, booth_id, account_id, role)"
    "   SELECT $1, s, b, a, r FROM unnest($2::text[], $3::bigint[], $4::bigint[], $5::text[]) AS u(s, b, a, r)"
    /* no foreign keys to booths and accounts (schema.sql, presence_visits_hold()) */
    "   WHERE EXISTS (SELECT 1 FROM booths x WHERE x.id = b) AND EXISTS (SELECT 1 FROM accounts x WHERE x.id = a)"
    "   ON CONFLICT DO NOTHING RETURNING booth_id)"
    " SELECT pg_notify('" PRESENCE_CHANNEL "', booth_id::text) FROM (SELECT DISTINCT booth_id FROM i) x");
static struct db_stmt q_counts = DB_STMT("presence_counts",
    "SELECT b, " SQL_PRESENCE_COUNTS("b") " FROM unnest($1::bigint[]) AS b");

struct presence {
    struct app *app;
    struct node *node;
    struct presence_writer *writer;     /* enters and leaves, grouped (presence_write.h) */
    bool stale;                 /* a presence write failed: the heartbeat reconciles */
    int64_t *dirty;             /* booths whose counts this node must re-read */
    size_t n_dirty, cap_dirty;
    uv_timer_t count_timer;
    bool count_timer_running, querying;
    uint64_t recount_sent_ms, recount_deliveries;   /* the last recount's events (recount_pacing.h) */
    int64_t *changed;           /* booths this node changed and has not announced yet */
    size_t n_changed, cap_changed;
    uv_timer_t announce_timer;
    bool announcing;
    int handles_open;           /* the state is freed when the last handle closed */
};

static bool add_unique(int64_t **set, size_t *n, size_t *cap, int64_t v)
{
    for (size_t i = 0; i < *n; i++) if ((*set)[i] == v) return false;
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        *set = realloc(*set, sizeof **set * *cap);
        if (!*set) abort();
    }
    (*set)[(*n)++] = v;
    return true;
}

bool presence_take_stale(struct presence *p)
{
    bool stale = p->stale;
    p->stale = false;
    return stale;
}

static void on_done(void *arg, const struct db_result *r)
{
    struct presence *p = arg;
    if (db_result_status(r) != DB_OK) {
        log_warn("presence: update failed (%s); reconciling later", db_result_message(r));
        p->stale = true;
    }
}

void presence_mark_stale(struct presence *p) { p->stale = true; }

void presence_enter(struct presence *p, const struct presence_enter_req *req, uint64_t submitted_ms,
                    presence_entered_fn cb, void *arg)
{
    presence_writer_enter(p->writer, req, submitted_ms, cb, arg);
}

void presence_leave(struct presence *p, uint64_t session_id, int64_t booth_id)
{
    presence_writer_leave(p->writer, session_id, booth_id);
}

struct restore_buf { cJSON *s, *b, *a, *r; };

static void collect(struct session *s, void *arg)
{
    struct restore_buf *rb = arg;
    if (s->state != SESSION_OPEN || !s->account_id) return;
    char sid[32];
    presence_session_key(s->id, sid, sizeof sid);
    for (int i = 0; i < s->n_rooms; i++) {
        const struct member *m = s->rooms[i];
        if (!m->role[0]) continue;     /* still inside booth.enter: it writes its own row */
        cJSON_AddItemToArray(rb->s, cJSON_CreateString(sid));
        cJSON_AddItemToArray(rb->b, cJSON_CreateNumber((double)m->booth_id));
        cJSON_AddItemToArray(rb->a, cJSON_CreateNumber((double)s->account_id));
        cJSON_AddItemToArray(rb->r, cJSON_CreateString(m->role));
    }
}

/* JSON arrays [..] -> PostgreSQL array literals {..}: strings are JSON-quoted, which is
 * also valid array-literal quoting for our values (digits and plain words). */
static char *pg_array(cJSON *arr)
{
    char *s = cJSON_PrintUnformatted(arr);
    size_t l = strlen(s);
    s[0] = '{';
    s[l - 1] = '}';
    return s;
}

void presence_restore_all(struct presence *p)
{
    struct restore_buf rb = {cJSON_CreateArray(), cJSON_CreateArray(), cJSON_CreateArray(), cJSON_CreateArray()};
    sessions_foreach(p->app->sessions, collect, &rb);
    char *ps = pg_array(rb.s), *pb = pg_array(rb.b), *pa = pg_array(rb.a), *pr = pg_array(rb.r);
    const char *params[] = {p->app->cfg->node_id, ps, pb, pa, pr};
    if (db_query(p->app->db, &q_restore, 5, params, on_done, p) == 0) p->stale = false;
    free(ps); free(pb); free(pa); free(pr);
    cJSON_Delete(rb.s); cJSON_Delete(rb.b); cJSON_Delete(rb.a); cJSON_Delete(rb.r);
    log_info("presence: restored this node's presence rows");
}

/* ---------- recounting the booths this node has members in ---------- */

static void on_count_timer(uv_timer_t *t);

static void start_count_timer(struct presence *p)
{
    if (p->count_timer_running || p->querying || !p->n_dirty) return;
    p->count_timer_running = true;
    uint64_t delay = presence_recount_delay_ms(app_now_ms(p->app), p->recount_sent_ms, p->recount_deliveries);
    uv_timer_start(&p->count_timer, on_count_timer, delay, 0);
}

static void mark(struct presence *p, int64_t booth_id)
{
    if (room_size(p->app->rooms, booth_id) == 0) return;
    add_unique(&p->dirty, &p->n_dirty, &p->cap_dirty, booth_id);
    start_count_timer(p);
}

static void on_counts(void *arg, const struct db_result *r)
{
    struct presence *p = arg;
    p->querying = false;
    if (db_result_status(r) == DB_OK) {
        p->recount_sent_ms = app_now_ms(p->app);
        p->recount_deliveries = 0;
        for (int i = 0; i < db_result_rows(r); i++) {
            int64_t booth = db_result_int64(r, i, 0);
            p->recount_deliveries += room_size(p->app->rooms, booth);
            cJSON *d = cJSON_CreateObject();
            cJSON_AddNumberToObject(d, "booth_id", (double)booth);
            cJSON_AddNumberToObject(d, "visitors_now", (double)db_result_int64(r, i, 1));
            cJSON_AddNumberToObject(d, "staff_online", (double)db_result_int64(r, i, 2));
            struct outmsg *m = protocol_event("presence.changed", d);
            room_publish(p->app->rooms, booth, m);
            outmsg_unref(m);
        }
    }
    start_count_timer(p);
}

static void on_count_timer(uv_timer_t *t)
{
    struct presence *p = t->data;
    p->count_timer_running = false;
    if (!p->n_dirty) return;
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < p->n_dirty; i++)
        if (room_size(p->app->rooms, p->dirty[i])) cJSON_AddItemToArray(arr, cJSON_CreateNumber((double)p->dirty[i]));
    p->n_dirty = 0;
    if (cJSON_GetArraySize(arr) == 0) { cJSON_Delete(arr); return; }
    char *lit = pg_array(arr);
    cJSON_Delete(arr);
    const char *params[] = {lit};
    p->querying = db_query(p->app->db, &q_counts, 1, params, on_counts, p) == 0;
    free(lit);
}

/* ---------- announcing this node's changes ---------- */

static void on_announce_timer(uv_timer_t *t);

static void start_announce_timer(struct presence *p)
{
    if (p->announcing || !p->n_changed || uv_is_active((uv_handle_t *)&p->announce_timer)) return;
    uv_timer_start(&p->announce_timer, on_announce_timer, PRESENCE_DEBOUNCE_MS, 0);
}

static void on_announced(void *arg, const struct db_result *r)
{
    struct presence *p = arg;
    p->announcing = false;
    if (db_result_status(r) != DB_OK)
        log_warn("presence: announcing changes failed (%s); other nodes catch up on the next change",
                 db_result_message(r));
    start_announce_timer(p);
}

/* Payload {"n":"<node_id>","b":[booth ids]}, under PostgreSQL's 8000-byte NOTIFY limit: what
 * does not fit waits for the next period. */
static void on_announce_timer(uv_timer_t *t)
{
    struct presence *p = t->data;
    if (!p->n_changed || p->announcing) return;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "n", p->app->cfg->node_id);
    cJSON *b = cJSON_AddArrayToObject(o, "b");
    size_t take = p->n_changed < PRESENCE_ANNOUNCE_MAX ? p->n_changed : PRESENCE_ANNOUNCE_MAX;
    for (size_t i = 0; i < take; i++) cJSON_AddItemToArray(b, cJSON_CreateNumber((double)p->changed[i]));
    char *payload = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    const char *params[] = {payload};
    p->announcing = db_query(p->app->db, &q_announce, 1, params, on_announced, p) == 0;
    free(payload);
    if (p->announcing) {
        memmove(p->changed, p->changed + take, sizeof *p->changed * (p->n_changed - take));
        p->n_changed -= take;
    } else {
        /* the database is away: keep them, try again next period (no log: the db logs it) */
        log_debug("presence: cannot announce changes yet (database unavailable)");
    }
    start_announce_timer(p);
}

void presence_changed(struct presence *p, int64_t booth_id)
{
    mark(p, booth_id);              /* our own members need not wait for the round trip */
    add_unique(&p->changed, &p->n_changed, &p->cap_changed, booth_id);
    start_announce_timer(p);
}

/* ---------- the domain ---------- */

static void mark_room(int64_t booth_id, unsigned members, void *arg) { (void)members; mark(arg, booth_id); }

/* (Re)connected: announcements sent while we were away are lost; recount every room. */
static void on_listen_ready(void *self)
{
    struct presence *p = self;
    rooms_foreach(p->app->rooms, mark_room, p);
}

static void on_notify(void *self, const char *channel, const char *payload, bool own)
{
    struct presence *p = self;
    (void)channel;
    (void)own;
    if (payload[0] != '{') {        /* one booth id: node reaping and presence restore */
        char *end;
        long long id = strtoll(payload, &end, 10);
        if (end != payload && *end == 0 && id > 0) mark(p, id);
        return;
    }
    cJSON *o = cJSON_Parse(payload);
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, "n");
    const cJSON *b = cJSON_GetObjectItemCaseSensitive(o, "b");
    /* our own announcement: presence_changed() marked those already */
    if (cJSON_IsString(n) && strcmp(n->valuestring, p->app->cfg->node_id) && cJSON_IsArray(b)) {
        const cJSON *id;
        cJSON_ArrayForEach(id, b)
            if (cJSON_IsNumber(id) && id->valuedouble >= 1) mark(p, (int64_t)id->valuedouble);
    }
    cJSON_Delete(o);
}

static void on_session_gone(void *self, struct session *s)
{
    if (s->n_rooms) presence_leave(self, s->id, 0);
}

static bool take_stale(void *arg) { return presence_take_stale(arg); }
static void restore(void *arg) { presence_restore_all(arg); }
static void exclusive(void *arg, bool final, void (*run)(void *), void *run_arg)
{
    presence_writer_exclusive(((struct presence *)arg)->writer, final, run, run_arg);
}
static void exclusive_done(void *arg) { presence_writer_exclusive_done(((struct presence *)arg)->writer); }
static void booth_changed(void *arg, int64_t booth_id) { presence_changed(arg, booth_id); }
static void write_failed(void *arg) { presence_mark_stale(arg); }

static void *create(struct app *app)
{
    struct presence *p = calloc(1, sizeof *p);
    if (!p) abort();
    p->app = app;
    uv_timer_init(&app->loop, &p->count_timer);
    uv_timer_init(&app->loop, &p->announce_timer);
    p->count_timer.data = p->announce_timer.data = p;
    uv_unref((uv_handle_t *)&p->count_timer);
    uv_unref((uv_handle_t *)&p->announce_timer);
    p->handles_open = 2;
    p->node = node_new(app, (struct node_presence){take_stale, restore, exclusive, exclusive_done, p});
    p->writer = presence_writer_new(app, (struct presence_write_events){booth_changed, write_failed, p});
    app->presence = p;
    return p;
}

static void start(void *self) { node_start(((struct presence *)self)->node); }
static void stop(void *self) { node_stop(((struct presence *)self)->node); }

static void on_handle_closed(uv_handle_t *h)
{
    struct presence *p = h->data;
    if (--p->handles_open) return;
    free(p->dirty);
    free(p->changed);
    free(p);
}

static void destroy(void *self)
{
    struct presence *p = self;
    node_free(p->node);
    presence_writer_free(p->writer);
    p->app->presence = NULL;
    uv_close((uv_handle_t *)&p->count_timer, on_handle_closed);
    uv_close((uv_handle_t *)&p->announce_timer, on_handle_closed);
}

const struct domain presence_domain = {
    .name = "presence",
    .channels = {PRESENCE_CHANNEL},
    .on_notify = on_notify,
    .on_listen_ready = on_listen_ready,
    .on_session_gone = on_session_gone,
    .create = create,
    .start = start,
    .stop = stop,
    .destroy = destroy,
};
