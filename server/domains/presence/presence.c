/* presence.c — see presence.h. */
#include "domains/presence/presence.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/app.h"
#include "db/db.h"
#include "core/hub.h"
#include "core/log.h"
#include "core/protocol.h"
#include "core/session.h"

static struct db_stmt q_leave = DB_STMT("presence_leave",
    "WITH d AS (DELETE FROM presence WHERE node_id = $1 AND session_id = $2"
    "   AND ($3::bigint = 0 OR booth_id = $3) RETURNING booth_id),"
    " v AS (UPDATE visits SET left_at = now() WHERE node_id = $1 AND session_id = $2 AND left_at IS NULL"
    "   AND ($3::bigint = 0 OR booth_id = $3))"
    " SELECT DISTINCT booth_id FROM d");
/* One NOTIFY for all the booths this node changed in an announce period. NOTIFY takes a
 * cluster-wide lock at commit: one per enter and per leave was 11 % of the pool's time in the
 * mixed-day benchmark (pg_stat_activity samples). */
static struct db_stmt q_announce = DB_STMT("presence_announce", "SELECT pg_notify('boothd_presence', $1)");
static struct db_stmt q_restore = DB_STMT("presence_restore",
    "WITH i AS (INSERT INTO presence (node_id, session_id, booth_id, account_id, role)"
    "   SELECT $1, s, b, a, r FROM unnest($2::text[], $3::bigint[], $4::bigint[], $5::text[]) AS u(s, b, a, r)"
    "   ON CONFLICT DO NOTHING RETURNING booth_id)"
    " SELECT pg_notify('boothd_presence', booth_id::text) FROM (SELECT DISTINCT booth_id FROM i) x");
static struct db_stmt q_counts = DB_STMT("presence_counts",
    "SELECT b,"
    " (SELECT count(DISTINCT account_id) FROM presence p WHERE p.booth_id = b AND p.role = 'visitor'),"
    " (SELECT count(DISTINCT account_id) FROM presence p WHERE p.booth_id = b AND p.role = 'staff')"
    " FROM unnest($1::bigint[]) AS b");

static struct app *app;
static int64_t *dirty;          /* booths whose counts this node must re-read */
static size_t n_dirty, cap_dirty;
static uv_timer_t timer;
static bool timer_running, querying;
static int64_t *changed;        /* booths this node changed and has not announced yet */
static size_t n_changed, cap_changed;
static uv_timer_t announce_timer;
static bool announcing;

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

void presence_session_key(struct app *a, uint64_t session_id, char *out, size_t len)
{
    snprintf(out, len, "%llu", (unsigned long long)session_id);
    (void)a;
}

static void on_done(void *arg, const struct db_result *r)
{
    (void)arg;
    if (db_result_status(r) != DB_OK) {
        log_warn("presence: update failed (%s); reconciling later", db_result_message(r));
        app->presence_stale = true;
    }
}

static void on_left(void *arg, const struct db_result *r)
{
    on_done(arg, r);
    for (int i = 0; i < db_result_rows(r); i++) presence_changed(db_result_int64(r, i, 0));
}

void presence_leave(struct app *a, uint64_t session_id, int64_t booth_id)
{
    char sid[32], bid[32];
    presence_session_key(a, session_id, sid, sizeof sid);
    snprintf(bid, sizeof bid, "%lld", (long long)booth_id);
    const char *p[] = {a->cfg->node_id, sid, bid};
    if (db_query(a->db, &q_leave, 3, p, on_left, NULL)) a->presence_stale = true;
}

struct restore_buf { cJSON *s, *b, *a, *r; };

