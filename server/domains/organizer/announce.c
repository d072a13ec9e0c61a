/* announce.c — expo-wide announcements: announcement.publish / .retract / .history for
 * organizers, announcement.list for everyone, and the fan-out: each change NOTIFYs
 * ANNOUNCE_CHANNEL in the committing statement, and every node sends the `announcement` or
 * `announcement.retracted` event to all of its open sessions (signed in or not), encoded once.
 * Every change is written to audit_log in the same statement. */
#include "domains/organizer/announce.h"

#include <stdlib.h>
#include <string.h>

#include "core/app.h"
#include "core/protocol.h"
#include "core/request.h"
#include "core/session.h"
#include "domains/organizer/organizer_sql.h"
#include "util/log.h"
#include "util/text.h"
#include "util/timefmt.h"

static struct db_stmt q_publish = DB_STMT("announcement_publish",
    "WITH a AS (INSERT INTO announcements (author_id, title, body, title_ko, body_ko, level, expires_at)"
    "   VALUES ($1, $2, $3, $4, $5, $6, $7::timestamptz) RETURNING *),"
    " l AS (" SQL_AUDIT("announcement.publish", "announcement", "a.id", "NULL", "to_jsonb(a)") " FROM a)"
    " SELECT " SQL_ANNOUNCEMENT_JSON("a") "::text, pg_notify('" ANNOUNCE_CHANNEL "', 'p' || a.id) FROM a");
static struct db_stmt q_retract = DB_STMT("announcement_retract",
    "WITH b AS (SELECT * FROM announcements WHERE id = $2 AND booth_id IS NULL AND retracted_at IS NULL FOR UPDATE),"
    " a AS (UPDATE announcements x SET retracted_at = now(), retracted_by = $1 FROM b WHERE x.id = b.id RETURNING x.*),"
    " l AS (" SQL_AUDIT("announcement.retract", "announcement", "a.id", "(SELECT to_jsonb(b) FROM b)", "to_jsonb(a)") " FROM a)"
    " SELECT " SQL_ANNOUNCEMENT_JSON("a") "::text, pg_notify('" ANNOUNCE_CHANNEL "', 'r' || a.id) FROM a");
static struct db_stmt q_active = DB_STMT("announcement_active",
    "SELECT coalesce(json_agg(" SQL_ANNOUNCEMENT_JSON("a") " ORDER BY a.created_at DESC), '[]')::text FROM ("
    " SELECT * FROM announcements WHERE booth_id IS NULL AND retracted_at IS NULL"
    " AND (expires_at IS NULL OR expires_at > now()) ORDER BY created_at DESC LIMIT 20) a");
static struct db_stmt q_history = DB_STMT("announcement_history",
    "SELECT coalesce(json_agg(" SQL_ANNOUNCEMENT_JSON("a") " ORDER BY a.created_at DESC), '[]')::text FROM ("
    " SELECT * FROM announcements WHERE booth_id IS NULL ORDER BY created_at DESC LIMIT 200) a");
static struct db_stmt q_one = DB_STMT("announcement_one",
    "SELECT " SQL_ANNOUNCEMENT_JSON("a") "::text FROM announcements a WHERE a.id = $1");

/* A required {en, ko} text of 1..max characters, cleaned (control characters dropped). */
static int get_bilingual(struct request *r, const char *name, size_t max, char **en, char **ko)
{
    char err[200];
    const cJSON *o = cJSON_GetObjectItemCaseSensitive(r->data, name);
    const char *e, *k;
    *en = *ko = NULL;
    if (!cJSON_IsObject(o)) {
        request_error(r, PROTO_BAD_REQUEST, "'%s' must be an object {\"en\": text, \"ko\": text}", name);
        return -1;
    }
    if (proto_get_string(o, "en", true, 1, max, &e, err, sizeof err) ||
        proto_get_string(o, "ko", true, 1, max, &k, err, sizeof err)) {
        request_error(r, PROTO_BAD_REQUEST, "%s.%s", name, err);
        return -1;
    }
    *en = text_clean(e);
    *ko = text_clean(k);
    if (!**en || !**ko) {
        free(*en);
        free(*ko);
        request_error(r, PROTO_BAD_REQUEST, "'%s' must have visible text in both languages", name);
        return -1;
    }
    return 0;
}

