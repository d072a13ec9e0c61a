/* booth.c — booth.get, booth.enter, booth.leave.
 *
 * Entering writes the presence row and the visit and, in the same statement, reads the
 * messages the page needs (the last 50, or everything after since_seq up to 500) together
 * with the booth's last_seq and counts (this turn's presence batch, presence_write.h: one
 * round trip per join); the session's membership of the booth's room (core/room.h) waits
 * ENTERING until then and continues from that seq, so live chat.message events follow the
 * reply exactly: no gap, no repeat. The reply goes out after the commit, so what it reports
 * (role, counts with this session in them) is committed. A message hidden while the
 * statement was out makes the enter read again on its own (enter_read.h). */
#include "domains/booth/booth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/app.h"
#include "core/room.h"
#include "util/log.h"
#include "util/metrics.h"
#include "core/request.h"
#include "core/session.h"
#include "db/db.h"
#include "domains/booth/enter_read.h"
#include "domains/chat/chat_feed.h"
#include "domains/presence/presence.h"
#include "domains/presence/presence_sql.h"

#define ENTER_LAST 50
#define ENTER_SINCE_MAX 500

/* booth.enter's messages: the latest ENTER_LAST, or up to ENTER_SINCE_MAX after since_seq */
static int enter_limit(int64_t since) { return since >= 0 ? ENTER_SINCE_MAX : ENTER_LAST; }

/* An archived booth (booths.archived_at) shows its full face only to its staff and organizers
 * ($3 the caller's account or NULL, $4 whether an organizer); anyone else gets its name and
 * "archived", enough for the page to say so. */
static struct db_stmt q_get = DB_STMT("booth_get",
    "SELECT CASE WHEN b.archived_at IS NOT NULL AND NOT $4::boolean"
    "   AND NOT EXISTS (SELECT 1 FROM booth_staff s WHERE s.booth_id = b.id AND s.account_id = $3::bigint)"
    " THEN json_build_object('id', b.id, 'slug', b.slug, 'name', json_build_object('en', b.name_en, 'ko', b.name_ko),"
    "   'logo_url', b.logo_url, 'archived', true, 'restricted', true)::text"
    " ELSE json_build_object('id', b.id, 'slug', b.slug, 'archived', b.archived_at IS NOT NULL,"
    " 'name', json_build_object('en', b.name_en, 'ko', b.name_ko),"
    " 'tagline', json_build_object('en', b.tagline_en, 'ko', b.tagline_ko),"
    " 'description', json_build_object('en', b.description_en, 'ko', b.description_ko),"
    " 'category', c.slug, 'category_name', json_build_object('en', c.name_en, 'ko', c.name_ko),"
    " 'tier', b.tier, 'time_zone', b.time_zone, 'logo_url', b.logo_url, 'banner_url', b.banner_url,"
    " 'company', json_build_object('name', json_build_object('en', co.name_en, 'ko', co.name_ko),"
    "    'city', co.city, 'website', co.website),"
    " 'products', coalesce((SELECT json_agg(json_build_object('id', p.id,"
    "    'name', json_build_object('en', p.name_en, 'ko', p.name_ko),"
    "    'description', json_build_object('en', p.description_en, 'ko', p.description_ko),"
    "    'image_url', p.image_url, 'price_note', p.price_note, 'moq', p.moq) ORDER BY p.sort_order, p.id)"
    "    FROM products p WHERE p.booth_id = b.id), '[]'),"
    " 'media', booth_media_json(b.id),"
    " 'visitors_now', " SQL_PRESENCE_COUNT("b.id", "visitor") ","
    " 'staff_online', " SQL_PRESENCE_COUNT("b.id", "staff") ","
    " 'last_seq', (SELECT s.last_seq FROM booth_chat_seq s WHERE s.booth_id = b.id))::text END"
    " FROM booths b JOIN companies co ON co.id = b.company_id LEFT JOIN categories c ON c.id = b.category_id"
    " WHERE ($1::bigint IS NOT NULL AND b.id = $1) OR ($1::bigint IS NULL AND b.slug = $2)");

struct booth {
    struct app *app;
    struct enter_reads *reads;
};

static const char *role_text(unsigned role)
{
    switch (role) {
    case ROLE_ORGANIZER: return "organizer";
    case ROLE_EXHIBITOR: return "exhibitor";
    default: return "visitor";
    }
}

/* ---------- booth.get ---------- */

static void on_get(void *arg, const struct db_result *res)
{
    struct request *r = arg;
    if (db_result_status(res) != DB_OK) { request_db_error(r, res); return; }
    if (db_result_rows(res) != 1) { request_error(r, PROTO_NOT_FOUND, "no such booth"); return; }
    request_ok_raw(r, "booth", db_result_value(res, 0, 0));
}

