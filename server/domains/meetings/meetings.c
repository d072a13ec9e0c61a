/* meetings.c — meeting.availability.set, meeting.slots, meeting.request, meeting.respond,
 * meeting.cancel, meeting.list, and the meeting.updated fan-out.
 *
 * Every write is one call of a plpgsql function in schema.sql that checks the actor's right
 * first and lets PostgreSQL's exclusion constraints decide double bookings; each change
 * NOTIFYs boothd_meeting, and every node sends meeting.updated to the local sessions of
 * the visitor and of the booth's staff (meeting_on_notify). The reply to the acting
 * session is the meeting as read after the commit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domains/meetings/meetings.h"

#include "domains/meetings/calendar.h"

#include "core/app.h"
#include "core/request.h"
#include "core/session.h"
#include "db/db.h"
#include "domains/meetings/meeting_sql.h"
#include "util/log.h"
#include "util/text.h"
#include "util/timefmt.h"

#define MAX_WINDOWS 200

static struct db_stmt q_avail_set = DB_STMT("meeting_availability_set",
    "SELECT meeting_availability_set($1, $2, $3::jsonb, $4)");
static struct db_stmt q_avail_get = DB_STMT("meeting_availability_get",
    "SELECT coalesce(json_agg(json_build_object('starts_at', rfc3339_in_zone(a.starts_at, b.time_zone),"
    " 'ends_at', rfc3339_in_zone(a.ends_at, b.time_zone), 'slot_minutes', a.slot_minutes) ORDER BY a.starts_at), '[]')::text"
    " FROM meeting_availability a JOIN booths b ON b.id = a.booth_id WHERE a.booth_id = $1");
static struct db_stmt q_slots = DB_STMT("meeting_slots",
    "SELECT b.time_zone, coalesce((SELECT json_agg(json_build_object("
    "   'starts_at', rfc3339_in_zone(s, b.time_zone),"
    "   'ends_at', rfc3339_in_zone(s + make_interval(mins => a.slot_minutes), b.time_zone),"
    "   'slot_minutes', a.slot_minutes,"
    "   'available', NOT EXISTS (SELECT 1 FROM meetings m WHERE m.status = 'accepted'"
    "       AND (m.booth_id = b.id OR m.visitor_id = $2)"
    "       AND tstzrange(m.starts_at, m.ends_at) && tstzrange(s, s + make_interval(mins => a.slot_minutes)))"
    "   ) ORDER BY s)"
    "   FROM meeting_availability a CROSS JOIN LATERAL generate_series(a.starts_at,"
    "     a.ends_at - make_interval(mins => a.slot_minutes), make_interval(mins => a.slot_minutes)) AS s"
    "   WHERE a.booth_id = b.id AND s >= greatest(coalesce($3::timestamptz, now()), now())"
    "     AND s < coalesce($4::timestamptz, 'infinity'::timestamptz)), '[]')::text"
    " FROM booths b WHERE b.id = $1");
static struct db_stmt q_request = DB_STMT("meeting_request",
    "SELECT error, meeting_id FROM meeting_request($1, $2, $3::timestamptz, $4)");
static struct db_stmt q_respond = DB_STMT("meeting_respond",
    "SELECT meeting_respond($1, $2, $3::boolean, $4)");
static struct db_stmt q_cancel = DB_STMT("meeting_cancel",
    "SELECT meeting_cancel($1, $2, $3)");
static struct db_stmt q_get = DB_STMT("meeting_get",
    "SELECT " SQL_MEETING_JSON "::text, mt.visitor_id,"
    " array(SELECT account_id FROM booth_staff s WHERE s.booth_id = mt.booth_id)::text"
    SQL_MEETING_FROM " WHERE mt.id = $1");
static struct db_stmt q_list = DB_STMT("meeting_list",
    "SELECT coalesce(json_agg(" SQL_MEETING_JSON " ORDER BY mt.starts_at, mt.id), '[]')::text"
    SQL_MEETING_FROM
    " WHERE " SQL_MEETING_PARTY("mt", "$1"));

/* Data errors from PostgreSQL (bad timestamps, failed CHECKs) are the client's mistake. */
static void reply_db_error(struct request *r, const struct db_result *res)
{
    const char *st = db_result_sqlstate(res);
    if (db_result_status(res) == DB_ERR_QUERY && (!strncmp(st, "22", 2) || !strcmp(st, "23514"))) {
        request_error(r, PROTO_BAD_REQUEST, "invalid times: check that each end is after its start, "
                      "windows do not overlap and last at most 31 days");
        return;
    }
    request_db_error(r, res);
}

