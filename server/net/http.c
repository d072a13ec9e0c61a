/* http.c — see http.h.
 *
 * Dynamic responses are asynchronous: LWS_CALLBACK_HTTP starts a database query and
 * returns; the query's callback fills a job and asks for a writable callback, where we
 * send the headers, then the body. The job is shared by the connection and the query
 * (refs = 2); whichever finishes last frees it, so a client that hangs up before the
 * database answers leaves nothing dangling. */
#include "net/http.h"

#include <strings.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/app.h"
#include "db/db.h"
#include "core/log.h"
#include "core/session.h"
#include "domains/auth/token.h"
#include "util/ics.h"

struct http_job {
    unsigned refs;
    struct lws *wsi;            /* NULL once the connection closed */
    int status;
    const char *content_type;
    char *body;
    size_t len;
    char disposition[96];       /* Content-Disposition value, "" for none */
    bool www_authenticate;      /* 401: ask for a Bearer token */
    bool ready;                 /* body filled in */
    bool headers_sent;
};

struct http_pss {
    struct http_job *job;
};
_Static_assert(sizeof(struct http_pss) <= HTTP_PSS_SIZE, "HTTP_PSS_SIZE too small");

static void job_unref(struct http_job *j)
{
    if (--j->refs) return;
    free(j->body);
    free(j);
}

static void job_finish(struct http_job *j, int status, const char *ctype, char *body)
{
    j->status = status;
    j->content_type = ctype;
    j->body = body;
    j->len = strlen(body);
    j->ready = true;
    if (j->wsi) lws_callback_on_writable(j->wsi);
    job_unref(j);
}

/* ---------- /healthz ---------- */

static struct db_stmt q_health = DB_STMT("health", "SELECT 1");

static char *health_body(struct app *app, bool ok)
{
    char *b = malloc(512);
    if (!b) abort();
    snprintf(b, 512, "{\"status\":\"%s\",\"db\":\"%s\",\"node\":\"%s\",\"sessions\":%u,\"uptime_s\":%llu}",
             ok ? "ok" : "unavailable", ok ? "up" : "down", app->cfg->node_id, sessions_count(app->sessions),
             (unsigned long long)((app_now_ms(app) - app->started_ms) / 1000));
    return b;
}

struct health_ctx { struct http_job *job; struct app *app; };

static void on_health(void *arg, const struct db_result *res)
{
    struct health_ctx *h = arg;
    bool ok = db_result_status(res) == DB_OK && db_result_rows(res) == 1;
    job_finish(h->job, ok ? 200 : 503, "application/json", health_body(h->app, ok));
    free(h);
}

static void start_health(struct app *app, struct http_job *j)
{
    if (!db_is_up(app->db)) {
        job_finish(j, 503, "application/json", health_body(app, false));
        return;
    }
    struct health_ctx *h = malloc(sizeof *h);
    if (!h) abort();
    h->job = j;
    h->app = app;
    if (db_query(app->db, &q_health, 0, NULL, on_health, h)) {
        free(h);
        job_finish(j, 503, "application/json", health_body(app, false));
    }
}

/* ---------- /meetings/<id>.ics and /meetings.ics ---------- */

/* Only the two parties of a meeting get it; anyone else gets 404, as if it did not exist.
 * No rows at all means the token is not valid (401). */
