/* leads.c — lead.share, lead.withdraw, lead.mine (visitors), lead.list, lead.update (staff of
 * the booth or organizers), and the lead.new / lead.updated / lead.withdrawn fan-out.
 *
 * Authorization lives in SQL, checked in the same statement as the read or write
 * (booth_access() in server/db/functions.sql): there is no window between the check and the
 * use, and a staff member of booth A asking about booth B gets `forbidden` and no row. */
#include "domains/leads/leads.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/app.h"
#include "core/request.h"
#include "core/session.h"
#include "db/db.h"
#include "domains/leads/lead_export.h"
#include "domains/leads/lead_sql.h"
#include "util/log.h"
#include "util/text.h"
#include "util/timefmt.h"

#define LEAD_PAGE_MAX 100
#define LEAD_NOTES_MAX 10000         /* leads.notes CHECK */
#define CARD_FIELD_MAX 200           /* accounts.company / title CHECK */
#define CARD_COUNTRY_MAX 64          /* accounts.country CHECK */

/* The visitor's shares, optionally of one booth ($2), and their current card for the form. */
#define SQL_MINE \
    "SELECT coalesce(json_agg(json_build_object('lead_id', l.id," \
    "   'booth', json_build_object('id', b.id, 'slug', b.slug, 'name', json_build_object('en', b.name_en, 'ko', b.name_ko))," \
    "   'card', l.card, 'source', l.source, 'consent_version', l.consent_version," \
    "   'consent_at', rfc3339_in_zone(l.consent_at, b.time_zone)) ORDER BY l.consent_at DESC), '[]')::text," \
    " (SELECT json_build_object('name', a.name, 'company', a.company, 'title', a.title, 'country', a.country," \
    "   'email', a.email) FROM accounts a WHERE a.id = $1)::text" \
    " FROM leads l JOIN booths b ON b.id = l.booth_id" \
    " WHERE l.visitor_id = $1 AND l.withdrawn_at IS NULL AND ($2::bigint IS NULL OR l.booth_id = $2)"

static struct db_stmt q_share = DB_STMT("lead_share",
    "SELECT error, lead_id, kind FROM lead_share($1, $2, 'card', $3, $4, $5, $6)");
static struct db_stmt q_withdraw = DB_STMT("lead_withdraw", "SELECT lead_withdraw($1, $2)");
static struct db_stmt q_mine = DB_STMT("lead_mine", SQL_MINE);
static struct db_stmt q_update = DB_STMT("lead_update", "SELECT lead_update($1, $2, $3, $4::boolean, $5::jsonb)");
static struct db_stmt q_get = DB_STMT("lead_get",
    "SELECT " SQL_LEAD_JSON "::text FROM leads l JOIN booths b ON b.id = l.booth_id"
    " WHERE l.id = $1 AND l.withdrawn_at IS NULL");
/* $1 booth, $2 actor, $3 organizer, $4 status, $5 rating_min, $6 source, $7 from, $8 to,
 * $9 search, $10 limit, $11 offset. The filter reads nothing unless booth_access allowed it. */
static struct db_stmt q_list = DB_STMT("lead_list",
    "WITH acc AS (SELECT booth_access($1, $2, $3::boolean) AS err),"
    " f AS (SELECT l.* FROM leads l WHERE l.booth_id = $1 AND l.withdrawn_at IS NULL"
    "   AND (SELECT err FROM acc) IS NULL"
    SQL_LEAD_FILTER("$4", "$5", "$6", "$7", "$8", "$9") ")"
    " SELECT acc.err, (SELECT count(*) FROM f),"
    "  (SELECT coalesce(json_agg(j ORDER BY created_at DESC, id DESC), '[]') FROM"
    "    (SELECT " SQL_LEAD_JSON " AS j, l.created_at, l.id FROM f l JOIN booths b ON b.id = l.booth_id"
    "     ORDER BY l.created_at DESC, l.id DESC LIMIT $10 OFFSET $11) x)::text"
    " FROM acc");
/* One row per staff account of the lead's booth (none: nobody to tell). */
static struct db_stmt q_event = DB_STMT("lead_event",
    "SELECT CASE WHEN l.withdrawn_at IS NULL THEN " SQL_LEAD_JSON "::text END, l.booth_id, s.account_id"
    " FROM leads l JOIN booths b ON b.id = l.booth_id JOIN booth_staff s ON s.booth_id = l.booth_id"
    " WHERE l.id = $1");

