/* moderation.c — expo-wide bans and the audit log: account.ban, account.unban, ban.list and
 * audit.list, organizers only; chat.hide, organizers and the booth's own staff.
 *
 * A ban is one statement: the ban row, the account's session tokens revoked (so no resume),
 * the audit row, and a NOTIFY on BAN_CHANNEL on which every node closes the account's open
 * sessions (1008, "account suspended"). Sign-in is refused while the ban is in force (the auth
 * domain's password lookup checks SQL_BANNED). Organizers cannot be banned: an organizer
 * locking out the others is not moderation. */
#include "domains/organizer/moderation.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/app.h"
#include "core/room.h"
#include "core/protocol.h"
#include "util/log.h"
#include "core/request.h"
#include "core/session.h"
#include "domains/organizer/organizer_sql.h"
#include "util/text.h"
#include "util/timefmt.h"

/* $2 account id or NULL, $3 email or NULL, $4 reason, $5 until or NULL. Row: the target's
 * role (no row: no such account), the ban id (NULL: not banned, the target is an organizer). */
static struct db_stmt q_ban = DB_STMT("account_ban",
    "WITH acc AS (SELECT id, role FROM accounts WHERE id = $2 OR lower(email) = lower($3) LIMIT 1),"
    " b AS (INSERT INTO bans (account_id, reason, created_by, expires_at)"
    "   SELECT id, $4, $1, $5::timestamptz FROM acc WHERE role <> 'organizer' RETURNING *),"
    " tok AS (UPDATE auth_tokens SET revoked_at = now() WHERE account_id IN (SELECT account_id FROM b) AND revoked_at IS NULL),"
    " l AS (" SQL_AUDIT("account.ban", "account", "b.account_id", "NULL", "to_jsonb(b)") " FROM b)"
    " SELECT acc.role, (SELECT id FROM b), acc.id,"
    "  (SELECT pg_notify('" BAN_CHANNEL "', account_id::text) FROM b) FROM acc");
static struct db_stmt q_unban = DB_STMT("account_unban",
    "WITH b AS (SELECT * FROM bans WHERE account_id = $2 AND booth_id IS NULL AND revoked_at IS NULL"
    "   AND (expires_at IS NULL OR expires_at > now()) FOR UPDATE),"
    " u AS (UPDATE bans x SET revoked_at = now(), revoked_by = $1 FROM b WHERE x.id = b.id RETURNING x.*),"
    " l AS (" SQL_AUDIT("account.unban", "account", "u.account_id", "(SELECT to_jsonb(b) FROM b WHERE b.id = u.id)", "to_jsonb(u)") " FROM u)"
    " SELECT count(*) FROM u");
static struct db_stmt q_bans = DB_STMT("ban_list",
    "SELECT coalesce(json_agg(json_build_object('id', b.id, 'account_id', b.account_id, 'name', a.name,"
    " 'email', a.email, 'reason', b.reason, 'created_at', " SQL_UTC("b.created_at") ","
    " 'expires_at', " SQL_UTC("b.expires_at") ") ORDER BY b.created_at DESC), '[]')::text"
    " FROM bans b JOIN accounts a ON a.id = b.account_id WHERE b.booth_id IS NULL AND b.revoked_at IS NULL"
    " AND (b.expires_at IS NULL OR b.expires_at > now())");
static struct db_stmt q_audit = DB_STMT("audit_list",
    "SELECT coalesce(json_agg(json_build_object('id', l.id, 'at', " SQL_UTC("l.at") ", 'actor_id', l.actor_id,"
    " 'actor', a.name, 'action', l.action, 'target_type', l.target_type, 'target_id', l.target_id,"
    " 'detail', l.detail) ORDER BY l.id DESC), '[]')::text FROM ("
    " SELECT * FROM audit_log WHERE ($1::bigint IS NULL OR id < $1) ORDER BY id DESC LIMIT $2) l"
    " LEFT JOIN accounts a ON a.id = l.actor_id");

/* $1 actor, $2 booth, $3 seq. Row: allowed (organizer, or staff of that booth), found, newly
 * hidden. The audit row keeps the text (before), so organizers can still read what was hidden.
 * The NOTIFY carries who hid it and when, for the staff's form of chat.hidden:
 * {"b": booth, "s": seq, "at": RFC 3339, "by": {"id", "name"}} (well under 8000 bytes: a name
 * is at most 200 characters). */
