/* calendar.c — the meetings domain's downloads: GET /meetings/<id>.ics (one meeting) and
 * GET /meetings.ics (every accepted meeting of the caller), with a Bearer token. Only the two
 * parties of a meeting get it; anyone else gets 404, as if it did not exist. The calendar
 * text is written by util/ics.c. */
#include "domains/meetings/calendar.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/app.h"
#include "core/http_reply.h"
#include "db/db.h"
#include "domains/auth/token.h"
#include "domains/meetings/meeting_sql.h"
#include "util/ics.h"

/* No rows at all means the token is not valid (401). */
static struct db_stmt q_ics = DB_STMT("meeting_ics",
    "WITH me AS (SELECT t.account_id FROM auth_tokens t JOIN accounts a ON a.id = t.account_id"
    "   WHERE " SQL_TOKEN_VALID("t", "$1") " AND a.disabled_at IS NULL)"
    " SELECT me.account_id, mt.uid, mt.sequence, mt.status, b.time_zone AS tzid,"
    "  to_char(mt.starts_at AT TIME ZONE b.time_zone, 'YYYYMMDD\"T\"HH24MISS') AS start_local,"
    "  to_char(mt.ends_at AT TIME ZONE b.time_zone, 'YYYYMMDD\"T\"HH24MISS') AS end_local,"
    "  replace(right(rfc3339_in_zone(mt.starts_at, b.time_zone), 6), ':', '') AS utc_offset,"
    "  to_char(mt.starts_at AT TIME ZONE 'UTC', 'YYYYMMDD\"T\"HH24MISS\"Z\"') AS start_utc,"
    "  to_char(mt.ends_at AT TIME ZONE 'UTC', 'YYYYMMDD\"T\"HH24MISS\"Z\"') AS end_utc,"
    "  to_char(mt.updated_at AT TIME ZONE 'UTC', 'YYYYMMDD\"T\"HH24MISS\"Z\"') AS stamp_utc,"
    "  b.name_en AS booth_en, b.name_ko AS booth_ko, v.name AS visitor, coalesce(v.company, '') AS company,"
    "  v.email AS visitor_email, coalesce(mt.note, '') AS note,"
    "  CASE WHEN mt.status = 'accepted' THEN nullif(mt.video_url, '') END AS video_url,"
    "  (SELECT a2.email FROM booth_staff s JOIN accounts a2 ON a2.id = s.account_id WHERE s.booth_id = b.id"
    "    ORDER BY s.staff_role = 'owner' DESC, s.account_id LIMIT 1) AS organizer_email,"
    "  (SELECT count(DISTINCT (t AT TIME ZONE b.time_zone) - (t AT TIME ZONE 'UTC')) > 1"
    "    FROM unnest(ARRAY[mt.starts_at - interval '3 hours', mt.starts_at, mt.ends_at,"
    "                      mt.ends_at + interval '3 hours']) AS t) AS near_dst_change"
    " FROM me LEFT JOIN meetings mt ON (CASE WHEN $2::bigint IS NULL THEN mt.status = 'accepted' ELSE mt.id = $2 END)"
    "   AND " SQL_MEETING_PARTY("mt", "me.account_id")
    " LEFT JOIN booths b ON b.id = mt.booth_id LEFT JOIN accounts v ON v.id = mt.visitor_id"
    " ORDER BY mt.starts_at, mt.id");

/* The columns of q_ics, by name, looked up once per result. */
struct ics_cols {
    int uid, sequence, status, tzid, start_local, end_local, utc_offset, start_utc, end_utc, stamp_utc,
        booth_en, booth_ko, visitor, company, visitor_email, note, video_url, organizer_email, near_dst_change;
};

static void ics_cols(const struct db_result *r, struct ics_cols *c)
{
    *c = (struct ics_cols){
        db_result_col(r, "uid"), db_result_col(r, "sequence"), db_result_col(r, "status"), db_result_col(r, "tzid"),
        db_result_col(r, "start_local"), db_result_col(r, "end_local"), db_result_col(r, "utc_offset"),
        db_result_col(r, "start_utc"), db_result_col(r, "end_utc"), db_result_col(r, "stamp_utc"),
        db_result_col(r, "booth_en"), db_result_col(r, "booth_ko"), db_result_col(r, "visitor"),
        db_result_col(r, "company"), db_result_col(r, "visitor_email"), db_result_col(r, "note"),
        db_result_col(r, "video_url"), db_result_col(r, "organizer_email"), db_result_col(r, "near_dst_change"),
    };
}

struct ics_ctx { struct http_reply *reply; bool single; };