static int get_id(struct request *r, const char *name, int64_t *out)
{
    char err[200];
    if (proto_get_int(r->data, name, true, 1, INT64_C(9007199254740991), out, err, sizeof err)) {
        request_error(r, PROTO_BAD_REQUEST, "%s", err);
        return -1;
    }
    return 0;
}

/* An optional string field of at most max characters; the message names the field. */
static int get_str(struct request *r, const char *name, size_t max, const char **out)
{
    char err[200];
    if (proto_get_string(r->data, name, false, 0, max, out, err, sizeof err)) {
        request_error(r, PROTO_BAD_REQUEST, "%s", err);
        return -1;
    }
    return 0;
}

/* An optional field whose value must be one of `words` (NULL-terminated). */
static int get_word(struct request *r, const char *name, const char *const *words, const char *list,
                    const char **out)
{
    if (get_str(r, name, 20, out)) return -1;
    if (!*out) return 0;
    for (const char *const *w = words; *w; w++)
        if (!strcmp(*out, *w)) return 0;
    request_error(r, PROTO_BAD_REQUEST, "'%s' must be one of %s", name, list);
    return -1;
}

static const char *const statuses[] = {LEAD_STATUSES, NULL};
static const char *const sources[] = {LEAD_SOURCES, NULL};
#define STATUS_LIST LEAD_STATUS_LIST
#define SOURCE_LIST LEAD_SOURCE_LIST

static bool is_organizer(const struct request *r) { return r->s->role == ROLE_ORGANIZER; }

/* Maps a function's error word to a reply. Returns true when it replied. */
static bool reply_word(struct request *r, const char *word)
{
    if (!word || !*word) return false;
    if (!strcmp(word, "forbidden")) request_error(r, PROTO_FORBIDDEN, "only this booth's staff or an organizer may do this");
    else if (!strcmp(word, "booth_archived")) request_error(r, PROTO_FORBIDDEN, "this booth is archived and takes no new cards");
    else request_error(r, PROTO_NOT_FOUND, "no such booth or lead");
    return true;
}

/* ---------- lead.mine, and the reply to lead.share ---------- */

static void on_mine(void *arg, const struct db_result *res)
{
    struct request *r = arg;
    if (db_result_status(res) != DB_OK) { request_db_error(r, res); return; }
    cJSON *d = cJSON_CreateObject();
    cJSON_AddRawToObject(d, "leads", db_result_value(res, 0, 0));
    cJSON_AddRawToObject(d, "me", db_result_isnull(res, 0, 1) ? "null" : db_result_value(res, 0, 1));
    request_ok(r, d);
}

static void run_mine(struct request *r, const char *booth_or_null)
{
    char acc[REQUEST_INT_LEN];
    const char *p[] = {request_int(acc, r->s->account_id), booth_or_null};
    (void)request_query(r, &q_mine, 2, p, on_mine, r);
}

/* {booth_id?} -> {leads: [{lead_id, booth, card, source, consent_version, consent_at}], me: card} */
static void handle_mine(struct request *r)
{
    char err[200], idb[REQUEST_INT_LEN];
    int64_t booth_id = 0;
    if (proto_get_int(r->data, "booth_id", false, 1, INT64_C(9007199254740991), &booth_id, err, sizeof err)) {
        request_error(r, PROTO_BAD_REQUEST, "%s", err);
        return;
    }
    run_mine(r, booth_id ? request_int(idb, booth_id) : NULL);
}

/* ---------- lead.share ---------- */

struct share { struct request *r; int64_t booth_id; };

static void on_shared(void *arg, const struct db_result *res)
{
    struct share *sh = arg;
    struct request *r = sh->r;
    char idb[REQUEST_INT_LEN];
    request_int(idb, sh->booth_id);
    free(sh);
    if (db_result_status(res) != DB_OK) { request_db_error(r, res); return; }
    if (reply_word(r, db_result_value(res, 0, 0))) return;
    log_info("session %llu: shared a card with booth %s (lead %s)", (unsigned long long)r->s->id, idb,
             db_result_value(res, 0, 1));
    run_mine(r, idb);
}

/* A card field: absent = keep the account's value; a string (cleaned, "" clears it). */
static int get_card_field(struct request *r, const char *name, size_t max, char **out)
{
    const char *v;
    *out = NULL;
    if (get_str(r, name, max, &v)) return -1;
    if (v) *out = text_clean(v);
    if (*out && strchr(*out, '\n')) {
        free(*out);
        *out = NULL;
        request_error(r, PROTO_BAD_REQUEST, "'%s' must be one line", name);
        return -1;
    }
    return 0;
}

