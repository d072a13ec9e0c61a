/* lead_export.c — the CSV download of a booth's leads (lead_export.h). One statement checks
 * the token (SQL_TOKEN_VALID, the same test as every Bearer download), the caller's right on
 * the booth (booth_access), records the export and reads the rows; util/csv.c writes them. */
#include "domains/leads/lead_export.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/app.h"
#include "core/http_reply.h"
#include "db/db.h"
#include "domains/auth/token.h"
#include "domains/leads/lead_sql.h"
#include "util/csv.h"
#include "util/text.h"
#include "util/timefmt.h"

#define SQL_LOCAL_TIME(col) "replace(rfc3339_in_zone(" col ", b.time_zone), 'T', ' ')"

/* No rows: the token is not valid (401). Otherwise the first row carries the verdict (err)
 * and, when allowed, every row one lead that passes the filters $3..$8 (lead_id NULL: none). */
static struct db_stmt q_export = DB_STMT("lead_export",
    "WITH me AS (SELECT a.id, booth_access($2, a.id, a.role = 'organizer') AS err"
    "   FROM auth_tokens t JOIN accounts a ON a.id = t.account_id"
    "   WHERE " SQL_TOKEN_VALID("t", "$1") " AND a.disabled_at IS NULL),"
    " audit AS (INSERT INTO audit_log (actor_id, action, target_type, target_id)"
    "   SELECT me.id, 'leads.export', 'booth', $2::text FROM me WHERE me.err IS NULL)"
    " SELECT me.err, b.slug, b.time_zone, l.id AS lead_id, l.card ->> 'name' AS name,"
    "  l.card ->> 'company' AS company, l.card ->> 'title' AS title, l.card ->> 'country' AS country,"
    "  l.card ->> 'email' AS email, l.source, l.status, l.rating, l.notes,"
    "  " SQL_LOCAL_TIME("l.created_at") " AS shared_at, " SQL_LOCAL_TIME("l.updated_at") " AS updated_at"
    " FROM me LEFT JOIN booths b ON b.id = $2 AND me.err IS NULL"
    " LEFT JOIN leads l ON l.booth_id = b.id AND l.withdrawn_at IS NULL"
    SQL_LEAD_FILTER("$3", "$4", "$5", "$6", "$7", "$8")
    " ORDER BY l.created_at, l.id");

/* The filters of the staff's lead table (lead.list's, same names and meaning) from the query
 * string: "?status=qualified&rating_min=3&q=kim". A value that is not one lead.list accepts is
 * refused (400 bad_<name>), never dropped: an export must not hold more than the table shows. */
struct filters {
    char status[24], rating[4], source[24], from[48], to[48], q[LEAD_SEARCH_MAX * 4 + 1];
    const char *v[6];           /* each field, or NULL when not given */
};

static bool one_of(const char *w, const char *const *words)
{
    for (; *words; words++)
        if (!strcmp(w, *words)) return true;
    return false;
}

/* Reads one argument into buf: 0 (v set, or NULL when absent or empty) or -1 (answered 400). */
static int arg(struct http_reply *h, const char *name, char *buf, size_t cap, const char **v)
{
    int got = http_reply_query_arg(h, name, buf, cap);
    *v = got == 1 && buf[0] ? buf : NULL;
    if (got >= 0) return 0;
    char code[40];
    snprintf(code, sizeof code, "bad_%s", name);
    http_reply_error(h, 400, code);
    return -1;
}

static int read_filters(struct http_reply *h, struct filters *f)
{
    static const char *const statuses[] = {LEAD_STATUSES, NULL}, *const sources[] = {LEAD_SOURCES, NULL};
    static const char *const names[] = {"status", "rating_min", "source", "from", "to", "q"};
    char *bufs[] = {f->status, f->rating, f->source, f->from, f->to, f->q};
    size_t caps[] = {sizeof f->status, sizeof f->rating, sizeof f->source, sizeof f->from, sizeof f->to, sizeof f->q};
    for (int i = 0; i < 6; i++) {
        if (arg(h, names[i], bufs[i], caps[i], &f->v[i])) return -1;
        const char *v = f->v[i];
        bool ok = !v || (i == 0 ? one_of(v, statuses)
                         : i == 1 ? v[0] >= '0' && v[0] <= '5' && !v[1]
                         : i == 2 ? one_of(v, sources)
                         : i < 5 ? timefmt_is_rfc3339(v)
                         : utf8_valid(v, strlen(v)) && utf8_length(v) <= LEAD_SEARCH_MAX);
        if (!ok) {
            char code[40];
            snprintf(code, sizeof code, "bad_%s", names[i]);
            http_reply_error(h, 400, code);
            return -1;
        }
    }
    return 0;
}

