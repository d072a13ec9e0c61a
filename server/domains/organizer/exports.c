/* exports.c — GET /organizer/export/<name>.csv with `Authorization: Bearer <session token>`
 * of an organizer: booths (with their statistics), meetings, registrations, the audit log.
 * RFC 4180 CSV with the UTF-8 BOM (Excel reads Korean), formulas neutralised (util/csv.h).
 *
 * Two statements: the first resolves the token to its account and, for an organizer, records
 * the export in audit_log (who downloaded what is itself worth auditing); the second reads the
 * rows. 401 for a missing or invalid token, 403 for a valid token of another role, 404 for an
 * unknown export name. Bounded to EXPORT_MAX_ROWS rows. */
#include "domains/organizer/exports.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/app.h"
#include "core/http_reply.h"
#include "db/db.h"
#include "domains/auth/token.h"
#include "domains/organizer/organizer_sql.h"
#include "util/csv.h"

#define EXPORT_MAX_ROWS "100000"

static struct db_stmt q_who = DB_STMT("export_who",
    "WITH me AS (SELECT a.id, a.role FROM auth_tokens t JOIN accounts a ON a.id = t.account_id"
    "   WHERE " SQL_TOKEN_VALID("t", "$1") " AND a.disabled_at IS NULL AND NOT " SQL_BANNED("a.id") "),"
    " l AS (INSERT INTO audit_log (actor_id, action, target_type, target_id)"
    "   SELECT id, 'export', 'export', $2 FROM me WHERE role = 'organizer')"
    " SELECT role FROM me");

static struct db_stmt q_booths = DB_STMT("export_booths",
    "SELECT b.id, b.slug, b.name_en, b.name_ko, c.name_en, cat.slug, b.tier, b.sort_order,"
    " (SELECT count(*) FROM booth_staff s WHERE s.booth_id = b.id),"
    " (SELECT count(*) FROM visits v WHERE v.booth_id = b.id),"
    " (SELECT count(DISTINCT v.account_id) FROM visits v WHERE v.booth_id = b.id),"
    " (SELECT coalesce(sum(v.dwell_seconds), 0) FROM visits v WHERE v.booth_id = b.id),"
    " (SELECT s.last_seq FROM booth_chat_seq s WHERE s.booth_id = b.id),"
    " (SELECT count(*) FROM meetings m WHERE m.booth_id = b.id),"
    " (SELECT count(*) FROM meetings m WHERE m.booth_id = b.id AND m.status = 'accepted'),"
    " (SELECT count(*) FROM leads ld WHERE ld.booth_id = b.id)"
    " FROM booths b JOIN companies c ON c.id = b.company_id LEFT JOIN categories cat ON cat.id = b.category_id"
    " ORDER BY b.sort_order, b.id LIMIT " EXPORT_MAX_ROWS);
static const char *const h_booths[] = {"booth_id", "slug", "name_en", "name_ko", "company", "category", "tier",
    "sort_order", "staff", "visits", "unique_visitors", "dwell_seconds_total", "chat_messages",
    "meetings_requested", "meetings_accepted", "leads", NULL};

static struct db_stmt q_meetings = DB_STMT("export_meetings",
    "SELECT m.id, b.slug, b.name_en, a.name, a.email, a.company, " SQL_UTC("m.starts_at") ", " SQL_UTC("m.ends_at") ","
    " m.status, " SQL_UTC("m.created_at") ", " SQL_UTC("m.updated_at")
    " FROM meetings m JOIN booths b ON b.id = m.booth_id JOIN accounts a ON a.id = m.visitor_id"
    " ORDER BY m.starts_at, m.id LIMIT " EXPORT_MAX_ROWS);
static const char *const h_meetings[] = {"meeting_id", "booth_slug", "booth_name", "visitor_name", "visitor_email",
    "visitor_company", "starts_at_utc", "ends_at_utc", "status", "created_at_utc", "updated_at_utc", NULL};

static struct db_stmt q_registrations = DB_STMT("export_registrations",
    "SELECT id, name, email, company, title, country, role, lang, " SQL_UTC("created_at")
    " FROM accounts ORDER BY id LIMIT " EXPORT_MAX_ROWS);
