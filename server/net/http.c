/* http.c — see http.h.
 *
 * Dynamic responses are asynchronous: LWS_CALLBACK_HTTP hands a reply (core/http_reply.h)
 * to /healthz or to the domain whose http route matches, and returns; whoever finishes the
 * reply asks for a writable callback, where we send the headers, then the body. The reply
 * is shared by the connection and the finisher (refs = 2); whichever lets go last frees it,
 * so a client that hangs up before the database answers leaves nothing dangling.
 *
 * A streamed reply (downloads) is sent HTTP_PIECE bytes per writable callback from the piece
 * the domain fed last; when that is used up the domain is pulled for the next one. Each
 * outstanding pull holds its own reference, so a feed that arrives after the client left
 * still finds the reply. A POST body is handed to the route's upload hooks (core/domain.h)
 * as lws delivers it (LWS_CALLBACK_HTTP_BODY); when the answer goes out before the whole
 * body was read (an early error), the connection is closed instead of kept alive. */
#include "net/http.h"
#include "net/recv_hook.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/app.h"
#include "core/domain.h"
#include "core/http_reply.h"
#include "core/session.h"
#include "db/db.h"
#include "net/origin.h"
#include "net/peer.h"
#include "util/log.h"

/* Bytes per lws_write of a streamed body: small enough that lws never holds much of it
 * when the socket is slow, large enough for few callbacks per MiB. */
#define HTTP_PIECE (64 * 1024)
#define HTTP_EXTRA_HEADERS 2048

struct http_reply {
    unsigned refs;
    struct lws *wsi;            /* NULL once the connection closed */
    int status;
    const char *content_type;
    char *body;
    size_t len;
    char peer[64];              /* client address, for address-based routes */
    char disposition[96];       /* Content-Disposition value, "" for none */
    char extra[HTTP_EXTRA_HEADERS];   /* "name:\0value\0" pairs from http_reply_header */
    size_t extra_len;
    bool own_cache_control;     /* extra holds a cache-control */
    bool www_authenticate;      /* 401: ask for a Bearer token */
    bool not_modified;          /* 304: headers only */
    bool head;                  /* a HEAD request: the GET answer's headers, no body */
    bool ready;                 /* body filled in */
    bool headers_sent;
    /* streamed body */
    bool streamed;
    bool pulling;               /* a pull is outstanding (it holds a reference) */
    bool stream_failed;
    uint64_t stream_len, stream_sent;
    const unsigned char *piece;
    size_t piece_len, piece_off;
    http_pull_fn pull;
    void (*release)(void *src);
    void *src;
};

struct http_pss {
    struct http_reply *job;
    const struct http_upload *upload;
    void *upload_ctx;           /* the domain's, between begin and end */
    bool post;
    bool body_done;             /* the whole request body was read */
};
_Static_assert(sizeof(struct http_pss) <= HTTP_PSS_SIZE, "HTTP_PSS_SIZE too small");

static void job_unref(struct http_reply *j)
{
    if (--j->refs) return;
    if (j->release) j->release(j->src);
    free(j->body);
    free(j);
}

static void want_write(struct http_reply *j)
{
    if (j->wsi) lws_callback_on_writable(j->wsi);
}

