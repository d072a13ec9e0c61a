/* chat_feed.c — see chat_feed.h. */
#include "domains/chat/chat_feed.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/app.h"
#include "core/room.h"
#include "util/log.h"
#include "util/metrics.h"
#include "core/protocol.h"
#include "core/session.h"
#include "core/turn.h"
#include "db/db.h"
#include "domains/chat/chat_sql.h"

#define FETCH_LIMIT 1000

/* Columns: booth, seq, the message as everyone sees it, and for a hidden one the form the
 * booth's staff and organizers see (NULL when it is not hidden). */
static struct db_stmt q_fetch = DB_STMT("chat_feed_fetch",
    "SELECT m.booth_id, m.seq, " SQL_STORED_MESSAGE_JSON "::text,"
    " CASE WHEN m.hidden_at IS NOT NULL THEN " SQL_HIDDEN_STAFF_JSON "::text END"
    " FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS w(b, lo, hi)"
    " CROSS JOIN LATERAL (SELECT * FROM chat_messages c WHERE c.booth_id = w.b AND c.seq > w.lo"
    "   AND c.seq <= w.hi ORDER BY c.seq LIMIT 1000) m"
    " JOIN accounts a ON a.id = m.author_id"
    " ORDER BY m.booth_id, m.seq");
/* One member's catch-up: $3 = it may read hidden messages (staff of the booth, organizer).
 * Columns: seq, the message in the member's form, whether it is hidden. */
static struct db_stmt q_member_fetch = DB_STMT("chat_feed_session_fetch",
    "SELECT m.seq, " SQL_STORED_MESSAGE_JSON_FOR("$3::boolean") "::text, m.hidden_at IS NOT NULL"
    " FROM (SELECT * FROM chat_messages c WHERE c.booth_id = $1"
    " AND c.seq > $2 ORDER BY c.seq LIMIT 1000) m JOIN accounts a ON a.id = m.author_id ORDER BY m.seq");

struct dirty { int64_t booth_id, hi; };

struct chat_feed {
    struct app *app;
    struct dirty *dirty;
    size_t n_dirty, cap_dirty;
    struct dirty *inflight;         /* what the running fetch asked for */
    size_t n_inflight;
    bool fetching;
    struct turn_end flush;          /* fetch once per loop turn: marks coalesce */
};

static void schedule(struct chat_feed *f)
{
    if (!f->fetching && f->n_dirty) turn_end_request(&f->flush);
}

void chat_feed_mark(struct chat_feed *f, int64_t booth_id, int64_t hi)
{
    if (room_size(f->app->rooms, booth_id) == 0) return;   /* nobody here to deliver to */
    for (size_t i = 0; i < f->n_dirty; i++) {
        if (f->dirty[i].booth_id != booth_id) continue;
        if (hi > f->dirty[i].hi) f->dirty[i].hi = hi;
        schedule(f);
        return;
    }
    if (f->n_dirty == f->cap_dirty) {
        f->cap_dirty = f->cap_dirty ? f->cap_dirty * 2 : 64;
        f->dirty = realloc(f->dirty, sizeof *f->dirty * f->cap_dirty);
        if (!f->dirty) abort();
    }
    f->dirty[f->n_dirty++] = (struct dirty){booth_id, hi};
    schedule(f);
}

static void mark_room(int64_t booth_id, unsigned members, void *arg)
{
    (void)members;
    chat_feed_mark(arg, booth_id, INT64_MAX);
}

void chat_feed_mark_all(struct chat_feed *f) { rooms_foreach(f->app->rooms, mark_room, f); }

void chat_feed_on_notify(struct chat_feed *f, const char *payload)
{
    cJSON *j = cJSON_Parse(payload);
    const cJSON *b = cJSON_GetObjectItemCaseSensitive(j, "b");
    if (cJSON_IsArray(b)) {
        const cJSON *e;
        cJSON_ArrayForEach(e, b) {
            const cJSON *id = cJSON_GetArrayItem(e, 0), *hi = cJSON_GetArrayItem(e, 1);
            if (cJSON_IsNumber(id) && cJSON_IsNumber(hi))
                chat_feed_mark(f, (int64_t)id->valuedouble, (int64_t)hi->valuedouble);
        }
    } else {
        chat_feed_mark_all(f);
    }
    cJSON_Delete(j);
}

static struct outmsg *message_event(const char *message_json)
{
    return protocol_event_raw("chat.message", "message", message_json);
}