/* {booth_id, consent: true, consent_version, company?, title?, country?} -> as lead.mine for
 * that booth. consent must be the literal true: the page sends it only from the dialog's
 * explicit "Share" after showing what is shared and with whom. */
static void handle_share(struct request *r)
{
    char err[200];
    int64_t booth_id;
    bool consent = false;
    const char *version;
    if (get_id(r, "booth_id", &booth_id)) return;
    if (proto_get_bool(r->data, "consent", true, &consent, err, sizeof err) || !consent) {
        request_error(r, PROTO_BAD_REQUEST, "'consent' must be true: the visitor agrees to share their card");
        return;
    }
    if (proto_get_string(r->data, "consent_version", true, 1, 40, &version, err, sizeof err)) {
        request_error(r, PROTO_BAD_REQUEST, "%s", err);
        return;
    }
    if (strspn(version, "abcdefghijklmnopqrstuvwxyz0123456789.-") != strlen(version)) {
        request_error(r, PROTO_BAD_REQUEST, "'consent_version' may hold only a-z, 0-9, '.' and '-'");
        return;
    }
    char *company = NULL, *title = NULL, *country = NULL;
    if (get_card_field(r, "company", CARD_FIELD_MAX, &company) || get_card_field(r, "title", CARD_FIELD_MAX, &title) ||
        get_card_field(r, "country", CARD_COUNTRY_MAX, &country)) {
        free(company);
        free(title);
        return;
    }
    struct share *sh = malloc(sizeof *sh);
    if (!sh) abort();
    *sh = (struct share){r, booth_id};
    char idb[REQUEST_INT_LEN], acc[REQUEST_INT_LEN];
    const char *p[] = {request_int(idb, booth_id), request_int(acc, r->s->account_id), version, company, title, country};
    if (request_query(r, &q_share, 6, p, on_shared, sh)) free(sh);
    free(company);
    free(title);
    free(country);
}

/* ---------- lead.withdraw ---------- */

static void on_withdrawn(void *arg, const struct db_result *res)
{
    struct request *r = arg;
    if (db_result_status(res) != DB_OK) { request_db_error(r, res); return; }
    if (!db_result_isnull(res, 0, 0)) {
        request_error(r, PROTO_NOT_FOUND, "you have not shared your card with this booth");
        return;
    }
    request_ok(r, NULL);
}

/* {booth_id} -> {} */
static void handle_withdraw(struct request *r)
{
    int64_t booth_id;
    if (get_id(r, "booth_id", &booth_id)) return;
    char idb[REQUEST_INT_LEN], acc[REQUEST_INT_LEN];
    const char *p[] = {request_int(idb, booth_id), request_int(acc, r->s->account_id)};
    (void)request_query(r, &q_withdraw, 2, p, on_withdrawn, r);
}

/* ---------- lead.list ---------- */

static void on_list(void *arg, const struct db_result *res)
{
    struct request *r = arg;
    if (db_result_status(res) != DB_OK) { request_db_error(r, res); return; }
    if (reply_word(r, db_result_value(res, 0, 0))) return;
    cJSON *d = cJSON_CreateObject();
    cJSON_AddNumberToObject(d, "total", (double)db_result_int64(res, 0, 1));
    cJSON_AddRawToObject(d, "leads", db_result_value(res, 0, 2));
    request_ok(r, d);
}

static int get_time(struct request *r, const char *name, const char **out)
{
    if (get_str(r, name, 40, out)) return -1;
    if (*out && !timefmt_is_rfc3339(*out)) {
        request_error(r, PROTO_BAD_REQUEST, "'%s' must be an RFC 3339 time with offset", name);
        return -1;
    }
    return 0;
}

/* {booth_id, status?, rating_min? (0-5), source?, from?, to?, q? (<= 100), limit? (1-100, 50),
 *  offset? (>= 0)} -> {total, leads: [lead]} newest first */