static void collect(struct session *s, void *arg)
{
    struct restore_buf *rb = arg;
    if (s->state != SESSION_OPEN || !s->account_id) return;
    char sid[32];
    presence_session_key(app, s->id, sid, sizeof sid);
    for (int i = 0; i < s->n_booths; i++) {
        if (!s->booths[i].role[0]) continue;     /* still inside booth.enter: it writes its own row */
        cJSON_AddItemToArray(rb->s, cJSON_CreateString(sid));
        cJSON_AddItemToArray(rb->b, cJSON_CreateNumber((double)s->booths[i].booth_id));
        cJSON_AddItemToArray(rb->a, cJSON_CreateNumber((double)s->account_id));
        cJSON_AddItemToArray(rb->r, cJSON_CreateString(s->booths[i].role));
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

void presence_restore_all(struct app *a)
{
    struct restore_buf rb = {cJSON_CreateArray(), cJSON_CreateArray(), cJSON_CreateArray(), cJSON_CreateArray()};
    session_foreach(collect, &rb);
    char *ps = pg_array(rb.s), *pb = pg_array(rb.b), *pa = pg_array(rb.a), *pr = pg_array(rb.r);
    const char *p[] = {a->cfg->node_id, ps, pb, pa, pr};
    if (db_query(a->db, &q_restore, 5, p, on_done, NULL) == 0) a->presence_stale = false;
    free(ps); free(pb); free(pa); free(pr);
    cJSON_Delete(rb.s); cJSON_Delete(rb.b); cJSON_Delete(rb.a); cJSON_Delete(rb.r);
    log_info("presence: restored this node's presence rows");
}

static void flush(uv_timer_t *t);

static void start_timer(void)
{
    if (timer_running || querying || !n_dirty) return;
    timer_running = true;
    uv_timer_start(&timer, flush, PRESENCE_DEBOUNCE_MS, 0);
}

void presence_mark(int64_t booth_id)
{
    if (hub_room_size(app->hub, booth_id) == 0) return;
    add_unique(&dirty, &n_dirty, &cap_dirty, booth_id);
    start_timer();
}

/* ---------- announcing this node's changes ---------- */

static void announce(uv_timer_t *t);

static void start_announce_timer(void)
{
    if (announcing || !n_changed || uv_is_active((uv_handle_t *)&announce_timer)) return;
    uv_timer_start(&announce_timer, announce, PRESENCE_DEBOUNCE_MS, 0);
}

static void on_announced(void *arg, const struct db_result *r)
{
    (void)arg;
    announcing = false;
    if (db_result_status(r) != DB_OK)
        log_warn("presence: announcing changes failed (%s); other nodes catch up on the next change",
                 db_result_message(r));
    start_announce_timer();
}

/* Payload {"n":"<node_id>","b":[booth ids]}, under PostgreSQL's 8000-byte NOTIFY limit: what
 * does not fit waits for the next period. */
static void announce(uv_timer_t *t)
{
    (void)t;
    if (!n_changed || announcing) return;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "n", app->cfg->node_id);
    cJSON *b = cJSON_AddArrayToObject(o, "b");
    size_t take = n_changed < PRESENCE_ANNOUNCE_MAX ? n_changed : PRESENCE_ANNOUNCE_MAX;
    for (size_t i = 0; i < take; i++) cJSON_AddItemToArray(b, cJSON_CreateNumber((double)changed[i]));
    char *payload = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    const char *p[] = {payload};
    announcing = db_query(app->db, &q_announce, 1, p, on_announced, NULL) == 0;
    free(payload);
    if (announcing) {
        memmove(changed, changed + take, sizeof *changed * (n_changed - take));
        n_changed -= take;
    } else {
        /* the database is away: keep them, try again next period (no log: the db logs it) */
        log_debug("presence: cannot announce changes yet (database unavailable)");
    }
    start_announce_timer();
}

void presence_changed(int64_t booth_id)
{
    presence_mark(booth_id);        /* our own members need not wait for the round trip */
    add_unique(&changed, &n_changed, &cap_changed, booth_id);
    start_announce_timer();
}

static void mark_room(int64_t booth_id, unsigned members, void *arg) { (void)members; (void)arg; presence_mark(booth_id); }
void presence_mark_all(void) { hub_foreach_room(app->hub, mark_room, NULL); }

void presence_on_notify(const char *payload)
{
    if (payload[0] != '{') {        /* one booth id: node reaping and presence restore */
        char *end;
        long long id = strtoll(payload, &end, 10);
        if (end != payload && *end == 0 && id > 0) presence_mark(id);
        return;
    }
    cJSON *o = cJSON_Parse(payload);
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, "n");
    const cJSON *b = cJSON_GetObjectItemCaseSensitive(o, "b");
    /* our own announcement: presence_changed() marked those already */
    if (cJSON_IsString(n) && strcmp(n->valuestring, app->cfg->node_id) && cJSON_IsArray(b)) {
        const cJSON *id;
        cJSON_ArrayForEach(id, b)
            if (cJSON_IsNumber(id) && id->valuedouble >= 1) presence_mark((int64_t)id->valuedouble);
    }
    cJSON_Delete(o);
}

static void on_counts(void *arg, const struct db_result *r)
{
    (void)arg;
    querying = false;
    if (db_result_status(r) == DB_OK) {
        for (int i = 0; i < db_result_rows(r); i++) {
            int64_t booth = db_result_int64(r, i, 0);
            cJSON *d = cJSON_CreateObject();
            cJSON_AddNumberToObject(d, "booth_id", (double)booth);
            cJSON_AddNumberToObject(d, "visitors_now", (double)db_result_int64(r, i, 1));
            cJSON_AddNumberToObject(d, "staff_online", (double)db_result_int64(r, i, 2));
            struct outmsg *m = outmsg_from_string(protocol_encode_event("presence.changed", d));
            hub_publish(app->hub, booth, m);
            outmsg_unref(m);
        }
    }
    start_timer();
}

static void flush(uv_timer_t *t)
{
    (void)t;
    timer_running = false;
    if (!n_dirty) return;
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < n_dirty; i++)
        if (hub_room_size(app->hub, dirty[i])) cJSON_AddItemToArray(arr, cJSON_CreateNumber((double)dirty[i]));
    n_dirty = 0;
    if (cJSON_GetArraySize(arr) == 0) { cJSON_Delete(arr); return; }
    char *lit = pg_array(arr);
    cJSON_Delete(arr);
    const char *p[] = {lit};
    querying = db_query(app->db, &q_counts, 1, p, on_counts, NULL) == 0;
    free(lit);
}

void presence_init(struct app *a)
{
    app = a;
    uv_timer_init(&a->loop, &timer);
    uv_unref((uv_handle_t *)&timer);
    uv_timer_init(&a->loop, &announce_timer);
    uv_unref((uv_handle_t *)&announce_timer);
}

void presence_free(void)
{
    uv_timer_stop(&timer);
    uv_close((uv_handle_t *)&timer, NULL);
    uv_timer_stop(&announce_timer);
    uv_close((uv_handle_t *)&announce_timer, NULL);
    free(dirty);
    dirty = NULL;
    n_dirty = cap_dirty = 0;
    free(changed);
    changed = NULL;
    n_changed = cap_changed = 0;
    announcing = false;
}
