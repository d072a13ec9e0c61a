/* download.c — see download.h. */
#include "domains/files/download.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/app.h"
#include "db/db.h"
#include "domains/auth/token.h"
#include "domains/files/files.h"
#include "util/disposition.h"
#include "util/filetype.h"
#include "util/httprange.h"
#include "util/log.h"

/* $1 file id, $2 token hash or NULL. No row: unknown, or unattached and not the caller's. */
static struct db_stmt q_meta = DB_STMT("file_meta",
    "WITH me AS (SELECT a.id, a.role FROM auth_tokens t JOIN accounts a ON a.id = t.account_id"
    "   WHERE " SQL_TOKEN_VALID("t", "$2") " AND a.disabled_at IS NULL)"
    " SELECT f.content_type, f.byte_size, encode(f.sha256, 'hex') AS sha256, coalesce(f.filename, '') AS filename,"
    "  file_is_public(f.id) AS public"
    " FROM files f WHERE f.id = $1 AND (file_is_public(f.id) OR EXISTS (SELECT 1 FROM me WHERE me.role = 'organizer'"
    "   OR EXISTS (SELECT 1 FROM booth_staff s WHERE s.booth_id = f.booth_id AND s.account_id = me.id)))");

/* One piece, in binary: $1 id, $2 1-based offset, $3 length. */
static struct db_stmt q_piece = DB_STMT("file_piece",
    "SELECT substring(data FROM $2::int FOR $3::int) FROM files WHERE id = $1");

/* A download in progress: the part still to send and the piece being sent. */
struct download {
    struct app *app;
    char id[24];
    uint64_t next, end;         /* next byte to fetch, one past the last to send */
    struct db_kept *piece;      /* the piece being sent (its result, kept) */
    struct http_reply *h;       /* during a pull */
};

static void download_release(void *src)
{
    struct download *d = src;
    db_kept_free(d->piece);
    free(d);
}

static void on_piece(void *arg, const struct db_result *res)
{
    struct download *d = arg;
    struct http_reply *h = d->h;
    uint64_t want = d->end - d->next > FILES_CHUNK ? FILES_CHUNK : d->end - d->next;
    if (db_result_status(res) != DB_OK || db_result_rows(res) != 1 || db_result_length(res, 0, 0) != want) {
        /* deleted meanwhile, or the database went away: cut the body short */
        log_warn("files: reading file %s at %llu failed: %s", d->id, (unsigned long long)d->next,
                 db_result_message(res));
        http_reply_feed(h, NULL, 0);
        return;
    }
    d->piece = db_result_keep(res);
    d->next += want;
    http_reply_feed(h, db_kept_value(d->piece, 0, 0), (size_t)want);   /* may release d: last */
}

static void download_pull(void *src, struct http_reply *h)
{
    struct download *d = src;
    db_kept_free(d->piece);     /* the transport has sent all of it */
    d->piece = NULL;
    d->h = h;
    char off[24], len[24];
    uint64_t want = d->end - d->next > FILES_CHUNK ? FILES_CHUNK : d->end - d->next;
    snprintf(off, sizeof off, "%llu", (unsigned long long)d->next + 1);
    snprintf(len, sizeof len, "%llu", (unsigned long long)want);
    const char *p[] = {d->id, off, len};
    if (db_query_binary(d->app->db, &q_piece, 3, p, on_piece, d)) http_reply_feed(h, NULL, 0);
}

/* ---------- the answer's headers ---------- */

struct meta_ctx {
    struct app *app;
    struct http_reply *h;
    char id[24];
    char *range, *if_range, *if_none_match;   /* copied from the request, NULL when absent */
};

static void meta_ctx_free(struct meta_ctx *m)
{
    free(m->range);
    free(m->if_range);
    free(m->if_none_match);
    free(m);
}

/* True when an If-None-Match list names etag (or is "*"). Weak comparison, as RFC 9110
 * 13.1.2 asks: W/"x" matches "x". */
static bool etag_listed(const char *list, const char *etag)
{
    if (!list) return false;
    while (*list == ' ' || *list == '\t') list++;
    if (!strcmp(list, "*")) return true;
    return strstr(list, etag) != NULL;
}