/* The text columns after the verdict, in the order of the header row. */
static const char *const text_cols[] = {"name", "company", "title", "country", "email", "source", "status"};

/* The booth id of "/leads/<id>.csv" into id[24]; false when the path is not one. */
static bool booth_id_of(const char *path, char id[24])
{
    static const char prefix[] = "/leads/";
    if (strncmp(path, prefix, sizeof prefix - 1)) return false;
    const char *p = path + sizeof prefix - 1;
    size_t n = strspn(p, "0123456789");
    if (n == 0 || n > 18 || p[0] == '0' || strcmp(p + n, ".csv") != 0) return false;
    memcpy(id, p, n);
    id[n] = 0;
    return true;
}

static char *leads_csv(const struct db_result *res)
{
    struct csv_writer w;
    char zone_col[2][120];
    const char *tz = db_result_value(res, 0, db_result_col(res, "time_zone"));
    snprintf(zone_col[0], sizeof zone_col[0], "Shared at (%s)", tz);
    snprintf(zone_col[1], sizeof zone_col[1], "Updated at (%s)", tz);
    csv_begin(&w, true);
    static const char *const header[] = {"Name", "Company", "Title", "Country", "E-mail", "Source", "Status",
                                         "Rating", "Notes"};
    for (size_t i = 0; i < sizeof header / sizeof header[0]; i++) csv_cell(&w, header[i]);
    csv_cell(&w, zone_col[0]);
    csv_cell(&w, zone_col[1]);
    csv_end_row(&w);
    int cols[sizeof text_cols / sizeof text_cols[0]];
    for (size_t c = 0; c < sizeof cols / sizeof cols[0]; c++) cols[c] = db_result_col(res, text_cols[c]);
    int lead = db_result_col(res, "lead_id"), rating = db_result_col(res, "rating"),
        notes = db_result_col(res, "notes"), shared = db_result_col(res, "shared_at"),
        updated = db_result_col(res, "updated_at");
    for (int i = 0; i < db_result_rows(res); i++) {
        if (db_result_isnull(res, i, lead)) continue;
        for (size_t c = 0; c < sizeof cols / sizeof cols[0]; c++) csv_cell(&w, db_result_value(res, i, cols[c]));
        if (db_result_isnull(res, i, rating)) csv_cell(&w, NULL);
        else csv_cell_int(&w, db_result_int64(res, i, rating));
        csv_cell(&w, db_result_value(res, i, notes));
        csv_cell(&w, db_result_value(res, i, shared));
        csv_cell(&w, db_result_value(res, i, updated));
        csv_end_row(&w);
    }
    return csv_finish(&w, NULL);
}

static void on_export(void *arg, const struct db_result *res)
{
    struct http_reply *h = arg;
    if (db_result_status(res) != DB_OK) { http_reply_error(h, 503, "unavailable"); return; }
    if (db_result_rows(res) == 0) { http_reply_error(h, 401, "unauthorized"); return; }
    const char *err = db_result_value(res, 0, 0);
    if (!strcmp(err, "forbidden")) { http_reply_error(h, 403, "forbidden"); return; }
    if (*err) { http_reply_error(h, 404, "not_found"); return; }
    char filename[96];
    snprintf(filename, sizeof filename, "leads-%s.csv", db_result_value(res, 0, db_result_col(res, "slug")));
    http_reply_attachment(h, filename);
    http_reply_finish(h, 200, "text/csv; charset=utf-8; header=present", leads_csv(res));
}

void lead_export_download(struct app *app, struct http_reply *h, const char *path, const char *authorization)
{
    char id[24];
    struct filters f;
    if (!booth_id_of(path, id)) { http_reply_error(h, 404, "not_found"); return; }
    if (read_filters(h, &f)) return;
    if (strncasecmp(authorization, "Bearer ", 7) != 0 || !token_well_formed(authorization + 7)) {
        http_reply_error(h, 401, "unauthorized");
        return;
    }
    char hex[TOKEN_HASH_HEX_LEN + 1], bytea[TOKEN_HASH_HEX_LEN + 3];
    token_hash_hex(authorization + 7, hex);
    token_hash_bytea(hex, bytea);
    const char *p[] = {bytea, id, f.v[0], f.v[1], f.v[2], f.v[3], f.v[4], f.v[5]};
    if (db_query(app->db, &q_export, 8, p, on_export, h)) http_reply_error(h, 503, "unavailable");
}
