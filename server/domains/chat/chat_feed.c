/* chat_feed.c — see chat_feed.h. */
#include "domains/chat/chat_feed.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/app.h"
#include "domains/chat/chat_sql.h"
#include "db/db.h"
#include "core/hub.h"
#include "core/log.h"
#include "core/session.h"
#include "util/outmsg.h"

#define FETCH_LIMIT 1000

static struct db_stmt q_fetch = DB_STMT("chat_feed_fetch",
    "SELECT m.booth_id, m.seq, " SQL_MESSAGE_JSON "::text"
    " FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS w(b, lo, hi)"
    " CROSS JOIN LATERAL (SELECT * FROM chat_messages c WHERE c.booth_id = w.b AND c.seq > w.lo"
    "   AND c.seq <= w.hi ORDER BY c.seq LIMIT 1000) m"
    " JOIN accounts a ON a.id = m.author_id"
    " ORDER BY m.booth_id, m.seq");

struct dirty { int64_t booth_id, hi; };

static struct app *app;
static struct dirty *dirty;
static size_t n_dirty, cap_dirty;
static struct dirty *inflight;      /* what the running fetch asked for */
static size_t n_inflight;
static bool fetching;
static uv_check_t check;            /* flush once per loop iteration: marks coalesce */
static bool check_active;

static void flush(void);
static void on_check(uv_check_t *c) { (void)c; uv_check_stop(&check); check_active = false; flush(); }

static void schedule(void)
{
    if (!fetching && !check_active && n_dirty) {
        uv_check_start(&check, on_check);
        check_active = true;
    }
}

void chat_feed_mark(int64_t booth_id, int64_t hi)
{
    if (hub_room_size(app->hub, booth_id) == 0) return;   /* nobody here to deliver to */
    for (size_t i = 0; i < n_dirty; i++)
        if (dirty[i].booth_id == booth_id) { if (hi > dirty[i].hi) dirty[i].hi = hi; schedule(); return; }
    if (n_dirty == cap_dirty) {
        cap_dirty = cap_dirty ? cap_dirty * 2 : 64;
        dirty = realloc(dirty, sizeof *dirty * cap_dirty);
        if (!dirty) abort();
    }
    dirty[n_dirty++] = (struct dirty){booth_id, hi};
    schedule();
}

static void mark_room(int64_t booth_id, unsigned members, void *arg)
{
    (void)members; (void)arg;
    chat_feed_mark(booth_id, INT64_MAX);
}

void chat_feed_mark_all(void) { hub_foreach_room(app->hub, mark_room, NULL); }

void chat_feed_on_notify(const char *payload)
{
    cJSON *j = cJSON_Parse(payload);
    const cJSON *b = cJSON_GetObjectItemCaseSensitive(j, "b");
    if (cJSON_IsArray(b)) {
        const cJSON *e;
        cJSON_ArrayForEach(e, b) {
            const cJSON *id = cJSON_GetArrayItem(e, 0), *hi = cJSON_GetArrayItem(e, 1);
            if (cJSON_IsNumber(id) && cJSON_IsNumber(hi)) chat_feed_mark((int64_t)id->valuedouble, (int64_t)hi->valuedouble);
        }
    } else {
        chat_feed_mark_all();
    }
    cJSON_Delete(j);
}

static void append_num(char **buf, size_t *len, size_t *cap, int64_t v)
{
    if (*len + 24 > *cap) { *cap = (*cap + 24) * 2; *buf = realloc(*buf, *cap); if (!*buf) abort(); }
    *len += (size_t)snprintf(*buf + *len, *cap - *len, "%s%lld", *len > 1 ? "," : "", (long long)v);
}

static void on_fetch(void *arg, const struct db_result *r)
{
    (void)arg;
    fetching = false;
    if (db_result_status(r) != DB_OK) {
        log_warn("chat feed: fetch failed (%s); will retry", db_result_message(r));
        for (size_t i = 0; i < n_inflight; i++) chat_feed_mark(inflight[i].booth_id, inflight[i].hi);
    } else {
        int rows = db_result_rows(r);
        int64_t last_booth = -1;
        int per_booth = 0;
        for (int i = 0; i < rows; i++) {
            int64_t booth = db_result_int64(r, i, 0), seq = db_result_int64(r, i, 1);
            if (booth != last_booth) { last_booth = booth; per_booth = 0; }
            per_booth++;
            if (seq <= hub_room_seq(app->hub, booth)) continue;   /* delivered meanwhile */
            const char *msg = db_result_value(r, i, 2);
            size_t ml = strlen(msg);
            char *ev = malloc(ml + 64);
            if (!ev) abort();
            int n = snprintf(ev, ml + 64, "{\"type\":\"chat.message\",\"data\":{\"message\":%s}}", msg);
            struct outmsg *m = outmsg_new(ev, (size_t)n);
            free(ev);
            hub_deliver_chat(app->hub, booth, seq, m);
            outmsg_unref(m);
            if (per_booth == FETCH_LIMIT) chat_feed_mark(booth, INT64_MAX);
        }
        /* Booths whose target is above what arrived (e.g. a NOTIFY raced its own commit
         * visibility) stay dirty for another round. */
        for (size_t i = 0; i < n_inflight; i++)
            if (inflight[i].hi != INT64_MAX && hub_room_seq(app->hub, inflight[i].booth_id) < inflight[i].hi &&
                hub_room_size(app->hub, inflight[i].booth_id) > 0)
                chat_feed_mark(inflight[i].booth_id, inflight[i].hi);
    }
    free(inflight);
    inflight = NULL;
    n_inflight = 0;
    schedule();
}