static struct db_stmt q_ics = DB_STMT("meeting_ics",
    "WITH me AS (SELECT t.account_id FROM auth_tokens t JOIN accounts a ON a.id = t.account_id"
    "   WHERE t.token_hash = $1::bytea AND t.revoked_at IS NULL AND t.expires_at > now() AND a.disabled_at IS NULL)"
    " SELECT me.account_id, mt.uid, mt.sequence, mt.status, b.time_zone,"
    "  to_char(mt.starts_at AT TIME ZONE b.time_zone, 'YYYYMMDD\"T\"HH24MISS'),"
    "  to_char(mt.ends_at AT TIME ZONE b.time_zone, 'YYYYMMDD\"T\"HH24MISS'),"
    "  replace(right(rfc3339_in_zone(mt.starts_at, b.time_zone), 6), ':', ''),"
    "  to_char(mt.starts_at AT TIME ZONE 'UTC', 'YYYYMMDD\"T\"HH24MISS\"Z\"'),"
    "  to_char(mt.ends_at AT TIME ZONE 'UTC', 'YYYYMMDD\"T\"HH24MISS\"Z\"'),"
    "  to_char(mt.updated_at AT TIME ZONE 'UTC', 'YYYYMMDD\"T\"HH24MISS\"Z\"'),"
    "  b.name_en, b.name_ko, v.name, coalesce(v.company, ''), v.email, coalesce(mt.note, ''),"
    "  CASE WHEN mt.status = 'accepted' THEN mt.video_url END,"
    "  (SELECT a2.email FROM booth_staff s JOIN accounts a2 ON a2.id = s.account_id WHERE s.booth_id = b.id"
    "    ORDER BY s.staff_role = 'owner' DESC, s.account_id LIMIT 1),"
    "  (SELECT count(DISTINCT (t AT TIME ZONE b.time_zone) - (t AT TIME ZONE 'UTC')) > 1"
    "    FROM unnest(ARRAY[mt.starts_at - interval '3 hours', mt.starts_at, mt.ends_at,"
    "                      mt.ends_at + interval '3 hours']) AS t)"
    " FROM me LEFT JOIN meetings mt ON (CASE WHEN $2::bigint IS NULL THEN mt.status = 'accepted' ELSE mt.id = $2 END)"
    "   AND (mt.visitor_id = me.account_id OR EXISTS (SELECT 1 FROM booth_staff s"
    "        WHERE s.booth_id = mt.booth_id AND s.account_id = me.account_id))"
    " LEFT JOIN booths b ON b.id = mt.booth_id LEFT JOIN accounts v ON v.id = mt.visitor_id"
    " ORDER BY mt.starts_at, mt.id");

struct ics_ctx { struct http_job *job; bool single; };

static void on_ics(void *arg, const struct db_result *res)
{
    struct ics_ctx *c = arg;
    struct http_job *j = c->job;
    bool single = c->single;
    free(c);
    if (db_result_status(res) != DB_OK) {
        job_finish(j, 503, "application/json", strdup("{\"error\":\"unavailable\"}"));
        return;
    }
    int rows = db_result_rows(res);
    if (rows == 0) {
        j->www_authenticate = true;
        job_finish(j, 401, "application/json", strdup("{\"error\":\"unauthorized\"}"));
        return;
    }
    if (single && db_result_isnull(res, 0, 1)) {
        job_finish(j, 404, "application/json", strdup("{\"error\":\"not_found\"}"));
        return;
    }
    struct ics_event *ev = calloc((size_t)rows, sizeof *ev);
    char **texts = calloc((size_t)rows * 2, sizeof *texts);
    if (!ev || !texts) abort();
    size_t n = 0;
    bool cancel = false;
    for (int i = 0; i < rows; i++) {
        if (db_result_isnull(res, i, 1)) continue;
        struct ics_event *e = &ev[n];
        e->uid = db_result_value(res, i, 1);
        e->sequence = (int)db_result_int64(res, i, 2);
        e->status = db_result_value(res, i, 3);
        e->tzid = db_result_value(res, i, 4);
        e->start_local = db_result_value(res, i, 5);
        e->end_local = db_result_value(res, i, 6);
        e->utc_offset = db_result_value(res, i, 7);
        e->near_dst_change = db_result_bool(res, i, 19);
        e->start_utc = db_result_value(res, i, 8);
        e->end_utc = db_result_value(res, i, 9);
        e->stamp_utc = db_result_value(res, i, 10);
        const char *company = db_result_value(res, i, 14), *note = db_result_value(res, i, 16);
        const char *video = db_result_isnull(res, i, 17) ? NULL : db_result_value(res, i, 17);
        if (asprintf(&texts[2 * n], "1:1 meeting: %s (%s) / %s%s%s", db_result_value(res, i, 11),
                     db_result_value(res, i, 12), db_result_value(res, i, 13), *company ? ", " : "", company) < 0 ||
            asprintf(&texts[2 * n + 1], "%s%s%s%s", *note ? "Note: " : "", note, video ? (*note ? "\nVideo call: " : "Video call: ") : "",
                     video ? video : "") < 0)
            abort();
        e->summary = texts[2 * n];
        e->description = texts[2 * n + 1];
        e->location = video;
        e->organizer_cn = db_result_value(res, i, 11);
        e->organizer_email = db_result_isnull(res, i, 18) ? NULL : db_result_value(res, i, 18);
        e->attendee_cn = db_result_value(res, i, 13);
        e->attendee_email = db_result_value(res, i, 15);
        if (single) cancel = strcmp(e->status, "declined") == 0 || strcmp(e->status, "cancelled") == 0;
        n++;
    }
    char *cal = ics_calendar(ev, n, cancel);
    for (size_t i = 0; i < 2 * n; i++) free(texts[i]);
    free(texts);
    free(ev);
    job_finish(j, 200, "text/calendar; charset=utf-8", cal);
}