static void handle_list(struct request *r)
{
    char err[200];
    int64_t booth_id, rating = -1, limit = 50, offset = 0;
    const char *status, *source, *from, *to, *q;
    if (get_id(r, "booth_id", &booth_id) || get_word(r, "status", statuses, STATUS_LIST, &status) ||
        get_word(r, "source", sources, SOURCE_LIST, &source) || get_time(r, "from", &from) ||
        get_time(r, "to", &to) || get_str(r, "q", LEAD_SEARCH_MAX, &q))
        return;
    if (proto_get_int(r->data, "rating_min", false, 0, 5, &rating, err, sizeof err) ||
        proto_get_int(r->data, "limit", false, 1, LEAD_PAGE_MAX, &limit, err, sizeof err) ||
        proto_get_int(r->data, "offset", false, 0, 1000000, &offset, err, sizeof err)) {
        request_error(r, PROTO_BAD_REQUEST, "%s", err);
        return;
    }
    char idb[REQUEST_INT_LEN], acc[REQUEST_INT_LEN], rb[REQUEST_INT_LEN], lb[REQUEST_INT_LEN], ob[REQUEST_INT_LEN];
    const char *p[] = {request_int(idb, booth_id), request_int(acc, r->s->account_id),
                       is_organizer(r) ? "true" : "false", status, rating >= 0 ? request_int(rb, rating) : NULL,
                       source, from, to, q && *q ? q : NULL, request_int(lb, limit), request_int(ob, offset)};
    (void)request_query(r, &q_list, 11, p, on_list, r);
}

/* ---------- lead.update ---------- */

struct update { struct request *r; int64_t lead_id; };

static void on_lead_read(void *arg, const struct db_result *res)
{
    struct request *r = arg;
    if (db_result_status(res) != DB_OK) { request_db_error(r, res); return; }
    if (db_result_rows(res) != 1) { request_error(r, PROTO_NOT_FOUND, "no such booth or lead"); return; }
    cJSON *d = cJSON_CreateObject();
    cJSON_AddRawToObject(d, "lead", db_result_value(res, 0, 0));
    request_ok(r, d);
}

static void on_updated(void *arg, const struct db_result *res)
{
    struct update *u = arg;
    struct request *r = u->r;
    char idb[REQUEST_INT_LEN];
    request_int(idb, u->lead_id);
    free(u);
    if (db_result_status(res) != DB_OK) { request_db_error(r, res); return; }
    if (reply_word(r, db_result_value(res, 0, 0))) return;
    const char *p[] = {idb};
    (void)request_query(r, &q_get, 1, p, on_lead_read, r);
}

/* Builds the patch for lead_update from the validated fields only. Returns NULL after
 * answering r when a field is wrong. */
static cJSON *update_patch(struct request *r)
{
    char err[200];
    cJSON *patch = cJSON_CreateObject();
    const cJSON *notes = cJSON_GetObjectItemCaseSensitive(r->data, "notes");
    const cJSON *rating = cJSON_GetObjectItemCaseSensitive(r->data, "rating");
    const char *status;
    if (notes) {
        const char *t;
        if (!cJSON_IsNull(notes) && proto_get_string(r->data, "notes", false, 0, LEAD_NOTES_MAX, &t, err, sizeof err)) {
            request_error(r, PROTO_BAD_REQUEST, "%s", err);
            goto fail;
        }
        if (cJSON_IsNull(notes)) cJSON_AddNullToObject(patch, "notes");
        else {
            char *clean = text_clean(t);
            cJSON_AddStringToObject(patch, "notes", clean);
            free(clean);
        }
    }
    if (rating) {
        int64_t v;
        if (!cJSON_IsNull(rating) && proto_get_int(r->data, "rating", false, 0, 5, &v, err, sizeof err)) {
            request_error(r, PROTO_BAD_REQUEST, "%s", err);
            goto fail;
        }
        if (cJSON_IsNull(rating)) cJSON_AddNullToObject(patch, "rating");
        else cJSON_AddNumberToObject(patch, "rating", (double)v);
    }
    if (get_word(r, "status", statuses, STATUS_LIST, &status)) goto fail;
    if (status) cJSON_AddStringToObject(patch, "status", status);
    if (!cJSON_GetArraySize(patch)) {
        request_error(r, PROTO_BAD_REQUEST, "give at least one of 'notes', 'rating', 'status'");
        goto fail;
    }
    return patch;
fail:                       /* r is answered */
    cJSON_Delete(patch);
    return NULL;
}

