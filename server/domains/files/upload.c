/* upload.c — see upload.h.
 *
 * One upload is a small state machine over three independent events: the body arriving
 * (chunk/end from net/http.c), the early right check (a query started with the headers, so
 * a stranger is refused while the body still arrives) and the INSERT. The context is shared
 * by the transport (until end) and the right-check query (until its callback): refs. The
 * reply is finished exactly once: `answered` says it was. */
#include "domains/files/upload.h"

#include <openssl/evp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cJSON.h>

#include "core/app.h"
#include "core/http_reply.h"
#include "db/db.h"
#include "domains/files/files.h"
#include "domains/files/files_sql.h"
#include "util/disposition.h"
#include "util/filetype.h"
#include "util/log.h"

static struct db_stmt q_right = DB_STMT("file_upload_right", SQL_UPLOAD_RIGHT " SELECT " SQL_UPLOAD_RIGHT_COLS);

/* $3 name, $4 mime, $5 size, $6 sha256 hex, $7 the bytes (binary). Unattached uploads of
 * the booth older than a day go in the same statement (an upload is attached by media.save
 * right after it, see download.c for what is public). */
static struct db_stmt q_store = DB_STMT("file_store",
    SQL_UPLOAD_RIGHT ","
    " ins AS (INSERT INTO files (owner_account_id, booth_id, filename, content_type, byte_size, sha256, data)"
    "   SELECT allowed.id, $2::bigint, $3, $4, $5::int, decode($6, 'hex'), $7::bytea FROM allowed RETURNING id),"
    " gc AS (DELETE FROM files f WHERE f.booth_id = $2::bigint AND f.created_at < now() - interval '1 day'"
    "   AND EXISTS (SELECT 1 FROM allowed) AND NOT file_is_public(f.id))"
    " SELECT " SQL_UPLOAD_RIGHT_COLS ", (SELECT id FROM ins)::text AS id");

enum right { RIGHT_PENDING, RIGHT_OK, RIGHT_DENIED };

struct upload {
    unsigned refs;              /* transport (until end) + right-check query */
    struct app *app;
    struct files *files;
    uint64_t reserved;          /* counted in files->upload_bytes until freed or stored */
    struct http_reply *reply;
    bool answered;              /* the reply is finished (or handed to the store query) */
    bool body_complete;
    enum right right;
    char booth[24];
    char token_bytea[TOKEN_HASH_HEX_LEN + 3];
    char name[DISPOSITION_NAME_MAX + 1];
    enum filetype type;         /* once FILETYPE_SNIFF_BYTES (or the whole body) arrived */
    char *buf;                  /* the body so far */
    size_t len, cap;            /* cap: the declared Content-Length */
    EVP_MD_CTX *sha;
};

static void upload_unref(struct upload *u)
{
    if (--u->refs) return;
    u->files->upload_bytes -= u->reserved;
    EVP_MD_CTX_free(u->sha);
    free(u->buf);
    explicit_bzero(u->token_bytea, sizeof u->token_bytea);
    free(u);
}

/* Finishes the reply with {"error": code, "message": message}, once. */
static void answer_error(struct upload *u, int status, const char *code, const char *message)
{
    if (u->answered) return;
    u->answered = true;
    char *body;
    if (asprintf(&body, "{\"error\":\"%s\",\"message\":\"%s\"}", code, message) < 0) abort();
    if (status == 401) { http_reply_error(u->reply, 401, code); free(body); return; }
    http_reply_finish(u->reply, status, "application/json", body);
}

static void too_large(struct upload *u)
{
    char msg[160];
    snprintf(msg, sizeof msg, "the file is too large: at most %llu MiB for a PDF, %llu MiB for an image",
             (unsigned long long)(FILETYPE_PDF_MAX >> 20), (unsigned long long)(FILETYPE_IMAGE_MAX >> 20));
    answer_error(u, 413, "too_large", msg);
}

static void unsupported(struct upload *u)
{
    answer_error(u, 415, "unsupported_type", "only PDF, PNG, JPEG and WebP files are accepted");
}

/* ---------- storing ---------- */

/* What the answer tells besides the id, kept while the INSERT runs. */
struct stored {
    struct http_reply *reply;
    struct files *files;
    uint64_t reserved;          /* the upload's reservation, until the INSERT answered */
    enum filetype type;
    size_t size;
    char sha256[65];
    char name[DISPOSITION_NAME_MAX + 1];
};