/* uri: "/meetings.ics" (all accepted) or "/meetings/<id>.ics". */
static void start_ics(struct app *app, struct lws *wsi, struct http_job *j, const char *uri)
{
    char id[24] = "";
    bool single = strcmp(uri, "/meetings.ics") != 0;
    if (single) {
        const char *p = uri + strlen("/meetings/");
        size_t n = strspn(p, "0123456789");
        if (n == 0 || n > 18 || strcmp(p + n, ".ics") != 0) {
            job_finish(j, 404, "application/json", strdup("{\"error\":\"not_found\"}"));
            return;
        }
        memcpy(id, p, n);
        id[n] = 0;
    }
    char auth[200] = "";
    if (lws_hdr_copy(wsi, auth, sizeof auth, WSI_TOKEN_HTTP_AUTHORIZATION) <= 0 ||
        strncasecmp(auth, "Bearer ", 7) != 0 || !token_well_formed(auth + 7)) {
        explicit_bzero(auth, sizeof auth);
        j->www_authenticate = true;
        job_finish(j, 401, "application/json", strdup("{\"error\":\"unauthorized\"}"));
        return;
    }
    char hex[TOKEN_HASH_HEX_LEN + 1], bytea[TOKEN_HASH_HEX_LEN + 3];
    token_hash_hex(auth + 7, hex);
    explicit_bzero(auth, sizeof auth);
    token_hash_bytea(hex, bytea);
    snprintf(j->disposition, sizeof j->disposition, "attachment; filename=\"%s%s.ics\"",
             single ? "meeting-" : "meetings", id);
    struct ics_ctx *c = malloc(sizeof *c);
    if (!c) abort();
    c->job = j;
    c->single = single;
    const char *p[] = {bytea, single ? id : NULL};
    if (db_query(app->db, &q_ics, 2, p, on_ics, c)) {
        free(c);
        job_finish(j, 503, "application/json", strdup("{\"error\":\"unavailable\"}"));
    }
}

/* ---------- callback ---------- */

static int write_job(struct lws *wsi, struct http_job *j)
{
    if (!j->headers_sent) {
        unsigned char buf[LWS_PRE + 1024], *start = buf + LWS_PRE, *p = start, *end = buf + sizeof buf - 1;
        if (lws_add_http_common_headers(wsi, (unsigned)j->status, j->content_type, j->len, &p, end) ||
            lws_add_http_header_by_name(wsi, (const unsigned char *)"cache-control:",
                                        (const unsigned char *)"no-store", 8, &p, end) ||
            (j->disposition[0] &&
             lws_add_http_header_by_name(wsi, (const unsigned char *)"content-disposition:",
                                         (const unsigned char *)j->disposition, (int)strlen(j->disposition), &p, end)) ||
            (j->www_authenticate &&
             lws_add_http_header_by_name(wsi, (const unsigned char *)"www-authenticate:",
                                         (const unsigned char *)"Bearer realm=\"boothd\"", 21, &p, end)) ||
            lws_finalize_write_http_header(wsi, start, &p, end))
            return -1;
        j->headers_sent = true;
        lws_callback_on_writable(wsi);
        return 0;
    }
    unsigned char *out = malloc(LWS_PRE + j->len + 1);
    if (!out) abort();
    memcpy(out + LWS_PRE, j->body, j->len);
    int n = lws_write(wsi, out + LWS_PRE, j->len, LWS_WRITE_HTTP_FINAL);
    free(out);
    if (n < (int)j->len) return -1;
    return lws_http_transaction_completed(wsi) ? -1 : 0;
}