static int get_time(struct request *r, const char *name, bool required, const char **out)
{
    char err[200];
    if (proto_get_string(r->data, name, required, 1, 40, out, err, sizeof err)) {
        request_error(r, PROTO_BAD_REQUEST, "%s", err);
        return -1;
    }
    if (*out && !timefmt_is_rfc3339(*out)) {
        request_error(r, PROTO_BAD_REQUEST, "'%s' must be an RFC 3339 time with offset, e.g. 2026-12-09T09:00:00+09:00", name);
        return -1;
    }
    return 0;
}

/* Optional free text (note, message, reason): cleaned, at most 1000 characters. */
static int get_text(struct request *r, const char *name, char **out)
{
    char err[200];
    const char *t;
    *out = NULL;
    if (proto_get_string(r->data, name, false, 0, 1000, &t, err, sizeof err)) {
        request_error(r, PROTO_BAD_REQUEST, "%s", err);
        return -1;
    }
    if (t) {
        *out = text_clean(t);
        if (!**out) { free(*out); *out = NULL; }
    }
    return 0;
}

/* ---------- reading one meeting back after a write ---------- */

static void on_meeting_read(void *arg, const struct db_result *res)
{
    struct request *r = arg;
    if (db_result_status(res) != DB_OK) { request_db_error(r, res); return; }
    if (db_result_rows(res) != 1) { request_error(r, PROTO_NOT_FOUND, "no such meeting"); return; }
    request_ok_raw(r, "meeting", db_result_value(res, 0, 0));
}

static void reply_meeting(struct request *r, int64_t id)
{
    char idb[REQUEST_INT_LEN];
    const char *p[] = {request_int(idb, id)};
    (void)request_query(r, &q_get, 1, p, on_meeting_read, r);
}

/* Maps a function's error word to a reply. Returns true when it replied. */
static bool reply_word(struct request *r, const char *word)
{
    if (!word || !*word) return false;
    if (!strcmp(word, "not_found")) request_error(r, PROTO_NOT_FOUND, "no such meeting or booth");
    else if (!strcmp(word, "forbidden")) request_error(r, PROTO_FORBIDDEN, "only this booth's staff may do this");
    else if (!strcmp(word, "conflict")) request_error(r, PROTO_CONFLICT, "that time is no longer free, or the meeting changed meanwhile");
    else if (!strcmp(word, "booth_archived")) request_error(r, PROTO_FORBIDDEN, "this booth is archived: it takes no meeting requests");
    else if (!strcmp(word, "not_a_slot")) request_error(r, PROTO_BAD_REQUEST, "'starts_at' is not a free slot of this booth's availability");
    else request_error(r, PROTO_BAD_REQUEST, "%s", word);
    return true;
}

/* ---------- meeting.availability.set ---------- */

struct avail { struct request *r; int64_t booth_id; };

static void on_avail_read(void *arg, const struct db_result *res)
{
    struct avail *a = arg;
    struct request *r = a->r;
    free(a);
    if (db_result_status(res) != DB_OK) { request_db_error(r, res); return; }
    request_ok_raw(r, "windows", db_result_value(res, 0, 0));
}

static void on_avail_set(void *arg, const struct db_result *res)
{
    struct avail *a = arg;
    struct request *r = a->r;
    if (db_result_status(res) != DB_OK) { free(a); reply_db_error(r, res); return; }
    if (!db_result_isnull(res, 0, 0)) { free(a); reply_word(r, db_result_value(res, 0, 0)); return; }
    char idb[REQUEST_INT_LEN];
    const char *p[] = {request_int(idb, a->booth_id)};
    if (request_query(r, &q_avail_get, 1, p, on_avail_read, a)) free(a);
}