static void on_written(void *arg, const struct db_result *res)
{
    struct request *r = arg;
    if (db_result_status(res) != DB_OK) {
        if (db_result_status(res) == DB_ERR_QUERY && !strcmp(db_result_sqlstate(res), "23514")) {
            request_error(r, PROTO_BAD_REQUEST, "'expires_at' must be in the future");
            return;
        }
        request_db_error(r, res);
        return;
    }
    if (db_result_rows(res) != 1) { request_error(r, PROTO_NOT_FOUND, "no such active announcement"); return; }
    cJSON *d = cJSON_CreateObject();
    cJSON_AddRawToObject(d, "announcement", db_result_value(res, 0, 0));
    request_ok(r, d);
}

/* {title: {en, ko} (1-200), body: {en, ko} (1-5000), level?: "info"|"important",
 *  expires_at?: RFC 3339} -> {announcement} */
void announce_handle_publish(struct request *r)
{
    char err[200];
    const char *level = "info", *expires = NULL;
    if (proto_get_string(r->data, "level", false, 1, 20, &level, err, sizeof err) ||
        proto_get_string(r->data, "expires_at", false, 1, 40, &expires, err, sizeof err)) {
        request_error(r, PROTO_BAD_REQUEST, "%s", err);
        return;
    }
    if (!level) level = "info";
    if (strcmp(level, "info") && strcmp(level, "important")) {
        request_error(r, PROTO_BAD_REQUEST, "'level' must be \"info\" or \"important\"");
        return;
    }
    if (expires && !timefmt_is_rfc3339(expires)) {
        request_error(r, PROTO_BAD_REQUEST, "'expires_at' must be an RFC 3339 time with offset");
        return;
    }
    char *ten, *tko, *ben, *bko;
    if (get_bilingual(r, "title", 200, &ten, &tko)) return;
    if (get_bilingual(r, "body", 5000, &ben, &bko)) { free(ten); free(tko); return; }
    char acc[REQUEST_INT_LEN];
    const char *p[] = {request_int(acc, r->s->account_id), ten, ben, tko, bko, level, expires};
    (void)request_query(r, &q_publish, 7, p, on_written, r);
    free(ten);
    free(tko);
    free(ben);
    free(bko);
}

/* {id} -> {announcement} */
void announce_handle_retract(struct request *r)
{
    char err[200];
    int64_t id;
    if (proto_get_int(r->data, "id", true, 1, INT64_C(9007199254740991), &id, err, sizeof err)) {
        request_error(r, PROTO_BAD_REQUEST, "%s", err);
        return;
    }
    char acc[REQUEST_INT_LEN], idb[REQUEST_INT_LEN];
    const char *p[] = {request_int(acc, r->s->account_id), request_int(idb, id)};
    (void)request_query(r, &q_retract, 2, p, on_written, r);
}

static void on_list(void *arg, const struct db_result *res)
{
    struct request *r = arg;
    if (db_result_status(res) != DB_OK) { request_db_error(r, res); return; }
    cJSON *d = cJSON_CreateObject();
    cJSON_AddRawToObject(d, "announcements", db_result_value(res, 0, 0));
    request_ok(r, d);
}

void announce_handle_list(struct request *r) { (void)request_query(r, &q_active, 0, NULL, on_list, r); }
void announce_handle_history(struct request *r) { (void)request_query(r, &q_history, 0, NULL, on_list, r); }

/* ---------- fan-out ---------- */

static void send_all(struct session *s, void *arg)
{
    if (session_is_open(s)) session_send(s, arg);
}

static void broadcast(struct app *app, struct outmsg *m)
{
    sessions_foreach(app->sessions, send_all, m);
    outmsg_unref(m);
}

static void on_published(void *arg, const struct db_result *res)
{
    struct app *app = arg;
    if (db_result_status(res) != DB_OK || db_result_rows(res) != 1) return;
    broadcast(app, protocol_event_raw("announcement", "announcement", db_result_value(res, 0, 0)));
}

void announce_on_notify(struct app *app, const char *payload)
{
    char *end;
    long long id = strtoll(payload + 1, &end, 10);
    if (end == payload + 1 || *end || id <= 0) return;
    if (payload[0] == 'r') {
        cJSON *d = cJSON_CreateObject();
        cJSON_AddNumberToObject(d, "id", (double)id);
        broadcast(app, protocol_event("announcement.retracted", d));
    } else if (payload[0] == 'p') {
        const char *p[] = {payload + 1};
        if (db_query(app->db, &q_one, 1, p, on_published, app))
            log_warn("announcements: %lld published but cannot be read now; pages see it when they reconnect", id);
    }
}