void http_reply_finish(struct http_reply *j, int status, const char *ctype, char *body)
{
    j->status = status;
    j->content_type = ctype;
    j->body = body;
    j->len = strlen(body);
    j->ready = true;
    want_write(j);
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

void http_reply_header(struct http_reply *j, const char *name, const char *value)
{
    size_t n = strlen(name) + 1, v = strlen(value) + 1;
    if (j->extra_len + n + v > sizeof j->extra) abort();
    memcpy(j->extra + j->extra_len, name, n);
    memcpy(j->extra + j->extra_len + n, value, v);
    j->extra_len += n + v;
    if (!strcmp(name, "cache-control:")) j->own_cache_control = true;
}

void http_reply_not_modified(struct http_reply *j)
{
    j->not_modified = true;
    http_reply_finish(j, 304, "", strdup(""));
}

void http_reply_stream(struct http_reply *j, int status, const char *ctype, uint64_t length,
                       http_pull_fn pull, void (*release)(void *src), void *src)
{
    j->status = status;
    j->content_type = ctype;
    j->streamed = true;
    j->stream_len = length;
    j->pull = pull;
    j->release = release;
    j->src = src;
    j->ready = true;
    want_write(j);
    job_unref(j);
}

void http_reply_feed(struct http_reply *j, const void *data, size_t len)
{
    j->pulling = false;
    j->piece = data;
    j->piece_len = len;
    j->piece_off = 0;
    if (!len) j->stream_failed = true;
    want_write(j);
    job_unref(j);               /* the pull's reference */
}

static const enum lws_token_indexes header_token[] = {
    [HTTP_HDR_RANGE] = WSI_TOKEN_HTTP_RANGE,
    [HTTP_HDR_IF_RANGE] = WSI_TOKEN_HTTP_IF_RANGE,
    [HTTP_HDR_IF_NONE_MATCH] = WSI_TOKEN_HTTP_IF_NONE_MATCH,
    [HTTP_HDR_CONTENT_LENGTH] = WSI_TOKEN_HTTP_CONTENT_LENGTH,
    [HTTP_HDR_TRANSFER_ENCODING] = WSI_TOKEN_HTTP_TRANSFER_ENCODING,
};

const char *http_reply_request_header(struct http_reply *j, enum http_header which, char *buf, size_t cap)
{
    if (!j->wsi || cap > INT32_MAX) return NULL;
    enum lws_token_indexes t = header_token[which];
    int total = lws_hdr_total_length(j->wsi, t);
    if (total <= 0 || (size_t)total >= cap) return NULL;
    if (lws_hdr_copy(j->wsi, buf, (int)cap, t) < 0) return NULL;
    return buf;
}

/* Not lws_get_urlarg_by_name: it stops at the first argument longer than the caller's buffer,
 * so "?q=<long>&status=new" would read as if status were absent. Each argument (a fragment of
 * WSI_TOKEN_HTTP_URI_ARGS, already URL-decoded by lws) is copied into one buffer that fits the
 * whole query string, so every one is looked at. */
int http_reply_query_arg(struct http_reply *j, const char *name, char *buf, size_t cap)
{
    if (!j->wsi || cap == 0) return -1;
    int total = lws_hdr_total_length(j->wsi, WSI_TOKEN_HTTP_URI_ARGS);
    if (total <= 0) return 0;
    size_t nlen = strlen(name);
    char *frag = malloc((size_t)total + 1);
    if (!frag) abort();
    int found = 0;
    for (int i = 0; !found && lws_hdr_copy_fragment(j->wsi, frag, total + 1, WSI_TOKEN_HTTP_URI_ARGS, i) >= 0; i++) {
        if (strncmp(frag, name, nlen) || frag[nlen] != '=') continue;
        size_t vlen = strlen(frag + nlen + 1);
        if (vlen >= cap) found = -1;
        else {
            memcpy(buf, frag + nlen + 1, vlen + 1);
            found = 1;
        }
    }
    free(frag);
    return found;
}

const char *http_reply_request_arg(struct http_reply *j, const char *name, char *buf, size_t cap)
{
    return http_reply_query_arg(j, name, buf, cap) == 1 ? buf : NULL;
}

/* ---------- /healthz ---------- */

static struct db_stmt q_health = DB_STMT("health", "SELECT 1");

static char *health_body(struct app *app, bool ok)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "status", ok ? "ok" : "unavailable");
    cJSON_AddStringToObject(o, "db", ok ? "up" : "down");
    cJSON_AddStringToObject(o, "node", app->cfg->node_id);
    cJSON_AddNumberToObject(o, "sessions", sessions_live(app->sessions));
    cJSON_AddNumberToObject(o, "uptime_s", (double)((app_now_ms(app) - app->started_ms) / 1000));
    char *body = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return body;
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

/* The index in app->http_routes of the domain route answering uri, or -1. */
static long find_route(const struct app *app, const char *uri)
{
    for (size_t i = 0; i < app->n_http_routes; i++)
        if (route_matches(&app->http_routes[i], uri)) return (long)i;
    return -1;
}

static void run_route(struct app *app, struct lws *wsi, struct http_pss *p, size_t route, const char *uri)
{
    struct http_reply *j = p->job;
    const struct http_route *rt = &app->http_routes[route];
    char auth[200] = "";
    if (lws_hdr_copy(wsi, auth, sizeof auth, WSI_TOKEN_HTTP_AUTHORIZATION) <= 0) auth[0] = 0;
    if (!p->post) {
        if (rt->fn) rt->fn(app->http_route_self[route], j, uri, auth);
        else http_reply_error(j, 405, "method_not_allowed");
    } else if (!rt->upload) {
        http_reply_error(j, 405, "method_not_allowed");
    } else if (!origin_allowed(wsi, app->cfg)) {   /* a page of another site, with a token it got */
        log_info("http: refused POST %s: Origin not allowed", uri);
        http_reply_error(j, 403, "origin_not_allowed");
    } else {
        p->upload_ctx = rt->upload->begin(app->http_route_self[route], j, uri, auth);
        if (p->upload_ctx) p->upload = rt->upload;
    }
    explicit_bzero(auth, sizeof auth);      /* it may hold a token */
}