void chat_feed_committed(struct chat_feed *f, int64_t booth_id, int64_t seq, const char *message_json)
{
    if (room_size(f->app->rooms, booth_id) == 0) return;
    /* a gap (or unknown), or already hidden by a moderator: read the table */
    if (room_seq(f->app->rooms, booth_id) != seq - 1 || room_hidden_pending(f->app->rooms, booth_id, seq)) {
        chat_feed_mark(f, booth_id, seq);
        return;
    }
    struct outmsg *m = message_event(message_json);
    room_deliver(f->app->rooms, booth_id, seq, m, NULL);
    outmsg_unref(m);
}

static void remark_inflight(struct chat_feed *f)
{
    for (size_t i = 0; i < f->n_inflight; i++) chat_feed_mark(f, f->inflight[i].booth_id, f->inflight[i].hi);
}

static void deliver_rows(struct chat_feed *f, const struct db_result *r)
{
    int rows = db_result_rows(r);
    int64_t last_booth = -1, stopped_booth = -1;
    int per_booth = 0;
    for (int i = 0; i < rows; i++) {
        int64_t booth = db_result_int64(r, i, 0), seq = db_result_int64(r, i, 1);
        if (booth != last_booth) { last_booth = booth; per_booth = 0; }
        per_booth++;
        if (per_booth == FETCH_LIMIT) chat_feed_mark(f, booth, INT64_MAX);
        if (booth == stopped_booth) continue;
        if (seq <= room_seq(f->app->rooms, booth)) continue;   /* delivered meanwhile */
        bool hidden = !db_result_isnull(r, i, 3);
        if (!hidden && room_hidden_pending(f->app->rooms, booth, seq)) {
            /* read before its hide committed: stop this booth here and read it again */
            stopped_booth = booth;
            chat_feed_mark(f, booth, INT64_MAX);
            continue;
        }
        struct outmsg *m = message_event(db_result_value(r, i, 2));
        struct outmsg *mp = hidden ? message_event(db_result_value(r, i, 3)) : NULL;
        room_deliver(f->app->rooms, booth, seq, m, mp);
        outmsg_unref(m);
        if (mp) outmsg_unref(mp);
    }
    /* Booths whose target is above what arrived (e.g. a NOTIFY raced its own commit
     * visibility) stay dirty for another round. */
    for (size_t i = 0; i < f->n_inflight; i++) {
        const struct dirty *d = &f->inflight[i];
        if (d->hi != INT64_MAX && room_seq(f->app->rooms, d->booth_id) < d->hi)
            chat_feed_mark(f, d->booth_id, d->hi);
    }
}

static void on_fetch(void *arg, const struct db_result *r)
{
    struct chat_feed *f = arg;
    f->fetching = false;
    if (db_result_status(r) != DB_OK) {
        log_warn("chat feed: fetch failed (%s); will retry", db_result_message(r));
        remark_inflight(f);
    } else {
        deliver_rows(f, r);
    }
    free(f->inflight);
    f->inflight = NULL;
    f->n_inflight = 0;
    schedule(f);
}

/* A PostgreSQL bigint[] literal being built: "{1,2,3}". */
struct pg_ints { char *s; size_t len, cap; };

static void pg_ints_add(struct pg_ints *a, int64_t v)
{
    if (a->len + 24 > a->cap) {
        a->cap = (a->cap + 24) * 2;
        a->s = realloc(a->s, a->cap);
        if (!a->s) abort();
    }
    a->len += (size_t)snprintf(a->s + a->len, a->cap - a->len, "%c%lld", a->len ? ',' : '{', (long long)v);
}

/* Closes the literal (at least one element was added). Every add leaves room for 3 more bytes. */
static const char *pg_ints_end(struct pg_ints *a)
{
    a->s[a->len++] = '}';
    a->s[a->len] = 0;
    return a->s;
}