/* booth.get {booth_id} or {slug} */
static void handle_get(struct request *r)
{
    char err[200], idbuf[REQUEST_INT_LEN];
    int64_t id = 0;
    const char *slug;
    if (proto_get_int(r->data, "booth_id", false, 1, INT64_C(9007199254740991), &id, err, sizeof err) ||
        proto_get_string(r->data, "slug", false, 1, 64, &slug, err, sizeof err)) {
        request_error(r, PROTO_BAD_REQUEST, "%s", err);
        return;
    }
    if (!id && !slug) { request_error(r, PROTO_BAD_REQUEST, "'booth_id' is required"); return; }
    char acc[REQUEST_INT_LEN];
    const char *p[] = {id ? request_int(idbuf, id) : NULL, slug, r->s->account_id ? request_int(acc, r->s->account_id) : NULL,
                       r->s->role == ROLE_ORGANIZER ? "true" : "false"};
    (void)request_query(r, &q_get, 4, p, on_get, r);
}

/* ---------- booth.enter ---------- */

struct enter {
    struct request *r;
    int64_t booth_id;
    int64_t since;          /* -1 = none */
    uint64_t arrived_ms;    /* for the deadline of both steps (join_batching.h) */
    char role[ROOM_ROLE_LEN];
};

/* Leaves the booth's room on this node only (the presence row is not written, or stays). */
static void leave_room(struct app *app, struct session *s, int64_t booth_id)
{
    struct member *m = room_member(s, booth_id);
    if (m) room_leave(app->rooms, m);
}

static void answer_failure(struct request *r, enum db_status st)
{
    if (st == DB_ERR_QUERY) request_error(r, PROTO_INTERNAL, "internal error");
    else request_unavailable(r);
}

static void on_enter_read(void *arg, enum db_status st, const struct db_result *res, int row);

/* Reads the enter's messages and counts again, on their own (enter_read.h): only after a hide
 * (below). Staff and organizers read hidden messages as they are (privileged). */
static void read_enter(struct enter *e)
{
    const struct booth *b = e->r->self;
    bool privileged = !strcmp(e->role, "staff") || !strcmp(e->role, "organizer");
    enter_read_submit(b->reads, e->booth_id, e->since, enter_limit(e->since), privileged, e->arrived_ms,
                      on_enter_read, e);
}

/* What the enter read (with its presence row, or again after a hide): answers the request and
 * makes the member live from last_seq. */
static void answer_entered(struct enter *e, int64_t last_seq, int64_t visitors_now, int64_t staff_online,
                           const char *messages, int64_t n)
{
    struct request *r = e->r;
    struct app *app = r->app;
    bool truncated = e->since >= 0 && n >= ENTER_SINCE_MAX && last_seq > e->since + n;
    struct member *m = room_member(r->s, e->booth_id);
    cJSON *d = cJSON_CreateObject();
    cJSON_AddNumberToObject(d, "booth_id", (double)e->booth_id);
    cJSON_AddNumberToObject(d, "visitors_now", (double)visitors_now);
    cJSON_AddNumberToObject(d, "staff_online", (double)staff_online);
    cJSON_AddNumberToObject(d, "last_seq", (double)last_seq);
    cJSON_AddStringToObject(d, "role", e->role);
    cJSON_AddRawToObject(d, "messages", messages);
    if (truncated) cJSON_AddTrueToObject(d, "truncated");
    int64_t booth = e->booth_id;
    request_ok(r, d);           /* frees r; the session stays alive through the transport's ref */
    free(e);
    if (!m || m->state != MEMBER_ENTERING) return;
    /* A room without a cursor (no member live yet) drops what the chat feed hears for it
     * (chat_feed.c, flush): this enter gives it one, and the feed reads whatever came above
     * it meanwhile. A room with a cursor heard everything: no read (one per enter took 12 %
     * of the pool's time in the joins benchmark, issue 15). */
    bool first = room_seq(app->rooms, booth) < 0;
    /* Messages the room got while we were reading come from its ring; if more arrived
     * than the ring holds (rare), from the table. */
    if (!room_entered(m, last_seq)) chat_feed_catch_up_member(app->chat_feed, m);
    if (first) chat_feed_mark(app->chat_feed, booth, INT64_MAX);
}

/* A moderator hid a message while the enter's read was out: its rows may predate the hide
 * (and show a visitor the text). Read again; hides are rare, so this is too. */
static bool reread_after_hide(struct enter *e)
{
    struct member *m = session_is_open(e->r->s) ? room_member(e->r->s, e->booth_id) : NULL;
    if (!m || m->state != MEMBER_ENTERING || !m->reread) return false;
    m->reread = false;
    metrics_chat_hidden_reread();
    read_enter(e);
    return true;
}