/* The domain's upload context is done with: complete or not. */
static void upload_end(struct http_pss *p, bool complete)
{
    if (!p->upload_ctx) return;
    void *ctx = p->upload_ctx;
    p->upload_ctx = NULL;
    p->upload->end(ctx, complete);
}

/* ---------- callback ---------- */

/* The connection lets go of its reply (done, or the client left). */
static void release_job(struct http_pss *p)
{
    if (!p->job) return;
    p->job->wsi = NULL;
    job_unref(p->job);
    p->job = NULL;
}

static int add_header(struct lws *wsi, const char *name, const char *value, unsigned char **p, unsigned char *end)
{
    return lws_add_http_header_by_name(wsi, (const unsigned char *)name, (const unsigned char *)value,
                                       (int)strlen(value), p, end);
}

static int write_headers(struct lws *wsi, struct http_reply *j)
{
    unsigned char buf[LWS_PRE + 4096], *start = buf + LWS_PRE, *p = start, *end = buf + sizeof buf - 1;
    int err;
    if (j->not_modified)
        err = lws_add_http_header_status(wsi, (unsigned)j->status, &p, end);
    else
        err = lws_add_http_common_headers(wsi, (unsigned)j->status, j->content_type,
                                          j->streamed ? j->stream_len : j->len, &p, end);
    if (!err && !j->own_cache_control) err = add_header(wsi, "cache-control:", "no-store", &p, end);
    if (!err && j->disposition[0]) err = add_header(wsi, "content-disposition:", j->disposition, &p, end);
    if (!err && j->www_authenticate) err = add_header(wsi, "www-authenticate:", "Bearer realm=\"boothd\"", &p, end);
    for (size_t off = 0; !err && off < j->extra_len;) {
        const char *name = j->extra + off, *value = name + strlen(name) + 1;
        err = add_header(wsi, name, value, &p, end);
        off = (size_t)(value + strlen(value) + 1 - j->extra);
    }
    if (err || lws_finalize_write_http_header(wsi, start, &p, end)) return -1;
    j->headers_sent = true;
    return 0;
}

/* The response is out: keep the connection for the next request, unless a request body is
 * still unread (an early answer to an upload), which would be taken for the next request. */
static int response_done(struct lws *wsi, struct http_pss *p)
{
    if (p->post && !p->body_done) return -1;
    return lws_http_transaction_completed(wsi) ? -1 : 0;
}

static int write_stream(struct lws *wsi, struct http_pss *p, struct http_reply *j)
{
    if (j->stream_failed) return -1;
    if (j->pulling) return 0;
    if (j->piece_off == j->piece_len) {
        if (j->stream_sent == j->stream_len) return response_done(wsi, p);
        j->pulling = true;
        j->refs++;              /* held by the pull until its feed */
        j->pull(j->src, j);
        return 0;
    }
    size_t n = j->piece_len - j->piece_off;
    if (n > HTTP_PIECE) n = HTTP_PIECE;
    if (n > j->stream_len - j->stream_sent) n = (size_t)(j->stream_len - j->stream_sent);
    unsigned char *out = malloc(LWS_PRE + n);
    if (!out) abort();
    memcpy(out + LWS_PRE, j->piece + j->piece_off, n);
    bool last = j->stream_sent + n == j->stream_len;
    int w = lws_write(wsi, out + LWS_PRE, n, last ? LWS_WRITE_HTTP_FINAL : LWS_WRITE_HTTP);
    free(out);
    if (w < (int)n) return -1;
    j->piece_off += n;
    j->stream_sent += n;
    if (last) return response_done(wsi, p);
    lws_callback_on_writable(wsi);
    return 0;
}

static int write_job(struct lws *wsi, struct http_pss *p, struct http_reply *j)
{
    if (!j->headers_sent) {
        if (write_headers(wsi, j)) return -1;
        if (j->not_modified || j->head || (j->streamed && j->stream_len == 0)) return response_done(wsi, p);
        lws_callback_on_writable(wsi);
        return 0;
    }
    if (j->streamed) return write_stream(wsi, p, j);
    unsigned char *out = malloc(LWS_PRE + j->len + 1);
    if (!out) abort();
    memcpy(out + LWS_PRE, j->body, j->len);
    int n = lws_write(wsi, out + LWS_PRE, j->len, LWS_WRITE_HTTP_FINAL);
    free(out);
    if (n < (int)j->len) return -1;
    return response_done(wsi, p);
}