/* {booth_id, windows: [{starts_at, ends_at}], slot_minutes (15-120)} -> {windows} */
static void handle_availability_set(struct request *r)
{
    char err[200];
    int64_t booth_id, slot;
    if (request_get_id(r, "booth_id", &booth_id)) return;
    if (proto_get_int(r->data, "slot_minutes", true, 15, 120, &slot, err, sizeof err)) {
        request_error(r, PROTO_BAD_REQUEST, "%s", err);
        return;
    }
    const cJSON *wins = cJSON_GetObjectItemCaseSensitive(r->data, "windows");
    if (!cJSON_IsArray(wins) || cJSON_GetArraySize(wins) > MAX_WINDOWS) {
        request_error(r, PROTO_BAD_REQUEST, "'windows' must be an array of at most %d {starts_at, ends_at}", MAX_WINDOWS);
        return;
    }
    /* Rebuild the array from validated fields only: nothing else reaches the database. */
    cJSON *clean = cJSON_CreateArray();
    const cJSON *w;
    cJSON_ArrayForEach(w, wins) {
        const char *s, *e;
        if (!cJSON_IsObject(w) || proto_get_string(w, "starts_at", true, 1, 40, &s, err, sizeof err) ||
            proto_get_string(w, "ends_at", true, 1, 40, &e, err, sizeof err) ||
            !timefmt_is_rfc3339(s) || !timefmt_is_rfc3339(e)) {
            cJSON_Delete(clean);
            request_error(r, PROTO_BAD_REQUEST, "each window needs 'starts_at' and 'ends_at' as RFC 3339 times with offset");
            return;
        }
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "starts_at", s);
        cJSON_AddStringToObject(o, "ends_at", e);
        cJSON_AddItemToArray(clean, o);
    }
    char *json = cJSON_PrintUnformatted(clean);
    cJSON_Delete(clean);
    char idb[REQUEST_INT_LEN], acc[REQUEST_INT_LEN], sl[REQUEST_INT_LEN];
    struct avail *a = malloc(sizeof *a);
    if (!a) abort();
    a->r = r;
    a->booth_id = booth_id;
    const char *p[] = {request_int(idb, booth_id), request_int(acc, r->s->account_id), json, request_int(sl, slot)};
    if (request_query(r, &q_avail_set, 4, p, on_avail_set, a)) free(a);
    free(json);
}

/* ---------- meeting.slots ---------- */

static void on_slots(void *arg, const struct db_result *res)
{
    struct request *r = arg;
    if (db_result_status(res) != DB_OK) { reply_db_error(r, res); return; }
    if (db_result_rows(res) != 1) { request_error(r, PROTO_NOT_FOUND, "no such booth"); return; }
    cJSON *d = cJSON_CreateObject();
    cJSON_AddStringToObject(d, "time_zone", db_result_value(res, 0, 0));
    cJSON_AddRawToObject(d, "slots", db_result_value(res, 0, 1));
    request_ok(r, d);
}

/* {booth_id, from?, to?} -> {time_zone, slots: [{starts_at, ends_at, available}]} */
static void handle_slots(struct request *r)
{
    int64_t booth_id;
    const char *from, *to;
    if (request_get_id(r, "booth_id", &booth_id) || get_time(r, "from", false, &from) || get_time(r, "to", false, &to))
        return;
    char idb[REQUEST_INT_LEN], acc[REQUEST_INT_LEN];
    const char *p[] = {request_int(idb, booth_id), request_int(acc, r->s->account_id), from, to};
    (void)request_query(r, &q_slots, 4, p, on_slots, r);
}

/* ---------- meeting.request ---------- */

static void on_requested(void *arg, const struct db_result *res)
{
    struct request *r = arg;
    if (db_result_status(res) != DB_OK) { reply_db_error(r, res); return; }
    if (!db_result_isnull(res, 0, 0)) { reply_word(r, db_result_value(res, 0, 0)); return; }
    log_info("session %llu: meeting %s requested", (unsigned long long)r->s->id, db_result_value(res, 0, 1));
    reply_meeting(r, db_result_int64(res, 0, 1));
}

/* {booth_id, starts_at, note? (<= 1000)} -> {meeting} */
static void handle_request(struct request *r)
{
    int64_t booth_id;
    const char *starts;
    char *note;
    if (request_get_id(r, "booth_id", &booth_id) || get_time(r, "starts_at", true, &starts) || get_text(r, "note", &note))
        return;
    char idb[REQUEST_INT_LEN], acc[REQUEST_INT_LEN];
    const char *p[] = {request_int(idb, booth_id), request_int(acc, r->s->account_id), starts, note};
    (void)request_query(r, &q_request, 4, p, on_requested, r);
    free(note);
}

/* ---------- meeting.respond / meeting.cancel ---------- */

struct change { struct request *r; int64_t id; };

static void on_changed(void *arg, const struct db_result *res)
{
    struct change *c = arg;
    struct request *r = c->r;
    int64_t id = c->id;
    free(c);
    if (db_result_status(res) != DB_OK) { reply_db_error(r, res); return; }
    if (!db_result_isnull(res, 0, 0)) { reply_word(r, db_result_value(res, 0, 0)); return; }
    reply_meeting(r, id);
}

static void run_change(struct request *r, struct db_stmt *st, int64_t id, const char *arg3, const char *arg4)
{
    char idb[REQUEST_INT_LEN], acc[REQUEST_INT_LEN];
    struct change *c = malloc(sizeof *c);
    if (!c) abort();
    c->r = r;
    c->id = id;
    const char *p[] = {request_int(idb, id), request_int(acc, r->s->account_id), arg3, arg4};
    if (request_query(r, st, arg4 || st == &q_respond ? 4 : 3, p, on_changed, c)) free(c);
}