static void flush(void)
{
    if (fetching || !n_dirty) return;
    char *b = NULL, *lo = NULL, *hi = NULL;
    size_t bl = 0, bc = 0, ll = 0, lc = 0, hl = 0, hc = 0;
    b = malloc(bc = 64); lo = malloc(lc = 64); hi = malloc(hc = 64);
    if (!b || !lo || !hi) abort();
    strcpy(b, "{"); strcpy(lo, "{"); strcpy(hi, "{");
    bl = ll = hl = 1;
    inflight = malloc(sizeof *inflight * n_dirty);
    if (!inflight) abort();
    n_inflight = 0;
    for (size_t i = 0; i < n_dirty; i++) {
        int64_t cursor = hub_room_seq(app->hub, dirty[i].booth_id);
        if (cursor < 0 || hub_room_size(app->hub, dirty[i].booth_id) == 0) continue;  /* first enter pending */
        if (dirty[i].hi != INT64_MAX && dirty[i].hi <= cursor) continue;              /* already there */
        append_num(&b, &bl, &bc, dirty[i].booth_id);
        append_num(&lo, &ll, &lc, cursor);
        append_num(&hi, &hl, &hc, dirty[i].hi);
        inflight[n_inflight++] = dirty[i];
    }
    n_dirty = 0;
    if (!n_inflight) { free(inflight); inflight = NULL; free(b); free(lo); free(hi); return; }
    strcat(b, "}"); strcat(lo, "}"); strcat(hi, "}");
    const char *p[] = {b, lo, hi};
    fetching = true;
    if (db_query(app->db, &q_fetch, 3, p, on_fetch, NULL)) {
        fetching = false;
        for (size_t i = 0; i < n_inflight; i++) chat_feed_mark(inflight[i].booth_id, inflight[i].hi);
        free(inflight);
        inflight = NULL;
        n_inflight = 0;
    }
    free(b); free(lo); free(hi);
}

void chat_feed_init(struct app *a)
{
    app = a;
    uv_check_init(&app->loop, &check);
    uv_unref((uv_handle_t *)&check);
}

void chat_feed_free(void)
{
    uv_check_stop(&check);
    uv_close((uv_handle_t *)&check, NULL);
    free(dirty);
    dirty = NULL;
    n_dirty = cap_dirty = 0;
}

static struct db_stmt q_session_fetch = DB_STMT("chat_feed_session_fetch",
    "SELECT m.seq, " SQL_MESSAGE_JSON "::text FROM (SELECT * FROM chat_messages c WHERE c.booth_id = $1"
    " AND c.seq > $2 ORDER BY c.seq LIMIT 1000) m JOIN accounts a ON a.id = m.author_id ORDER BY m.seq");

struct catch_up { struct session *s; int64_t booth_id, floor; };

static void on_session_fetch(void *arg, const struct db_result *r)
{
    struct catch_up *c = arg;
    struct session *s = c->s;
    struct session_booth *sb = session_open_booth(s, c->booth_id);
    if (sb && db_result_status(r) != DB_OK) {
        sb->seq = c->floor;          /* resume live delivery; the page fills the gap itself */
        log_warn("chat feed: catch-up read failed for session %llu: %s", (unsigned long long)s->id,
                 db_result_message(r));
    } else if (sb) {
        int64_t seq = c->floor;
        for (int i = 0; i < db_result_rows(r); i++) {
            int64_t q = db_result_int64(r, i, 0);
            if (q != seq + 1) break;                   /* not committed in order yet: stop */
            const char *msg = db_result_value(r, i, 1);
            size_t ml = strlen(msg);
            char *ev = malloc(ml + 64);
            if (!ev) abort();
            int n = snprintf(ev, ml + 64, "{\"type\":\"chat.message\",\"data\":{\"message\":%s}}", msg);
            (void)n;
            session_send_string(s, ev);
            seq = q;
        }
        sb->seq = seq;
        if (!hub_catch_up(app->hub, c->booth_id, s) && db_result_rows(r) > 0) {
            chat_feed_catch_up_session(s, c->booth_id);   /* still behind: another round */
        }
    }
    session_unref(s);
    free(c);
}

void chat_feed_catch_up_session(struct session *s, int64_t booth_id)
{
    struct session_booth *sb = session_open_booth(s, booth_id);
    if (!sb) return;
    struct catch_up *c = malloc(sizeof *c);
    if (!c) abort();
    c->s = session_ref(s);
    c->booth_id = booth_id;
    c->floor = sb->seq;
    sb->seq = INT64_MAX;             /* pause live delivery to this member */
    char b[24], f[24];
    snprintf(b, sizeof b, "%lld", (long long)booth_id);
    snprintf(f, sizeof f, "%lld", (long long)c->floor);
    const char *p[] = {b, f};
    if (db_query(app->db, &q_session_fetch, 2, p, on_session_fetch, c)) {
        sb->seq = c->floor;
        session_unref(s);
        free(c);
    }
}