/* {booth_id, lead_id, notes? (string|null, <= 10000), rating? (0-5|null), status?} -> {lead} */
static void handle_update(struct request *r)
{
    int64_t booth_id, lead_id;
    if (get_id(r, "booth_id", &booth_id) || get_id(r, "lead_id", &lead_id)) return;
    cJSON *patch = update_patch(r);
    if (!patch) return;
    char *json = cJSON_PrintUnformatted(patch);
    cJSON_Delete(patch);
    struct update *u = malloc(sizeof *u);
    if (!u) abort();
    *u = (struct update){r, lead_id};
    char idb[REQUEST_INT_LEN], lid[REQUEST_INT_LEN], acc[REQUEST_INT_LEN];
    const char *p[] = {request_int(idb, booth_id), request_int(lid, lead_id), request_int(acc, r->s->account_id),
                       is_organizer(r) ? "true" : "false", json};
    if (request_query(r, &q_update, 5, p, on_updated, u)) free(u);
    free(json);
}

/* ---------- lead.new / lead.updated / lead.withdrawn to the booth's staff ---------- */

struct leads { struct app *app; };

struct lead_event { struct leads *l; char type[16]; int64_t lead_id; };

static void send_event(struct session *s, void *arg) { session_send(s, arg); }

static void on_event_read(void *arg, const struct db_result *res)
{
    struct lead_event *e = arg;
    struct leads *l = e->l;
    if (db_result_status(res) != DB_OK || db_result_rows(res) == 0) { free(e); return; }
    struct outmsg *ev;
    if (!strcmp(e->type, "lead.withdrawn")) {
        cJSON *d = cJSON_CreateObject();
        cJSON_AddNumberToObject(d, "lead_id", (double)e->lead_id);
        cJSON_AddNumberToObject(d, "booth_id", (double)db_result_int64(res, 0, 1));
        ev = protocol_event(e->type, d);
    } else if (!db_result_isnull(res, 0, 0)) {
        ev = protocol_event_raw(e->type, "lead", db_result_value(res, 0, 0));
    } else {
        free(e);                /* withdrawn again before we read it: its own event follows */
        return;
    }
    for (int i = 0; i < db_result_rows(res); i++)
        sessions_foreach_of_account(l->app->sessions, db_result_int64(res, i, 2), send_event, ev);
    outmsg_unref(ev);
    free(e);
}

/* payload "<kind> <lead id>" from the functions in server/db/functions.sql */
static void on_notify(void *self, const char *channel, const char *payload, bool own)
{
    struct leads *l = self;
    (void)channel;
    (void)own;
    static const char *const kinds[][2] = {{"new ", "lead.new"}, {"updated ", "lead.updated"},
                                            {"withdrawn ", "lead.withdrawn"}};
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        size_t n = strlen(kinds[k][0]);
        if (strncmp(payload, kinds[k][0], n)) continue;
        char *end;
        long long id = strtoll(payload + n, &end, 10);
        if (end == payload + n || *end || id <= 0) return;
        struct lead_event *e = malloc(sizeof *e);
        if (!e) abort();
        e->l = l;
        e->lead_id = id;
        snprintf(e->type, sizeof e->type, "%s", kinds[k][1]);
        const char *p[] = {payload + n};
        if (db_query(l->app->db, &q_event, 1, p, on_event_read, e)) {
            free(e);
            log_warn("leads: lead %lld changed but cannot be read now; staff see it on their next list", id);
        }
        return;
    }
}

static void *create(struct app *app)
{
    struct leads *l = calloc(1, sizeof *l);
    if (!l) abort();
    l->app = app;
    return l;
}

static void destroy(void *self) { free(self); }

static void http_export(void *self, struct http_reply *h, const char *path, const char *authorization)
{
    struct leads *l = self;
    lead_export_download(l->app, h, path, authorization);
}

static const struct http_route http_routes[] = {
    {.mount = "/leads", .fn = http_export},
};

#define STAFF (ROLE_EXHIBITOR | ROLE_ORGANIZER)
static const struct route routes[] = {
    {"lead.list", handle_list, STAFF, RATE_DEFAULT},
    {"lead.mine", handle_mine, ROLES_SIGNED_IN, RATE_DEFAULT},
    {"lead.share", handle_share, ROLE_VISITOR, RATE_DEFAULT},
    {"lead.update", handle_update, STAFF, RATE_DEFAULT},
    {"lead.withdraw", handle_withdraw, ROLE_VISITOR, RATE_DEFAULT},
};

const struct domain leads_domain = {
    .name = "leads",
    .routes = routes,
    .n_routes = sizeof routes / sizeof routes[0],
    .channels = {LEAD_CHANNEL},
    .on_notify = on_notify,
    .http_routes = http_routes,
    .n_http_routes = sizeof http_routes / sizeof http_routes[0],
    .create = create,
    .destroy = destroy,
};