static void on_enter_read(void *arg, enum db_status st, const struct db_result *res, int row)
{
    struct enter *e = arg;
    struct request *r = e->r;
    if (st == DB_OK && reread_after_hide(e)) return;
    if (st != DB_OK || row < 0 || !session_is_open(r->s)) {
        /* the presence row is written: take it away again with the membership (the leave
         * is ordered after the enter in the presence batches) */
        booth_leave(r->app, r->s, e->booth_id);
        if (st != DB_OK) answer_failure(r, st);
        else if (row < 0) request_error(r, PROTO_NOT_FOUND, "no such booth");
        else request_error(r, PROTO_UNAVAILABLE, "session closed");
        free(e);
        return;
    }
    answer_entered(e, db_result_int64(res, row, ER_LAST_SEQ), db_result_int64(res, row, ER_VISITORS),
                   db_result_int64(res, row, ER_STAFF), db_result_value(res, row, ER_MESSAGES),
                   db_result_int64(res, row, ER_COUNT));
}

/* The presence batch with this enter committed (or failed); its read came with it. */
static void on_entered(void *arg, const struct presence_entered *res)
{
    struct enter *e = arg;
    struct request *r = e->r;
    if (res->status != DB_OK) {
        leave_room(r->app, r->s, e->booth_id);
        answer_failure(r, res->status);
        free(e);
        return;
    }
    if (!session_is_open(r->s)) {
        /* Closed while the enter was committing: the close queued its leave after this
         * enter, so the row goes with the next batch. */
        request_error(r, PROTO_UNAVAILABLE, "session closed");
        free(e);
        return;
    }
    if (!res->booth_found) {
        leave_room(r->app, r->s, e->booth_id);
        request_error(r, PROTO_NOT_FOUND, "no such booth");
        free(e);
        return;
    }
    if (res->archived_refused) {
        leave_room(r->app, r->s, e->booth_id);
        request_error(r, PROTO_FORBIDDEN, "this booth is archived: it is closed to visitors");
        free(e);
        return;
    }
    snprintf(e->role, sizeof e->role, "%s", res->role);
    struct member *m = room_member(r->s, e->booth_id);
    if (m) snprintf(m->role, sizeof m->role, "%s", e->role);
    if (!res->read) {
        /* the booth lost its chat counter: it is being deleted */
        booth_leave(r->app, r->s, e->booth_id);
        request_error(r, PROTO_NOT_FOUND, "no such booth");
        free(e);
        return;
    }
    if (reread_after_hide(e)) return;
    answer_entered(e, res->last_seq, res->visitors_now, res->staff_online, res->messages, res->n_messages);
}

/* booth.enter {booth_id, since_seq?} */
static void handle_enter(struct request *r)
{
    char err[200];
    int64_t booth_id, since = -1;
    if (request_get_id(r, "booth_id", &booth_id)) return;
    if (proto_get_int(r->data, "since_seq", false, 0, INT64_C(9007199254740991), &since, err, sizeof err)) {
        request_error(r, PROTO_BAD_REQUEST, "%s", err);
        return;
    }
    struct session *s = r->s;
    /* A re-enter (e.g. a second tab on the same socket): leave first, then enter anew. */
    leave_room(r->app, s, booth_id);
    /* Join now, ENTERING: nothing is delivered until the read gives the seq to start from. */
    if (!room_join(r->app->rooms, booth_id, s)) {
        request_error(r, PROTO_BAD_REQUEST, "at most %d booths at once", SESSION_MAX_BOOTHS);
        return;
    }
    struct enter *e = calloc(1, sizeof *e);
    if (!e) abort();
    e->r = r;
    e->booth_id = booth_id;
    e->since = since;
    e->arrived_ms = app_now_ms(r->app);
    struct presence_enter_req req = {.session_id = s->id, .booth_id = booth_id, .account_id = s->account_id,
                                     .account_role = role_text(s->role), .since = since, .limit = enter_limit(since)};
    presence_enter(r->app->presence, &req, e->arrived_ms, on_entered, e);
}

/* ---------- booth.leave ---------- */

void booth_leave(struct app *app, struct session *s, int64_t booth_id)
{
    leave_room(app, s, booth_id);
    presence_leave(app->presence, s->id, booth_id);
}

void booth_leave_all(struct app *app, struct session *s)
{
    while (s->n_rooms) booth_leave(app, s, s->rooms[0]->booth_id);
}

static void handle_leave(struct request *r)
{
    int64_t booth_id;
    if (request_get_id(r, "booth_id", &booth_id)) return;
    if (room_member(r->s, booth_id)) booth_leave(r->app, r->s, booth_id);
    request_ok(r, NULL);
}

static const struct route routes[] = {
    {"booth.enter", handle_enter, ROLES_SIGNED_IN, RATE_DEFAULT},
    {"booth.get", handle_get, ROLES_ANYONE, RATE_DEFAULT},
    {"booth.leave", handle_leave, ROLES_SIGNED_IN, RATE_DEFAULT},
};

static void *create(struct app *app)
{
    struct booth *b = calloc(1, sizeof *b);
    if (!b) abort();
    b->app = app;
    b->reads = enter_reads_new(app);
    return b;
}

static void destroy(void *self)
{
    struct booth *b = self;
    enter_reads_free(b->reads);
    free(b);
}

const struct domain booth_domain = {
    .name = "booth",
    DOMAIN_ROUTES(routes),
    .create = create,
    .destroy = destroy,
};
