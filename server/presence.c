/* presence.c — see presence.h. */
#include "presence.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "db.h"
#include "hub.h"
#include "log.h"
#include "protocol.h"
#include "session.h"

static struct db_stmt q_leave = DB_STMT("presence_leave",
    "WITH d AS (DELETE FROM presence WHERE node_id = $1 AND session_id = $2"
    "   AND ($3::bigint = 0 OR booth_id = $3) RETURNING booth_id),"
    " v AS (UPDATE visits SET left_at = now() WHERE node_id = $1 AND session_id = $2 AND left_at IS NULL"
    "   AND ($3::bigint = 0 OR booth_id = $3))"
    " SELECT pg_notify('boothd_presence', booth_id::text) FROM (SELECT DISTINCT booth_id FROM d) x");
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
static int64_t *dirty;
static size_t n_dirty, cap_dirty;
static uv_timer_t timer;
static bool timer_running, querying;

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

void presence_leave(struct app *a, uint64_t session_id, int64_t booth_id)
{
    char sid[32], bid[32];
    presence_session_key(a, session_id, sid, sizeof sid);
    snprintf(bid, sizeof bid, "%lld", (long long)booth_id);
    const char *p[] = {a->cfg->node_id, sid, bid};
    if (db_query(a->db, &q_leave, 3, p, on_done, NULL)) a->presence_stale = true;
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
    for (size_t i = 0; i < n_dirty; i++) if (dirty[i] == booth_id) { start_timer(); return; }
    if (n_dirty == cap_dirty) {
        cap_dirty = cap_dirty ? cap_dirty * 2 : 64;
        dirty = realloc(dirty, sizeof *dirty * cap_dirty);
        if (!dirty) abort();
    }
    dirty[n_dirty++] = booth_id;
    start_timer();
}

static void mark_room(int64_t booth_id, unsigned members, void *arg) { (void)members; (void)arg; presence_mark(booth_id); }
void presence_mark_all(void) { hub_foreach_room(app->hub, mark_room, NULL); }

void presence_on_notify(const char *payload)
{
    char *end;
    long long id = strtoll(payload, &end, 10);
    if (end != payload && *end == 0 && id > 0) presence_mark(id);
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
}

void presence_free(void)
{
    uv_timer_stop(&timer);
    uv_close((uv_handle_t *)&timer, NULL);
    free(dirty);
    dirty = NULL;
    n_dirty = cap_dirty = 0;
}