/* {meeting_id, decision: "accept"|"decline", message?} -> {meeting} */
static void handle_respond(struct request *r)
{
    char err[200];
    int64_t id;
    const char *decision;
    char *message;
    if (request_get_id(r, "meeting_id", &id)) return;
    if (proto_get_string(r->data, "decision", true, 1, 10, &decision, err, sizeof err)) {
        request_error(r, PROTO_BAD_REQUEST, "%s", err);
        return;
    }
    if (strcmp(decision, "accept") && strcmp(decision, "decline")) {
        request_error(r, PROTO_BAD_REQUEST, "'decision' must be \"accept\" or \"decline\"");
        return;
    }
    if (get_text(r, "message", &message)) return;
    run_change(r, &q_respond, id, !strcmp(decision, "accept") ? "true" : "false", message);
    free(message);
}

/* {meeting_id, reason?} -> {meeting} */
static void handle_cancel(struct request *r)
{
    int64_t id;
    char *reason;
    if (request_get_id(r, "meeting_id", &id) || get_text(r, "reason", &reason)) return;
    run_change(r, &q_cancel, id, reason, NULL);
    free(reason);
}

/* ---------- meeting.list ---------- */

static void on_list(void *arg, const struct db_result *res)
{
    struct request *r = arg;
    if (db_result_status(res) != DB_OK) { request_db_error(r, res); return; }
    request_ok_raw(r, "meetings", db_result_value(res, 0, 0));
}

static void handle_list(struct request *r)
{
    char acc[REQUEST_INT_LEN];
    const char *p[] = {request_int(acc, r->s->account_id)};
    (void)request_query(r, &q_list, 1, p, on_list, r);
}

/* ---------- meeting.updated fan-out ---------- */

static void send_event(struct session *s, void *arg)
{
    session_send(s, arg);
}

/* Row: the meeting JSON, the visitor's account id, and the booth's staff account ids as a
 * PostgreSQL array literal "{7,12}". Every open session of a party on this node gets the
 * event once, found through the account index (no walk over all sessions, no cap). */
static void on_notified_meeting(void *arg, const struct db_result *res)
{
    struct app *app = arg;
    if (db_result_status(res) != DB_OK || db_result_rows(res) != 1) return;
    struct outmsg *ev = protocol_event_raw("meeting.updated", "meeting", db_result_value(res, 0, 0));
    int64_t visitor = db_result_int64(res, 0, 1);
    sessions_foreach_of_account(app->sessions, visitor, send_event, ev);
    for (const char *p = db_result_value(res, 0, 2); *p;) {
        if (*p < '0' || *p > '9') { p++; continue; }
        char *end;
        long long staff = strtoll(p, &end, 10);
        if (staff != visitor) sessions_foreach_of_account(app->sessions, staff, send_event, ev);
        p = end;
    }
    outmsg_unref(ev);
}

static void on_notify(void *self, const char *channel, const char *payload, bool own)
{
    struct app *app = self;
    (void)channel;
    (void)own;
    char *end;
    long long id = strtoll(payload, &end, 10);
    if (end == payload || *end || id <= 0) return;
    const char *p[] = {payload};
    if (db_query(app->db, &q_get, 1, p, on_notified_meeting, app))
        log_warn("meetings: meeting %lld changed but cannot be read now; its parties see it on their next list", id);
}

/* The domain keeps no state of its own: its self is the app. */
static void *create(struct app *app) { return app; }

static void http_calendar(void *self, struct http_reply *h, const char *path, const char *authorization)
{
    calendar_download(self, h, path, authorization);
}

static const struct http_route http_routes[] = {
    {.mount = "/meetings", .fn = http_calendar},
    {.mount = "/meetings.ics", .fn = http_calendar},
};

static const struct route routes[] = {
    {"meeting.availability.set", handle_availability_set, ROLE_EXHIBITOR, RATE_DEFAULT},
    {"meeting.cancel", handle_cancel, ROLES_SIGNED_IN, RATE_DEFAULT},
    {"meeting.list", handle_list, ROLES_SIGNED_IN, RATE_DEFAULT},
    {"meeting.request", handle_request, ROLE_VISITOR, RATE_DEFAULT},
    {"meeting.respond", handle_respond, ROLE_EXHIBITOR, RATE_DEFAULT},
    {"meeting.slots", handle_slots, ROLES_SIGNED_IN, RATE_DEFAULT},
};

const struct domain meetings_domain = {
    .name = "meetings",
    DOMAIN_ROUTES(routes),
    .channels = {MEETING_CHANNEL},
    .on_notify = on_notify,
    DOMAIN_HTTP_ROUTES(http_routes),
    .create = create,
};