static struct db_stmt q_hide = DB_STMT("chat_hide",
    "WITH ok AS (SELECT 1 FROM accounts WHERE id = $1 AND (role = 'organizer'"
    "   OR EXISTS (SELECT 1 FROM booth_staff s WHERE s.booth_id = $2 AND s.account_id = $1))),"
    " b AS (SELECT * FROM chat_messages WHERE booth_id = $2 AND seq = $3 AND EXISTS (SELECT 1 FROM ok) FOR UPDATE),"
    " h AS (UPDATE chat_messages c SET hidden_at = now(), hidden_by = $1 FROM b WHERE c.id = b.id AND c.hidden_at IS NULL"
    "   RETURNING c.*),"
    " l AS (" SQL_AUDIT("chat.hide", "chat_message", "h.id", "(SELECT to_jsonb(b) FROM b)", "to_jsonb(h)") " FROM h)"
    " SELECT EXISTS (SELECT 1 FROM ok), (SELECT count(*) FROM b), (SELECT count(*) FROM h),"
    "  (SELECT pg_notify('" CHAT_HIDE_CHANNEL "', json_build_object('b', h.booth_id, 's', h.seq,"
    "    'at', " SQL_UTC("h.hidden_at") ", 'by', json_build_object('id', a.id, 'name', a.name))::text)"
    "   FROM h JOIN accounts a ON a.id = h.hidden_by)");

static int get_id(struct request *r, const char *name, bool required, int64_t *out)
{
    char err[200];
    if (proto_get_int(r->data, name, required, 1, INT64_C(9007199254740991), out, err, sizeof err)) {
        request_error(r, PROTO_BAD_REQUEST, "%s", err);
        return -1;
    }
    return 0;
}

static void on_banned(void *arg, const struct db_result *res)
{
    struct request *r = arg;
    if (db_result_status(res) != DB_OK) {
        if (db_result_status(res) == DB_ERR_QUERY && !strcmp(db_result_sqlstate(res), "23514")) {
            request_error(r, PROTO_BAD_REQUEST, "'until' must be in the future");
            return;
        }
        request_db_error(r, res);
        return;
    }
    if (db_result_rows(res) != 1) { request_error(r, PROTO_NOT_FOUND, "no such account"); return; }
    if (db_result_isnull(res, 0, 1)) { request_error(r, PROTO_FORBIDDEN, "organizers cannot be banned"); return; }
    log_info("session %llu: account %s banned", (unsigned long long)r->s->id, db_result_value(res, 0, 2));
    cJSON *d = cJSON_CreateObject();
    cJSON_AddNumberToObject(d, "ban_id", (double)db_result_int64(res, 0, 1));
    cJSON_AddNumberToObject(d, "account_id", (double)db_result_int64(res, 0, 2));
    request_ok(r, d);
}

/* {account_id | email, reason (1-1000), until?: RFC 3339} -> {ban_id, account_id} */
void moderation_handle_ban(struct request *r)
{
    char err[200];
    int64_t id = 0;
    const char *email = NULL, *reason, *until = NULL;
    if (get_id(r, "account_id", false, &id)) return;
    if (proto_get_string(r->data, "email", false, 3, 254, &email, err, sizeof err) ||
        proto_get_string(r->data, "reason", true, 1, 1000, &reason, err, sizeof err) ||
        proto_get_string(r->data, "until", false, 1, 40, &until, err, sizeof err)) {
        request_error(r, PROTO_BAD_REQUEST, "%s", err);
        return;
    }
    if (!id == !email) { request_error(r, PROTO_BAD_REQUEST, "give exactly one of 'account_id' and 'email'"); return; }
    if (until && !timefmt_is_rfc3339(until)) {
        request_error(r, PROTO_BAD_REQUEST, "'until' must be an RFC 3339 time with offset");
        return;
    }
    char *why = text_clean(reason);
    if (!*why) { free(why); request_error(r, PROTO_BAD_REQUEST, "'reason' must have visible text"); return; }
    char acc[REQUEST_INT_LEN], idb[REQUEST_INT_LEN];
    const char *p[] = {request_int(acc, r->s->account_id), id ? request_int(idb, id) : NULL, email, why, until};
    (void)request_query(r, &q_ban, 5, p, on_banned, r);
    free(why);
}

static void on_unbanned(void *arg, const struct db_result *res)
{
    struct request *r = arg;
    if (db_result_status(res) != DB_OK) { request_db_error(r, res); return; }
    if (db_result_int64(res, 0, 0) == 0) { request_error(r, PROTO_NOT_FOUND, "this account has no ban in force"); return; }
    request_ok(r, NULL);
}

/* {account_id} -> {} */
void moderation_handle_unban(struct request *r)
{
    int64_t id;
    if (get_id(r, "account_id", true, &id)) return;
    char acc[REQUEST_INT_LEN], idb[REQUEST_INT_LEN];
    const char *p[] = {request_int(acc, r->s->account_id), request_int(idb, id)};
    (void)request_query(r, &q_unban, 2, p, on_unbanned, r);
}