static void on_stored(void *arg, const struct db_result *res)
{
    struct stored *st = arg;
    struct http_reply *reply = st->reply;
    int cid = db_result_col(res, "id");
    if (db_result_status(res) != DB_OK || db_result_rows(res) != 1 || cid < 0) {
        log_warn("files: storing an upload failed: %s", db_result_message(res));
        http_reply_error(reply, 503, "unavailable");
    } else if (db_result_isnull(res, 0, cid)) {
        bool signed_in = db_result_int64(res, 0, db_result_col(res, "signed_in")) > 0;
        bool booth = db_result_int64(res, 0, db_result_col(res, "booth_exists")) > 0;
        http_reply_error(reply, !signed_in ? 401 : !booth ? 404 : 403,
                         !signed_in ? "unauthorized" : !booth ? "no_booth" : "forbidden");
    } else {
        const char *id = db_result_value(res, 0, cid);
        char url[48];
        snprintf(url, sizeof url, "/files/%s", id);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "id", (double)db_result_int64(res, 0, cid));
        cJSON_AddStringToObject(o, "type", filetype_str(st->type));
        cJSON_AddStringToObject(o, "mime", filetype_mime(st->type));
        cJSON_AddNumberToObject(o, "size", (double)st->size);
        cJSON_AddStringToObject(o, "sha256", st->sha256);
        cJSON_AddStringToObject(o, "name", st->name);
        cJSON_AddStringToObject(o, "url", url);
        char *body = cJSON_PrintUnformatted(o);
        cJSON_Delete(o);
        if (!body) abort();
        log_info("files: stored file %s (%s, %zu bytes) for booth upload", id, filetype_str(st->type), st->size);
        http_reply_finish(reply, 201, "application/json", body);
    }
    st->files->upload_bytes -= st->reserved;
    free(st);
}

/* Body complete and the early check passed (or is still running: the INSERT checks again):
 * check the whole file, then one INSERT. */
static void store(struct upload *u)
{
    if (u->answered || !u->body_complete || u->right == RIGHT_DENIED) return;
    enum filetype type;
    int err = filetype_check(u->buf, u->len, &type);
    if (err == FILETYPE_ERR_TYPE) { unsupported(u); return; }
    if (err == FILETYPE_ERR_TOO_LARGE) { too_large(u); return; }
    if (err) { answer_error(u, 400, "truncated", "the file is incomplete: it does not end the way a complete file does"); return; }
    struct stored *st = calloc(1, sizeof *st);
    if (!st) abort();
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned dl = 0;
    if (!EVP_DigestFinal_ex(u->sha, d, &dl) || dl != 32) abort();
    for (unsigned i = 0; i < dl; i++) snprintf(st->sha256 + 2 * i, 3, "%02x", d[i]);
    st->reply = u->reply;
    st->files = u->files;
    st->reserved = u->reserved;     /* the bytes now wait in the query */
    u->reserved = 0;
    st->type = type;
    st->size = u->len;
    memcpy(st->name, u->name, sizeof st->name);
    char size[24];
    snprintf(size, sizeof size, "%zu", u->len);
    const char *p[] = {u->token_bytea, u->booth, u->name, filetype_mime(type), size, st->sha256};
    u->answered = true;         /* the reply is the store query's now */
    char *blob = u->buf;
    size_t len = u->len;
    u->buf = NULL;
    u->len = u->cap = 0;
    if (db_query_blob(u->app->db, &q_store, 6, p, blob, len, on_stored, st)) {
        st->files->upload_bytes -= st->reserved;
        free(st);
        http_reply_error(u->reply, 503, "unavailable");
    }
}

/* ---------- the early right check ---------- */

static void on_right(void *arg, const struct db_result *res)
{
    struct upload *u = arg;
    if (db_result_status(res) != DB_OK || db_result_rows(res) != 1) {
        u->right = RIGHT_OK;    /* undecided: the INSERT decides */
    } else if (db_result_int64(res, 0, db_result_col(res, "allowed")) > 0) {
        u->right = RIGHT_OK;
    } else {
        u->right = RIGHT_DENIED;
        if (db_result_int64(res, 0, db_result_col(res, "signed_in")) == 0)
            answer_error(u, 401, "unauthorized", "sign in again: the token is not valid");
        else if (db_result_int64(res, 0, db_result_col(res, "booth_exists")) == 0)
            answer_error(u, 404, "no_booth", "no such booth");
        else
            answer_error(u, 403, "forbidden", "only staff of this booth or an organizer may upload");
    }
    store(u);
    upload_unref(u);
}

/* ---------- the transport's hooks ---------- */

