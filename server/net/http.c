/* http.c — see http.h.
 *
 * Dynamic responses are asynchronous: LWS_CALLBACK_HTTP hands a reply (core/http_reply.h)
 * to /healthz or to the domain whose http route matches, and returns; whoever finishes the
 * reply asks for a writable callback, where we send the headers, then the body. The reply
 * is shared by the connection and the finisher (refs = 2); whichever lets go last frees it,
 * so a client that hangs up before the database answers leaves nothing dangling. */
#include "net/http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/app.h"
#include "core/domain.h"
#include "core/http_reply.h"
#include "core/log.h"
#include "core/session.h"
#include "db/db.h"

struct http_reply {
    unsigned refs;
    struct lws *wsi;            /* NULL once the connection closed */
    int status;
    const char *content_type;
    char *body;
    size_t len;
    char peer[64];              /* client address, for address-based routes */
    char disposition[96];       /* Content-Disposition value, "" for none */
    bool www_authenticate;      /* 401: ask for a Bearer token */
    bool ready;                 /* body filled in */
    bool headers_sent;
};

struct http_pss {
    struct http_reply *job;
};
_Static_assert(sizeof(struct http_pss) <= HTTP_PSS_SIZE, "HTTP_PSS_SIZE too small");

static void job_unref(struct http_reply *j)
{
    if (--j->refs) return;
    free(j->body);
    free(j);
}

void http_reply_finish(struct http_reply *j, int status, const char *ctype, char *body)
{
    j->status = status;
    j->content_type = ctype;
    j->body = body;
    j->len = strlen(body);
    j->ready = true;
    if (j->wsi) lws_callback_on_writable(j->wsi);
    job_unref(j);
}

void http_reply_error(struct http_reply *j, int status, const char *code)
{
    char *body;
    if (asprintf(&body, "{\"error\":\"%s\"}", code) < 0) abort();
    j->www_authenticate = status == 401;
    http_reply_finish(j, status, "application/json", body);
}

const char *http_reply_peer(const struct http_reply *j) { return j->peer; }

void http_reply_attachment(struct http_reply *j, const char *filename)
{
    snprintf(j->disposition, sizeof j->disposition, "attachment; filename=\"%s\"", filename);
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

struct health_ctx { struct http_reply *job; struct app *app; };

static void on_health(void *arg, const struct db_result *res)
{
    struct health_ctx *h = arg;
    bool ok = db_result_status(res) == DB_OK && db_result_rows(res) == 1;
    http_reply_finish(h->job, ok ? 200 : 503, "application/json", health_body(h->app, ok));
    free(h);
}

static void start_health(struct app *app, struct http_reply *j)
{
    if (!db_is_up(app->db)) {
        http_reply_finish(j, 503, "application/json", health_body(app, false));
        return;
    }
    struct health_ctx *h = malloc(sizeof *h);
    if (!h) abort();
    h->job = j;
    h->app = app;
    if (db_query(app->db, &q_health, 0, NULL, on_health, h)) {
        free(h);
        http_reply_finish(j, 503, "application/json", health_body(app, false));
    }
}

/* ---------- domains' routes ---------- */

static bool route_matches(const struct http_route *rt, const char *uri)
{
    size_t n = strlen(rt->mount);
    return !strncmp(uri, rt->mount, n) && (uri[n] == 0 || uri[n] == '/');
}

/* The domain route answering uri (its domain's index in *domain), or NULL. */
static const struct http_route *find_route(const char *uri, size_t *domain)
{
    for (size_t i = 0; i < n_domains; i++)
        for (size_t k = 0; k < domains[i]->n_http_routes; k++)
            if (route_matches(&domains[i]->http_routes[k], uri)) { *domain = i; return &domains[i]->http_routes[k]; }
    return NULL;
}

static void run_route(struct app *app, struct lws *wsi, struct http_reply *j, const struct http_route *rt,
                      size_t domain, const char *uri)
{
    char auth[200] = "";
    if (lws_hdr_copy(wsi, auth, sizeof auth, WSI_TOKEN_HTTP_AUTHORIZATION) <= 0) auth[0] = 0;
    rt->fn(app->domain_self[domain], j, uri, auth);
    explicit_bzero(auth, sizeof auth);      /* it may hold a token */
}

/* ---------- callback ---------- */

static int write_job(struct lws *wsi, struct http_reply *j)
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
        size_t domain;
        const struct http_route *route = health ? NULL : find_route(uri, &domain);
        if (!health && !route) {
            lws_return_http_status(wsi, HTTP_STATUS_NOT_FOUND, NULL);
            return -1;
        }
        struct http_reply *j = calloc(1, sizeof *j);
        if (!j) abort();
        j->refs = 2;              /* the connection and the finisher */
        j->wsi = wsi;
        lws_get_peer_simple(wsi, j->peer, sizeof j->peer);
        p->job = j;
        if (health) start_health(app, j);
        else run_route(app, wsi, j, route, domain, uri);
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

struct http_mounts {
    struct lws_http_mount root, vendor, health;
    struct lws_http_mount *routes;      /* one per domain http route */
};

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

static void file_mount(struct lws_http_mount *m, const struct lws_http_mount *next, const char *point,
                       const char *dir, unsigned max_age)
{
    memset(m, 0, sizeof *m);
    m->mount_next = next;
    m->mountpoint = point;
    m->mountpoint_len = (unsigned char)strlen(point);
    m->origin = dir;
    m->origin_protocol = LWSMPRO_FILE;
    m->extra_mimetypes = extra_mimes;
    m->cache_max_age = (int)max_age;
    m->cache_reusable = 1;
}

struct http_mounts *http_mounts_new(struct app *app)
{
    struct http_mounts *h = calloc(1, sizeof *h);
    if (!h) abort();
    size_t n = 0;
    for (size_t i = 0; i < n_domains; i++) n += domains[i]->n_http_routes;
    h->routes = calloc(n ? n : 1, sizeof *h->routes);
    if (!h->routes) abort();
    file_mount(&h->root, NULL, "/", app->cfg->assets, 60);  /* pages and modules change with deploys */
    h->root.def = "index.html";
    h->root.cache_revalidate = 1;
    /* Debian packages: stable between upgrades */
    file_mount(&h->vendor, &h->root, "/vendor", "/usr/share/javascript", 86400);
    const struct lws_http_mount *next = &h->vendor;
    size_t k = 0;
    for (size_t i = 0; i < n_domains; i++)
        for (size_t r = 0; r < domains[i]->n_http_routes; r++, k++) {
            callback_mount(&h->routes[k], next, domains[i]->http_routes[r].mount);
            next = &h->routes[k];
        }
    callback_mount(&h->health, next, "/healthz");
    return h;
}

const struct lws_http_mount *http_mounts_list(const struct http_mounts *h) { return &h->health; }

void http_mounts_free(struct http_mounts *h)
{
    if (!h) return;
    free(h->routes);
    free(h);
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