static const char *const h_registrations[] = {"account_id", "name", "email", "company", "title", "country", "role",
    "lang", "created_at_utc", NULL};

static struct db_stmt q_audit = DB_STMT("export_audit",
    "SELECT l.id, " SQL_UTC("l.at") ", a.email, l.action, l.target_type, l.target_id, l.detail::text"
    " FROM audit_log l LEFT JOIN accounts a ON a.id = l.actor_id ORDER BY l.id LIMIT " EXPORT_MAX_ROWS);
static const char *const h_audit[] = {"id", "at_utc", "actor_email", "action", "target_type", "target_id", "detail", NULL};

struct export_kind {
    const char *name;           /* /organizer/export/<name>.csv */
    struct db_stmt *st;
    const char *const *header;
};

static const struct export_kind kinds[] = {
    {"booths", &q_booths, h_booths},
    {"meetings", &q_meetings, h_meetings},
    {"registrations", &q_registrations, h_registrations},
    {"audit", &q_audit, h_audit},
};

struct export_ctx {
    struct app *app;
    struct http_reply *reply;
    const struct export_kind *kind;
};

static void on_rows(void *arg, const struct db_result *res)
{
    struct export_ctx *x = arg;
    struct http_reply *h = x->reply;
    const struct export_kind *k = x->kind;
    free(x);
    if (db_result_status(res) != DB_OK) { http_reply_error(h, 503, "unavailable"); return; }
    struct csv_writer w;
    csv_begin(&w, true);
    for (const char *const *c = k->header; *c; c++) csv_cell(&w, *c);
    csv_end_row(&w);
    int cols = db_result_cols(res);
    for (int i = 0; i < db_result_rows(res); i++) {
        for (int c = 0; c < cols; c++) csv_cell(&w, db_result_isnull(res, i, c) ? NULL : db_result_value(res, i, c));
        csv_end_row(&w);
    }
    http_reply_finish(h, 200, "text/csv; charset=utf-8", csv_finish(&w, NULL));
}

static void on_who(void *arg, const struct db_result *res)
{
    struct export_ctx *x = arg;
    if (db_result_status(res) != DB_OK) { http_reply_error(x->reply, 503, "unavailable"); free(x); return; }
    if (db_result_rows(res) != 1) { http_reply_error(x->reply, 401, "unauthorized"); free(x); return; }
    if (strcmp(db_result_value(res, 0, 0), "organizer")) { http_reply_error(x->reply, 403, "forbidden"); free(x); return; }
    if (db_query(x->app->db, x->kind->st, 0, NULL, on_rows, x)) {
        http_reply_error(x->reply, 503, "unavailable");
        free(x);
    }
}

void exports_download(struct app *app, struct http_reply *h, const char *path, const char *authorization)
{
    const struct export_kind *k = NULL;
    const char *prefix = "/organizer/export/";
    size_t pl = strlen(prefix);
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0] && !strncmp(path, prefix, pl); i++) {
        size_t n = strlen(kinds[i].name);
        if (!strncmp(path + pl, kinds[i].name, n) && !strcmp(path + pl + n, ".csv")) k = &kinds[i];
    }
    if (!k) { http_reply_error(h, 404, "not_found"); return; }
    if (strncasecmp(authorization, "Bearer ", 7) != 0 || !token_well_formed(authorization + 7)) {
        http_reply_error(h, 401, "unauthorized");
        return;
    }
    char hex[TOKEN_HASH_HEX_LEN + 1], bytea[TOKEN_HASH_HEX_LEN + 3], filename[64];
    token_hash_hex(authorization + 7, hex);
    token_hash_bytea(hex, bytea);
    snprintf(filename, sizeof filename, "expo-%s.csv", k->name);
    http_reply_attachment(h, filename);
    struct export_ctx *x = malloc(sizeof *x);
    if (!x) abort();
    *x = (struct export_ctx){app, h, k};
    const char *p[] = {bytea, k->name};
    if (db_query(app->db, &q_who, 2, p, on_who, x)) {
        free(x);
        http_reply_error(h, 503, "unavailable");
    }
}