static void *upload_begin(void *self, struct http_reply *reply, const char *path, const char *authorization)
{
    struct files *f = self;
    char arg[DISPOSITION_NAME_MAX * 4 + 1], cl[32];
    if (strcmp(path, "/upload") != 0) { http_reply_error(reply, 404, "not_found"); return NULL; }
    if (strncasecmp(authorization, "Bearer ", 7) != 0 || !token_well_formed(authorization + 7)) {
        http_reply_error(reply, 401, "unauthorized");
        return NULL;
    }
    struct upload *u = calloc(1, sizeof *u);
    if (!u) abort();
    u->refs = 1;
    u->app = f->app;
    u->files = f;
    u->reply = reply;
    const char *booth = http_reply_request_arg(reply, "booth", arg, sizeof arg);
    size_t digits = booth ? strspn(booth, "0123456789") : 0;
    if (!booth || !digits || digits > 15 || booth[digits] || booth[0] == '0') {
        answer_error(u, 400, "bad_booth", "'booth' must be the id of the booth the file is for");
        upload_unref(u);
        return NULL;
    }
    memcpy(u->booth, booth, digits + 1);
    disposition_clean_name(u->name, http_reply_request_arg(reply, "name", arg, sizeof arg));
    /* lws 4.1 hands a chunked request body over with its framing, and a body without a
     * length would have none: a length is required (XMLHttpRequest and fetch send one for a
     * File). Over every type's limit: refused before a byte of the body is read. */
    char te[64];
    const char *length = http_reply_request_header(reply, HTTP_HDR_CONTENT_LENGTH, cl, sizeof cl);
    if (!length || http_reply_request_header(reply, HTTP_HDR_TRANSFER_ENCODING, te, sizeof te)) {
        answer_error(u, 411, "length_required", "send the file with a Content-Length");
        upload_unref(u);
        return NULL;
    }
    unsigned long long n = strtoull(length, NULL, 10);
    if (n > FILETYPE_MAX_ANY) { too_large(u); upload_unref(u); return NULL; }
    if (f->upload_bytes + n > FILES_UPLOAD_BYTES_MAX) {
        log_warn("files: %llu bytes of uploads in memory; refusing one of %llu bytes for now",
                 (unsigned long long)f->upload_bytes, n);
        http_reply_header(reply, "retry-after:", "10");
        answer_error(u, 503, "busy", "the server is taking many uploads at once; try again in a few seconds");
        upload_unref(u);
        return NULL;
    }
    u->reserved = n;
    f->upload_bytes += n;
    u->cap = n ? (size_t)n : 1;
    u->buf = malloc(u->cap);
    u->sha = EVP_MD_CTX_new();
    if (!u->buf || !u->sha || !EVP_DigestInit_ex(u->sha, EVP_sha256(), NULL)) abort();
    char hex[TOKEN_HASH_HEX_LEN + 1];
    token_hash_hex(authorization + 7, hex);
    token_hash_bytea(hex, u->token_bytea);
    const char *p[] = {u->token_bytea, u->booth};
    u->refs++;
    if (db_query(u->app->db, &q_right, 2, p, on_right, u)) {
        u->refs--;
        answer_error(u, 503, "unavailable", "the database is unavailable; try again");
        upload_unref(u);
        return NULL;
    }
    return u;
}

static int upload_chunk(void *ctx, const void *data, size_t len)
{
    struct upload *u = ctx;
    if (u->answered) return -1;
    /* lws stops the body at Content-Length, which begin checked; this is the guard. */
    if (len > u->cap - u->len) { too_large(u); return -1; }
    bool sniffed = u->len >= FILETYPE_SNIFF_BYTES;
    memcpy(u->buf + u->len, data, len);
    u->len += len;
    if (!EVP_DigestUpdate(u->sha, data, len)) abort();
    if (!sniffed && u->len >= FILETYPE_SNIFF_BYTES) {
        /* The type is known from the first bytes: refuse early, and an image gets its
         * smaller limit, checked against the declared length before more is read. */
        u->type = filetype_sniff(u->buf, u->len);
        if (u->type == FILETYPE_NONE) { unsupported(u); return -1; }
        if (u->cap > filetype_max_bytes(u->type)) { too_large(u); return -1; }
    }
    return 0;
}

static void upload_end(void *ctx, bool complete)
{
    struct upload *u = ctx;
    if (!complete) {
        answer_error(u, 400, "truncated", "the upload stopped before the whole file arrived");
    } else {
        u->body_complete = true;
        store(u);
    }
    upload_unref(u);
}

const struct http_upload files_upload = {
    .begin = upload_begin,
    .chunk = upload_chunk,
    .end = upload_end,
};