int http_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
    struct http_pss *p = user;
    struct app *app = lws_context_user(lws_get_context(wsi));

    switch (reason) {
    case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
        /* A WebSocket upgrade that did not ask for expo.v1 lands on this protocol. */
        log_info("http: refused WebSocket upgrade without subprotocol expo.v1");
        return 1;

    case LWS_CALLBACK_HTTP: {
        char uri[256];
        if (lws_hdr_copy(wsi, uri, sizeof uri, WSI_TOKEN_GET_URI) <= 0) uri[0] = 0;
        bool health = strcmp(uri, "/healthz") == 0;
        bool ics = !strcmp(uri, "/meetings.ics") || !strncmp(uri, "/meetings/", 10);
        if (!health && !ics) {
            lws_return_http_status(wsi, HTTP_STATUS_NOT_FOUND, NULL);
            return -1;
        }
        struct http_job *j = calloc(1, sizeof *j);
        if (!j) abort();
        j->refs = 2;              /* the connection and the worker */
        j->wsi = wsi;
        p->job = j;
        if (health) start_health(app, j);
        else start_ics(app, wsi, j, uri);
        return 0;
    }

    case LWS_CALLBACK_HTTP_WRITEABLE:
        if (!p->job || !p->job->ready) return 0;
        return write_job(wsi, p->job);

    case LWS_CALLBACK_CLOSED_HTTP:
    case LWS_CALLBACK_HTTP_DROP_PROTOCOL:
        if (p && p->job) {
            p->job->wsi = NULL;
            job_unref(p->job);
            p->job = NULL;
        }
        return 0;

    default:
        return lws_callback_http_dummy(wsi, reason, user, in, len);
    }
}

/* ---------- mounts ---------- */

static const struct lws_protocol_vhost_options mime_webp = {NULL, NULL, ".webp", "image/webp"};
static const struct lws_protocol_vhost_options mime_woff2 = {&mime_webp, NULL, ".woff2", "font/woff2"};
static const struct lws_protocol_vhost_options mime_pdf = {&mime_woff2, NULL, ".pdf", "application/pdf"};
static const struct lws_protocol_vhost_options mime_json = {&mime_pdf, NULL, ".json", "application/json"};
static const struct lws_protocol_vhost_options mime_manifest = {&mime_json, NULL, ".webmanifest", "application/manifest+json"};
static const struct lws_protocol_vhost_options mime_map = {&mime_manifest, NULL, ".map", "application/json"};
static const struct lws_protocol_vhost_options mime_mjs = {&mime_map, NULL, ".mjs", "text/javascript"};
static const struct lws_protocol_vhost_options mime_ics = {&mime_mjs, NULL, ".ics", "text/calendar"};
static const struct lws_protocol_vhost_options *const extra_mimes = &mime_ics;

static struct lws_http_mount m_health, m_vendor, m_root, m_ics_one, m_ics_all;

/* A path answered by http_callback (protocol "http"). */
static void callback_mount(struct lws_http_mount *m, const struct lws_http_mount *next, const char *point)
{
    memset(m, 0, sizeof *m);
    m->mount_next = next;
    m->mountpoint = point;
    m->mountpoint_len = (unsigned char)strlen(point);
    m->origin = "http";
    m->origin_protocol = LWSMPRO_CALLBACK;
}

const struct lws_http_mount *http_mounts(struct app *app)
{
    memset(&m_root, 0, sizeof m_root);
    m_root.mountpoint = "/";
    m_root.mountpoint_len = 1;
    m_root.origin = app->cfg->assets;
    m_root.def = "index.html";
    m_root.origin_protocol = LWSMPRO_FILE;
    m_root.extra_mimetypes = extra_mimes;
    m_root.cache_max_age = 60;          /* pages and modules change with deploys: revalidate */
    m_root.cache_reusable = 1;
    m_root.cache_revalidate = 1;

    memset(&m_vendor, 0, sizeof m_vendor);
    m_vendor.mount_next = &m_root;
    m_vendor.mountpoint = "/vendor";
    m_vendor.mountpoint_len = 7;
    m_vendor.origin = "/usr/share/javascript";
    m_vendor.origin_protocol = LWSMPRO_FILE;
    m_vendor.extra_mimetypes = extra_mimes;
    m_vendor.cache_max_age = 86400;     /* Debian packages: stable between upgrades */
    m_vendor.cache_reusable = 1;

    callback_mount(&m_ics_one, &m_vendor, "/meetings");
    callback_mount(&m_ics_all, &m_ics_one, "/meetings.ics");
    callback_mount(&m_health, &m_ics_all, "/healthz");
    return &m_health;
}

static const struct lws_protocol_vhost_options h_csp = {
    NULL, NULL, "content-security-policy:",
    "default-src 'self'; img-src 'self' data: https:; media-src 'self' https:; "
    "frame-src https://www.youtube-nocookie.com https://www.youtube.com https://player.vimeo.com; "
    "connect-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self'; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'"};
static const struct lws_protocol_vhost_options h_nosniff = {&h_csp, NULL, "x-content-type-options:", "nosniff"};
static const struct lws_protocol_vhost_options h_referrer = {&h_nosniff, NULL, "referrer-policy:", "same-origin"};

const struct lws_protocol_vhost_options *http_headers(void) { return &h_referrer; }