int http_refuse_upgrade(struct lws *wsi, unsigned int status)
{
    lws_return_http_status(wsi, status, NULL);
    return 1;
}

int http_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
    struct http_pss *p = user;
    struct app *app = lws_context_user(lws_get_context(wsi));

    switch (reason) {
    case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
        /* A WebSocket upgrade that did not ask for expo.v1 lands on this protocol. */
        log_info("http: refused WebSocket upgrade without subprotocol expo.v1");
        return http_refuse_upgrade(wsi, HTTP_STATUS_BAD_REQUEST);

    case LWS_CALLBACK_HTTP: {
        char uri[256];
        bool post = false, head = false;
        if (lws_hdr_copy(wsi, uri, sizeof uri, WSI_TOKEN_GET_URI) <= 0) {
            post = lws_hdr_copy(wsi, uri, sizeof uri, WSI_TOKEN_POST_URI) > 0;
            head = !post && lws_hdr_copy(wsi, uri, sizeof uri, WSI_TOKEN_HEAD_URI) > 0;
            if (!post && !head) uri[0] = 0;
        }
        bool health = strcmp(uri, "/healthz") == 0;
        long route = health ? -1 : find_route(app, uri);
        if (!health && route < 0) {
            lws_return_http_status(wsi, HTTP_STATUS_NOT_FOUND, NULL);
            return -1;
        }
        release_job(p);           /* the previous request on a kept-alive connection */
        struct http_reply *j = calloc(1, sizeof *j);
        if (!j) abort();
        j->refs = 2;              /* the connection and the finisher */
        j->wsi = wsi;
        j->head = head;           /* answered as a GET, without the body */
        peer_address(wsi, app->cfg, j->peer, sizeof j->peer);
        *p = (struct http_pss){.job = j, .post = post};
        if (health) start_health(app, j);
        else run_route(app, wsi, p, (size_t)route, uri);
        return 0;
    }

    case LWS_CALLBACK_HTTP_BODY:
        if (p->upload_ctx && len && p->upload->chunk(p->upload_ctx, in, len)) upload_end(p, false);
        return 0;               /* after an early answer, the rest is read and dropped */

    case LWS_CALLBACK_HTTP_BODY_COMPLETION:
        p->body_done = true;
        upload_end(p, true);
        return 0;

    case LWS_CALLBACK_HTTP_WRITEABLE:
        if (!p->job || !p->job->ready) return 0;
        return write_job(wsi, p, p->job);

    case LWS_CALLBACK_CLOSED_HTTP:
        recv_hook_forget(lws_get_socket_fd(wsi));   /* a plain HTTP connection ends */
        /* fall through */
    case LWS_CALLBACK_HTTP_DROP_PROTOCOL:
        if (p) {
            upload_end(p, false);
            release_job(p);
        }
        return 0;

    default:
        return lws_callback_http_dummy(wsi, reason, user, in, len);
    }
}

/* ---------- mounts ---------- */

static const struct lws_protocol_vhost_options mime_mp4 = {NULL, NULL, ".mp4", "video/mp4"};
static const struct lws_protocol_vhost_options mime_webm = {&mime_mp4, NULL, ".webm", "video/webm"};
static const struct lws_protocol_vhost_options mime_webp = {&mime_webm, NULL, ".webp", "image/webp"};
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
    size_t n = app->n_http_routes;
    h->routes = calloc(n ? n : 1, sizeof *h->routes);
    if (!h->routes) abort();
    file_mount(&h->root, NULL, "/", app->cfg->assets, 60);  /* pages and modules change with deploys */
    h->root.def = "index.html";
    h->root.cache_revalidate = 1;
    /* Debian packages: stable between upgrades */
    file_mount(&h->vendor, &h->root, "/vendor", "/usr/share/javascript", 86400);
    const struct lws_http_mount *next = &h->vendor;
    for (size_t k = 0; k < n; k++) {
        callback_mount(&h->routes[k], next, app->http_routes[k].mount);
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
    "default-src 'self'; img-src 'self' data:; media-src 'self'; "
    "frame-src https://www.youtube-nocookie.com https://www.youtube.com https://player.vimeo.com; "
    "connect-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self'; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'"};
static const struct lws_protocol_vhost_options h_nosniff = {&h_csp, NULL, "x-content-type-options:", "nosniff"};
static const struct lws_protocol_vhost_options h_referrer = {&h_nosniff, NULL, "referrer-policy:", "same-origin"};

const struct lws_protocol_vhost_options *http_headers(void) { return &h_referrer; }