static void flush(void *arg)
{
    struct chat_feed *f = arg;
    if (f->fetching || !f->n_dirty) return;
    struct pg_ints b = {0}, lo = {0}, hi = {0};
    f->inflight = malloc(sizeof *f->inflight * f->n_dirty);
    if (!f->inflight) abort();
    f->n_inflight = 0;
    for (size_t i = 0; i < f->n_dirty; i++) {
        const struct dirty *d = &f->dirty[i];
        int64_t cursor = room_seq(f->app->rooms, d->booth_id);
        if (cursor < 0 || room_size(f->app->rooms, d->booth_id) == 0) continue;  /* first enter pending */
        if (d->hi != INT64_MAX && d->hi <= cursor) continue;                       /* already there */
        pg_ints_add(&b, d->booth_id);
        pg_ints_add(&lo, cursor);
        pg_ints_add(&hi, d->hi);
        f->inflight[f->n_inflight++] = *d;
    }
    f->n_dirty = 0;
    if (f->n_inflight) {
        const char *p[] = {pg_ints_end(&b), pg_ints_end(&lo), pg_ints_end(&hi)};
        f->fetching = db_query(f->app->db, &q_fetch, 3, p, on_fetch, f) == 0;
        if (!f->fetching) remark_inflight(f);
    }
    if (!f->fetching) {
        free(f->inflight);
        f->inflight = NULL;
        f->n_inflight = 0;
    }
    free(b.s); free(lo.s); free(hi.s);
}

/* ---------- catching up one member from the table ---------- */

/* The member is found again by session and booth when the rows arrive: it may have left the
 * booth (or the session closed) meanwhile. */
struct catch_up { struct chat_feed *f; struct session *s; int64_t booth_id; };

/* Sends the rows that continue seq without a gap; returns the last seq sent. */
static int64_t send_in_order(struct app *app, struct session *s, int64_t booth, const struct db_result *r, int64_t seq)
{
    for (int i = 0; i < db_result_rows(r); i++) {
        int64_t q = db_result_int64(r, i, 0);
        if (q != seq + 1) break;                   /* not committed in order yet: stop */
        if (!db_result_bool(r, i, 2) && room_hidden_pending(app->rooms, booth, q)) break;   /* read before its hide */
        struct outmsg *m = message_event(db_result_value(r, i, 1));
        session_send(s, m);
        outmsg_unref(m);
        metrics_chat_catchup(false, 1);
        seq = q;
    }
    return seq;
}

static void on_member_fetch(void *arg, const struct db_result *r)
{
    struct catch_up *c = arg;
    struct member *m = session_is_open(c->s) ? room_member(c->s, c->booth_id) : NULL;
    if (m && m->state == MEMBER_CATCHING_UP) {
        if (db_result_status(r) == DB_OK && m->reread) {
            /* a message was hidden while this read was out: its rows may predate the hide */
            metrics_chat_hidden_reread();
            chat_feed_catch_up_member(c->f, m);
        } else if (db_result_status(r) != DB_OK) {
            log_warn("chat feed: catch-up read failed for session %llu: %s", (unsigned long long)c->s->id,
                     db_result_message(r));
            member_transition(m, MEMBER_LIVE, m->seq);     /* the page fills the gap itself */
        } else {
            int64_t seq = send_in_order(c->f->app, c->s, c->booth_id, r, m->seq);
            if (!room_catch_up(m, seq)) {
                if (db_result_rows(r) > 0) chat_feed_catch_up_member(c->f, m);   /* still behind */
                else member_transition(m, MEMBER_LIVE, seq);   /* nothing readable yet: go on live */
            }
        }
    }
    session_unref(c->s);
    free(c);
}

void chat_feed_catch_up_member(struct chat_feed *f, struct member *m)
{
    member_transition(m, MEMBER_CATCHING_UP, m->seq);
    m->reread = false;          /* this read starts after every hide seen so far */
    struct catch_up *c = malloc(sizeof *c);
    if (!c) abort();
    *c = (struct catch_up){f, session_ref(m->s), m->booth_id};
    char b[24], fl[24];
    snprintf(b, sizeof b, "%lld", (long long)m->booth_id);
    snprintf(fl, sizeof fl, "%lld", (long long)m->seq);
    const char *p[] = {b, fl, member_privileged(m) ? "true" : "false"};
    if (db_query(f->app->db, &q_member_fetch, 3, p, on_member_fetch, c)) {
        member_transition(m, MEMBER_LIVE, m->seq);
        session_unref(c->s);
        free(c);
    }
}

/* ---------- life ---------- */

struct chat_feed *chat_feed_new(struct app *app)
{
    struct chat_feed *f = calloc(1, sizeof *f);
    if (!f) abort();
    f->app = app;
    turn_end_init(&f->flush, &app->loop, flush, f);
    return f;
}

static void on_closed(void *arg)
{
    struct chat_feed *f = arg;
    free(f->dirty);
    free(f->inflight);
    free(f);
}

void chat_feed_free(struct chat_feed *f) { turn_end_close(&f->flush, on_closed); }