static void on_meta(void *arg, const struct db_result *res)
{
    struct meta_ctx *m = arg;
    struct http_reply *h = m->h;
    if (db_result_status(res) != DB_OK) { http_reply_error(h, 503, "unavailable"); meta_ctx_free(m); return; }
    if (db_result_rows(res) != 1) { http_reply_error(h, 404, "not_found"); meta_ctx_free(m); return; }
    const char *mime = db_result_value(res, 0, 0);
    uint64_t size = (uint64_t)db_result_int64(res, 0, 1);
    bool public = db_result_bool(res, 0, 4);
    char etag[72], disp[DISPOSITION_MAX];
    snprintf(etag, sizeof etag, "\"%s\"", db_result_value(res, 0, 2));
    disposition_header(disp, db_result_value(res, 0, 3), true);
    http_reply_header(h, "etag:", etag);
    http_reply_header(h, "cache-control:", public ? "public, max-age=31536000, immutable" : "private, no-store");
    http_reply_header(h, "x-content-type-options:", "nosniff");
    if (etag_listed(m->if_none_match, etag)) {
        http_reply_not_modified(h);
        meta_ctx_free(m);
        return;
    }
    http_reply_header(h, "accept-ranges:", "bytes");
    http_reply_header(h, "content-disposition:", disp);
    /* If-Range with another validator: the client's copy is stale, send everything. */
    const char *range = m->if_range && strcmp(m->if_range, etag) ? NULL : m->range;
    struct httprange r;
    enum httprange_result rr = httprange_parse(range, size, &r);
    char cr[HTTPRANGE_CONTENT_RANGE_MAX];
    if (rr == HTTPRANGE_UNSATISFIABLE) {
        httprange_content_range(cr, sizeof cr, NULL, size);
        http_reply_header(h, "content-range:", cr);
        http_reply_error(h, 416, "range_not_satisfiable");
        meta_ctx_free(m);
        return;
    }
    struct download *d = calloc(1, sizeof *d);
    if (!d) abort();
    d->app = m->app;
    memcpy(d->id, m->id, sizeof d->id);
    d->next = 0;
    d->end = size;
    int status = 200;
    if (rr == HTTPRANGE_ONE) {
        status = 206;
        d->next = r.first;
        d->end = r.last + 1;
        httprange_content_range(cr, sizeof cr, &r, size);
        http_reply_header(h, "content-range:", cr);
    }
    /* mime is in the result, valid only now: the stored types are filetype.h's, so its
     * static string of the same text is used instead of a copy. */
    const char *ctype = "application/octet-stream";
    for (enum filetype t = FILETYPE_PDF; t <= FILETYPE_WEBP; t++)
        if (!strcmp(mime, filetype_mime(t))) ctype = filetype_mime(t);
    http_reply_stream(h, status, ctype, d->end - d->next, download_pull, download_release, d);
    meta_ctx_free(m);
}

/* A copy of a request header, or NULL. */
static char *header_copy(struct http_reply *h, enum http_header which)
{
    char buf[512];
    const char *v = http_reply_request_header(h, which, buf, sizeof buf);
    if (!v) return NULL;
    char *c = strdup(v);
    if (!c) abort();
    return c;
}

void files_download(void *self, struct http_reply *h, const char *path, const char *authorization)
{
    struct files *f = self;
    const char *id = path + strlen("/files/");
    size_t n = strspn(id, "0123456789");
    if (strncmp(path, "/files/", 7) || n == 0 || n > 15 || id[n] || id[0] == '0') {
        http_reply_error(h, 404, "not_found");
        return;
    }
    char hex[TOKEN_HASH_HEX_LEN + 1], bytea[TOKEN_HASH_HEX_LEN + 3];
    bool token = strncasecmp(authorization, "Bearer ", 7) == 0 && token_well_formed(authorization + 7);
    if (token) {
        token_hash_hex(authorization + 7, hex);
        token_hash_bytea(hex, bytea);
    }
    struct meta_ctx *m = calloc(1, sizeof *m);
    if (!m) abort();
    m->app = f->app;
    m->h = h;
    memcpy(m->id, id, n + 1);
    m->range = header_copy(h, HTTP_HDR_RANGE);
    m->if_range = header_copy(h, HTTP_HDR_IF_RANGE);
    m->if_none_match = header_copy(h, HTTP_HDR_IF_NONE_MATCH);
    const char *p[] = {m->id, token ? bytea : NULL};
    if (db_query(f->app->db, &q_meta, 2, p, on_meta, m)) {
        meta_ctx_free(m);
        http_reply_error(h, 503, "unavailable");
    }
}
