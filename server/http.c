/* http.c — see http.h.
 *
 * Dynamic responses are asynchronous: LWS_CALLBACK_HTTP starts a database query and
 * returns; the query's callback fills a job and asks for a writable callback, where we
 * send the headers, then the body. The job is shared by the connection and the query
 * (refs = 2); whichever finishes last frees it, so a client that hangs up before the
 * database answers leaves nothing dangling. */
#include "http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "db.h"
#include "log.h"
#include "session.h"

struct http_job {
    unsigned refs;
    struct lws *wsi;            /* NULL once the connection closed */
    int status;
    const char *content_type;
    char *body;
    size_t len;
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
             ok ? "ok" : "unavailable", ok ? "up" : "down", app->cfg->node_id, session_count(),
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

/* ---------- callback ---------- */

static int write_job(struct lws *wsi, struct http_job *j)
{
    if (!j->headers_sent) {
        unsigned char buf[LWS_PRE + 1024], *start = buf + LWS_PRE, *p = start, *end = buf + sizeof buf - 1;
        if (lws_add_http_common_headers(wsi, (unsigned)j->status, j->content_type, j->len, &p, end) ||
            lws_add_http_header_by_name(wsi, (const unsigned char *)"cache-control:",
                                        (const unsigned char *)"no-store", 8, &p, end) ||
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
        if (strcmp(uri, "/healthz") != 0) {
            lws_return_http_status(wsi, HTTP_STATUS_NOT_FOUND, NULL);
            return -1;
        }
        struct http_job *j = calloc(1, sizeof *j);
        if (!j) abort();
        j->refs = 2;              /* the connection and the worker */
        j->wsi = wsi;
        p->job = j;
        start_health(app, j);
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

static struct lws_http_mount m_health, m_vendor, m_root;

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

    memset(&m_health, 0, sizeof m_health);
    m_health.mount_next = &m_vendor;
    m_health.mountpoint = "/healthz";
    m_health.mountpoint_len = 8;
    m_health.origin = "http";
    m_health.origin_protocol = LWSMPRO_CALLBACK;
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