/* Fills e from row i; the summary and description it points to are malloc'ed into texts[2]. */
static void ics_event_of(const struct db_result *res, int i, const struct ics_cols *c, struct ics_event *e,
                         char *texts[2])
{
    const char *company = db_result_value(res, i, c->company), *note = db_result_value(res, i, c->note);
    const char *video = db_result_isnull(res, i, c->video_url) ? NULL : db_result_value(res, i, c->video_url);
    /* An accepted meeting without a link (none stored): say who brings it, never an empty line. */
    if (!video && !strcmp(db_result_value(res, i, c->status), "accepted"))
        video = "the booth will send the link / 화상 회의 링크는 부스에서 보내 드립니다";
    if (asprintf(&texts[0], "1:1 meeting: %s (%s) / %s%s%s", db_result_value(res, i, c->booth_en),
                 db_result_value(res, i, c->booth_ko), db_result_value(res, i, c->visitor), *company ? ", " : "",
                 company) < 0 ||
        asprintf(&texts[1], "%s%s%s%s", *note ? "Note: " : "", note,
                 video ? (*note ? "\nVideo call: " : "Video call: ") : "", video ? video : "") < 0)
        abort();
    *e = (struct ics_event){
        .uid = db_result_value(res, i, c->uid),
        .sequence = (int)db_result_int64(res, i, c->sequence),
        .status = db_result_value(res, i, c->status),
        .tzid = db_result_value(res, i, c->tzid),
        .start_local = db_result_value(res, i, c->start_local),
        .end_local = db_result_value(res, i, c->end_local),
        .utc_offset = db_result_value(res, i, c->utc_offset),
        .near_dst_change = db_result_bool(res, i, c->near_dst_change),
        .start_utc = db_result_value(res, i, c->start_utc),
        .end_utc = db_result_value(res, i, c->end_utc),
        .stamp_utc = db_result_value(res, i, c->stamp_utc),
        .summary = texts[0],
        .description = texts[1],
        .location = db_result_isnull(res, i, c->video_url) ? NULL : db_result_value(res, i, c->video_url),
        .organizer_cn = db_result_value(res, i, c->booth_en),
        .organizer_email = db_result_isnull(res, i, c->organizer_email) ? NULL
                                                                         : db_result_value(res, i, c->organizer_email),
        .attendee_cn = db_result_value(res, i, c->visitor),
        .attendee_email = db_result_value(res, i, c->visitor_email),
    };
}

static void on_ics(void *arg, const struct db_result *res)
{
    struct ics_ctx *ctx = arg;
    struct http_reply *h = ctx->reply;
    bool single = ctx->single;
    free(ctx);
    if (db_result_status(res) != DB_OK) { http_reply_error(h, 503, "unavailable"); return; }
    int rows = db_result_rows(res);
    struct ics_cols c;
    ics_cols(res, &c);
    if (rows == 0) { http_reply_error(h, 401, "unauthorized"); return; }
    if (single && db_result_isnull(res, 0, c.uid)) { http_reply_error(h, 404, "not_found"); return; }
    struct ics_event *ev = calloc((size_t)rows, sizeof *ev);
    char **texts = calloc((size_t)rows * 2, sizeof *texts);
    if (!ev || !texts) abort();
    size_t n = 0;
    bool cancel = false;
    for (int i = 0; i < rows; i++) {
        if (db_result_isnull(res, i, c.uid)) continue;      /* the caller has no meeting: the "me" row */
        ics_event_of(res, i, &c, &ev[n], &texts[2 * n]);
        if (single) cancel = !strcmp(ev[n].status, "declined") || !strcmp(ev[n].status, "cancelled");
        n++;
    }
    char *cal = ics_calendar(ev, n, cancel);
    for (size_t i = 0; i < 2 * n; i++) free(texts[i]);
    free(texts);
    free(ev);
    http_reply_finish(h, 200, "text/calendar; charset=utf-8", cal);
}

/* The meeting id of "/meetings/<id>.ics" into id[24]; false when the path is not one. */
static bool meeting_id_of(const char *path, char id[24])
{
    const char *p = path + strlen("/meetings/");
    size_t n = strspn(p, "0123456789");
    if (strncmp(path, "/meetings/", 10) || n == 0 || n > 18 || strcmp(p + n, ".ics") != 0) return false;
    memcpy(id, p, n);
    id[n] = 0;
    return true;
}

void calendar_download(struct app *app, struct http_reply *h, const char *path, const char *authorization)
{
    char id[24] = "";
    bool single = strcmp(path, "/meetings.ics") != 0;
    if (single && !meeting_id_of(path, id)) { http_reply_error(h, 404, "not_found"); return; }
    if (strncasecmp(authorization, "Bearer ", 7) != 0 || !token_well_formed(authorization + 7)) {
        http_reply_error(h, 401, "unauthorized");
        return;
    }
    char hex[TOKEN_HASH_HEX_LEN + 1], bytea[TOKEN_HASH_HEX_LEN + 3], filename[48];
    token_hash_hex(authorization + 7, hex);
    token_hash_bytea(hex, bytea);
    snprintf(filename, sizeof filename, "%s%s.ics", single ? "meeting-" : "meetings", id);
    http_reply_attachment(h, filename);
    struct ics_ctx *ctx = malloc(sizeof *ctx);
    if (!ctx) abort();
    *ctx = (struct ics_ctx){h, single};
    const char *p[] = {bytea, single ? id : NULL};
    if (db_query(app->db, &q_ics, 2, p, on_ics, ctx)) {
        free(ctx);
        http_reply_error(h, 503, "unavailable");
    }
}