static void on_json(void *arg, const struct db_result *res)
{
    struct request *r = arg;
    if (db_result_status(res) != DB_OK) { request_db_error(r, res); return; }
    cJSON *d = cJSON_CreateObject();
    cJSON_AddRawToObject(d, r->ctx ? (const char *)r->ctx : "items", db_result_value(res, 0, 0));
    request_ok(r, d);
}

/* {} -> {bans: [...]} (the bans in force) */
void moderation_handle_bans(struct request *r)
{
    r->ctx = (void *)"bans";
    (void)request_query(r, &q_bans, 0, NULL, on_json, r);
}

/* {before_id?, limit?: 1..200 (50)} -> {entries: [...]} newest first */
void moderation_handle_audit(struct request *r)
{
    char err[200];
    int64_t before = 0, limit = 50;
    if (get_id(r, "before_id", false, &before)) return;
    if (proto_get_int(r->data, "limit", false, 1, 200, &limit, err, sizeof err)) {
        request_error(r, PROTO_BAD_REQUEST, "%s", err);
        return;
    }
    r->ctx = (void *)"entries";
    char b[REQUEST_INT_LEN], l[REQUEST_INT_LEN];
    const char *p[] = {before ? request_int(b, before) : NULL, request_int(l, limit)};
    (void)request_query(r, &q_audit, 2, p, on_json, r);
}

static void on_hidden(void *arg, const struct db_result *res)
{
    struct request *r = arg;
    if (db_result_status(res) != DB_OK) { request_db_error(r, res); return; }
    if (!db_result_bool(res, 0, 0)) { request_error(r, PROTO_FORBIDDEN, "only organizers and this booth's staff may hide its messages"); return; }
    if (db_result_int64(res, 0, 1) == 0) { request_error(r, PROTO_NOT_FOUND, "no such message"); return; }
    cJSON *d = cJSON_CreateObject();
    cJSON_AddBoolToObject(d, "already_hidden", db_result_int64(res, 0, 2) == 0);
    request_ok(r, d);
}

/* {booth_id, seq} -> {already_hidden}. Organizers, and exhibitors for their own booth. */
void moderation_handle_hide(struct request *r)
{
    int64_t booth, seq;
    if (get_id(r, "booth_id", true, &booth) || get_id(r, "seq", true, &seq)) return;
    char acc[REQUEST_INT_LEN], b[REQUEST_INT_LEN], s[REQUEST_INT_LEN];
    const char *p[] = {request_int(acc, r->s->account_id), request_int(b, booth), request_int(s, seq)};
    (void)request_query(r, &q_hide, 3, p, on_hidden, r);
}

/* Every member of the booth on this node gets chat.hidden: visitors {booth_id, seq} (their page
 * removes the message), the booth's staff and organizers also {hidden_at, hidden_by} (their page
 * keeps the text, greyed). The room forgets its ring copy of the message first, so nobody
 * catches up across it from memory (core/room.h). */
void moderation_on_hide_notify(struct app *app, const char *payload)
{
    cJSON *j = cJSON_Parse(payload);
    const cJSON *b = cJSON_GetObjectItemCaseSensitive(j, "b"), *q = cJSON_GetObjectItemCaseSensitive(j, "s");
    if (!cJSON_IsNumber(b) || !cJSON_IsNumber(q) || b->valuedouble < 1 || q->valuedouble < 1) {
        log_warn("chat.hide: unreadable notification");
        cJSON_Delete(j);
        return;
    }
    int64_t booth = (int64_t)b->valuedouble, seq = (int64_t)q->valuedouble;
    room_hidden(app->rooms, booth, seq);
    cJSON *d = cJSON_CreateObject();
    cJSON_AddNumberToObject(d, "booth_id", (double)booth);
    cJSON_AddNumberToObject(d, "seq", (double)seq);
    struct outmsg *m = protocol_event("chat.hidden", cJSON_Duplicate(d, 1));
    const cJSON *at = cJSON_GetObjectItemCaseSensitive(j, "at"), *by = cJSON_GetObjectItemCaseSensitive(j, "by");
    if (cJSON_IsString(at)) cJSON_AddStringToObject(d, "hidden_at", at->valuestring);
    if (cJSON_IsObject(by)) cJSON_AddItemToObject(d, "hidden_by", cJSON_Duplicate(by, 1));
    struct outmsg *mp = protocol_event("chat.hidden", d);
    room_publish_split(app->rooms, booth, m, mp);
    outmsg_unref(m);
    outmsg_unref(mp);
    cJSON_Delete(j);
}

static void close_banned(struct session *s, void *arg)
{
    (void)arg;
    session_close(s, 1008, "account suspended by the organizers");
}

void moderation_on_ban_notify(struct app *app, const char *payload)
{
    char *end;
    long long id = strtoll(payload, &end, 10);
    if (end == payload || *end || id <= 0) return;
    sessions_foreach_of_account(app->sessions, id, close_banned, NULL);
}
