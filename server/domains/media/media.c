/* media.c — media.save, media.delete, media.reorder and the media.changed fan-out (media.h).
 *
 * The handlers check the shape of every field here (a clear message naming the field, before
 * any query); the SQL function then checks the right and the references in the same
 * transaction as the write, and NOTIFYs. Each node, notified, reads the booth's list once and
 * sends it to its sessions inside that booth (core/room.h); the acting session gets the list
 * in its reply too. */
#include "domains/media/media.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/app.h"
#include "core/room.h"
#include "util/log.h"
#include "core/protocol.h"
#include "core/request.h"
#include "core/session.h"
#include "db/db.h"
#include "util/embed.h"
#include "util/text.h"
#include "util/validate.h"

#define MEDIA_IDS_MAX 50
#define ID_MAX INT64_C(9007199254740991)

struct media {
    struct app *app;
};

static struct db_stmt q_save = DB_STMT("media_save",
    "SELECT error, media_id, media::text FROM media_save($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)");
static struct db_stmt q_delete = DB_STMT("media_delete",
    "SELECT error, media::text FROM media_delete($1, $2, $3)");
static struct db_stmt q_reorder = DB_STMT("media_reorder",
    "SELECT error, media::text FROM media_reorder($1, $2, $3::bigint[])");
static struct db_stmt q_list = DB_STMT("media_list", "SELECT booth_media_json($1)::text");

static const char *const kinds[] = {"video", "stream", "brochure", "image", "link"};

/* ---------- replies ---------- */

struct call {
    struct request *r;
    int64_t booth_id;
    int64_t media_id;       /* media.save: set from the result */
};

static void reply_error_code(struct request *r, const char *e)
{
    if (!strcmp(e, "not_found")) request_error(r, PROTO_NOT_FOUND, "no such booth or media item");
    else if (!strcmp(e, "forbidden")) request_error(r, PROTO_FORBIDDEN, "only staff of this booth or an organizer may change its media");
    else if (!strcmp(e, "bad_file")) request_error(r, PROTO_BAD_REQUEST, "file_id: not a file uploaded for this booth");
    else if (!strcmp(e, "wrong_file_type")) request_error(r, PROTO_BAD_REQUEST, "file_id: a brochure must be a PDF, an image a PNG, JPEG or WebP file");
    else if (!strcmp(e, "too_many")) request_error(r, PROTO_TOO_LARGE, "a booth has at most 50 media items");
    else if (!strcmp(e, "bad_ids")) request_error(r, PROTO_BAD_REQUEST, "ids: list every media id of the booth exactly once");
    else request_error(r, PROTO_INTERNAL, "unexpected result");
}

/* Result columns: error, [media_id,] media. */
static void on_written(void *arg, const struct db_result *res)
{
    struct call *c = arg;
    struct request *r = c->r;
    int ce = db_result_col(res, "error"), cm = db_result_col(res, "media"), ci = db_result_col(res, "media_id");
    if (db_result_status(res) != DB_OK || db_result_rows(res) != 1 || ce < 0 || cm < 0) {
        request_db_error(r, res);
    } else if (!db_result_isnull(res, 0, ce)) {
        reply_error_code(r, db_result_value(res, 0, ce));
    } else {
        cJSON *d = cJSON_CreateObject();
        cJSON_AddNumberToObject(d, "booth_id", (double)c->booth_id);
        if (ci >= 0) cJSON_AddNumberToObject(d, "id", (double)db_result_int64(res, 0, ci));
        cJSON_AddRawToObject(d, "media", db_result_value(res, 0, cm));
        request_ok(r, d);
    }
    free(c);
}

static void run(struct request *r, int64_t booth_id, struct db_stmt *st, int n, const char *const *p)
{
    struct call *c = calloc(1, sizeof *c);
    if (!c) abort();
    c->r = r;
    c->booth_id = booth_id;
    if (request_query(r, st, n, p, on_written, c)) free(c);
}

/* ---------- field checks ---------- */

static int get_id(struct request *r, const cJSON *obj, const char *name, bool required, int64_t *out)
{
    char err[200];
    *out = 0;
    if (proto_get_int(obj, name, required, 1, ID_MAX, out, err, sizeof err)) {
        request_error(r, PROTO_BAD_REQUEST, "%s", err);
        return -1;
    }
    return 0;
}

/* title {en, ko}: each optional, at most MEDIA_TITLE_MAX characters after cleaning; at least
 * one of them given. Cleaned copies into out[0] (en) and out[1] (ko), NULL when empty. */
static int get_titles(struct request *r, char *out[2])
{
    static const char *const langs[] = {"en", "ko"};
    out[0] = out[1] = NULL;
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(r->data, "title");
    if (!cJSON_IsObject(t)) {
        request_error(r, PROTO_BAD_REQUEST, "title: required, an object {\"en\": text, \"ko\": text}");
        return -1;
    }
    for (int i = 0; i < 2; i++) {
        char err[200];
        const char *s;
        if (proto_get_string(t, langs[i], false, 0, 4 * MEDIA_TITLE_MAX, &s, err, sizeof err)) {
            request_error(r, PROTO_BAD_REQUEST, "title.%s", err);
            goto fail;
        }
        if (!s) continue;
        char *c = text_clean(s);
        int v = validate_text_len(c, 0, MEDIA_TITLE_MAX);
        if (v) {
            request_error(r, PROTO_BAD_REQUEST, "title.%s: %s (at most %d characters)", langs[i],
                          validate_err_message(v), MEDIA_TITLE_MAX);
            free(c);
            goto fail;
        }
        if (*c) out[i] = c;
        else free(c);
    }
    if (!out[0] && !out[1]) {
        request_error(r, PROTO_BAD_REQUEST, "title: give a title in English or Korean (or both)");
        return -1;
    }
    return 0;
fail:
    free(out[0]);
    free(out[1]);
    out[0] = out[1] = NULL;
    return -1;
}

/* What a kind needs, checked; the embed URL of a video into embed[EMBED_URL_MAX] ("" else). */
static int check_kind_fields(struct request *r, const char *kind, const char *url, int64_t file_id, const char *lang,
                             char embed[EMBED_URL_MAX])
{
    embed[0] = 0;
    bool file_kind = !strcmp(kind, "brochure") || !strcmp(kind, "image");
    if (file_kind) {
        if (!file_id) { request_error(r, PROTO_BAD_REQUEST, "file_id: required for a %s (upload the file first)", kind); return -1; }
        if (url) { request_error(r, PROTO_BAD_REQUEST, "url: a %s is an uploaded file, not a link", kind); return -1; }
    } else {
        if (file_id) { request_error(r, PROTO_BAD_REQUEST, "file_id: a %s is a link, not a file", kind); return -1; }
        if (!url) { request_error(r, PROTO_BAD_REQUEST, "url: required for a %s", kind); return -1; }
    }
    if (!strcmp(kind, "brochure") && !lang) {
        request_error(r, PROTO_BAD_REQUEST, "lang: required for a brochure, \"en\" or \"ko\"");
        return -1;
    }
    if (!strcmp(kind, "video")) {
        struct embed_video v;
        int e = embed_video(url, &v);
        if (e) {
            request_error(r, PROTO_BAD_REQUEST, "url: %s (a YouTube or Vimeo link to one video)", embed_err_str(e));
            return -1;
        }
        snprintf(embed, EMBED_URL_MAX, "%s", v.url);
    } else if (url) {
        int e = validate_url_http(url);
        if (e) { request_error(r, PROTO_BAD_REQUEST, "url: %s", validate_err_message(e)); return -1; }
    }
    return 0;
}

/* ---------- media.save ---------- */

/* media.save {booth_id, id?, kind, title: {en?, ko?}, url?, file_id?, lang?} */
static void handle_save(struct request *r)
{
    char err[200];
    int64_t booth_id, id, file_id;
    const char *kind, *url, *lang;
    if (get_id(r, r->data, "booth_id", true, &booth_id) || get_id(r, r->data, "id", false, &id) ||
        get_id(r, r->data, "file_id", false, &file_id))
        return;
    if (proto_get_string(r->data, "kind", true, 1, 16, &kind, err, sizeof err) ||
        proto_get_string(r->data, "url", false, 1, EMBED_INPUT_MAX, &url, err, sizeof err) ||
        proto_get_string(r->data, "lang", false, 2, 2, &lang, err, sizeof err)) {
        request_error(r, PROTO_BAD_REQUEST, "%s", err);
        return;
    }
    size_t k = 0;
    while (k < sizeof kinds / sizeof kinds[0] && strcmp(kind, kinds[k])) k++;
    if (k == sizeof kinds / sizeof kinds[0]) {
        request_error(r, PROTO_BAD_REQUEST, "kind: one of video, stream, brochure, image, link");
        return;
    }
    if (lang && strcmp(lang, "en") && strcmp(lang, "ko")) {
        request_error(r, PROTO_BAD_REQUEST, "lang: \"en\" or \"ko\"");
        return;
    }
    char embed[EMBED_URL_MAX];
    if (check_kind_fields(r, kind, url, file_id, lang, embed)) return;
    char *titles[2];
    if (get_titles(r, titles)) return;
    char actor[REQUEST_INT_LEN], booth[REQUEST_INT_LEN], mid[REQUEST_INT_LEN], fid[REQUEST_INT_LEN];
    const char *p[] = {request_int(actor, r->s->account_id), request_int(booth, booth_id),
                       id ? request_int(mid, id) : NULL, kind, titles[0], titles[1], url,
                       embed[0] ? embed : NULL, file_id ? request_int(fid, file_id) : NULL, lang};
    run(r, booth_id, &q_save, 10, p);
    free(titles[0]);
    free(titles[1]);
}

/* ---------- media.delete, media.reorder ---------- */

/* media.delete {booth_id, id} */
static void handle_delete(struct request *r)
{
    int64_t booth_id, id;
    if (get_id(r, r->data, "booth_id", true, &booth_id) || get_id(r, r->data, "id", true, &id)) return;
    char actor[REQUEST_INT_LEN], booth[REQUEST_INT_LEN], mid[REQUEST_INT_LEN];
    const char *p[] = {request_int(actor, r->s->account_id), request_int(booth, booth_id), request_int(mid, id)};
    run(r, booth_id, &q_delete, 3, p);
}

/* media.reorder {booth_id, ids: [every media id of the booth, in the new order]} */
static void handle_reorder(struct request *r)
{
    int64_t booth_id;
    if (get_id(r, r->data, "booth_id", true, &booth_id)) return;
    const cJSON *ids = cJSON_GetObjectItemCaseSensitive(r->data, "ids");
    int n = cJSON_IsArray(ids) ? cJSON_GetArraySize(ids) : -1;
    if (n < 1 || n > MEDIA_IDS_MAX) {
        request_error(r, PROTO_BAD_REQUEST, "ids: required, an array of 1 to %d media ids", MEDIA_IDS_MAX);
        return;
    }
    /* "{1,2,3}": at most 50 ids of at most 16 digits */
    char arr[MEDIA_IDS_MAX * 18 + 3], *w = arr;
    *w++ = '{';
    const cJSON *it;
    cJSON_ArrayForEach(it, ids) {
        double v = cJSON_IsNumber(it) ? it->valuedouble : 0;
        if (v < 1 || v > (double)ID_MAX || v != (double)(int64_t)v) {
            request_error(r, PROTO_BAD_REQUEST, "ids: every element must be a media id (a positive integer)");
            return;
        }
        w += sprintf(w, "%s%lld", w == arr + 1 ? "" : ",", (long long)v);
    }
    *w++ = '}';
    *w = 0;
    char actor[REQUEST_INT_LEN], booth[REQUEST_INT_LEN];
    const char *p[] = {request_int(actor, r->s->account_id), request_int(booth, booth_id), arr};
    run(r, booth_id, &q_reorder, 3, p);
}

/* ---------- media.changed on every node ---------- */

struct notified {
    struct media *m;
    int64_t booth_id;
};

static void on_list(void *arg, const struct db_result *res)
{
    struct notified *n = arg;
    if (db_result_status(res) == DB_OK && db_result_rows(res) == 1) {
        cJSON *d = cJSON_CreateObject();
        cJSON_AddNumberToObject(d, "booth_id", (double)n->booth_id);
        cJSON_AddRawToObject(d, "media", db_result_value(res, 0, 0));
        struct outmsg *ev = protocol_event("media.changed", d);
        room_publish(n->m->app->rooms, n->booth_id, ev);
        outmsg_unref(ev);
    } else {
        log_warn("media: booth %lld's media changed but cannot be read now: %s", (long long)n->booth_id,
                 db_result_message(res));
    }
    free(n);
}

static void on_notify(void *self, const char *channel, const char *payload, bool own)
{
    struct media *m = self;
    (void)channel;
    (void)own;
    char *end;
    long long booth = strtoll(payload, &end, 10);
    if (end == payload || *end || booth <= 0) return;
    if (!room_size(m->app->rooms, booth)) return;    /* nobody inside on this node */
    struct notified *n = malloc(sizeof *n);
    if (!n) abort();
    *n = (struct notified){m, booth};
    const char *p[] = {payload};
    if (db_query(m->app->db, &q_list, 1, p, on_list, n)) {
        log_warn("media: booth %lld's media changed but cannot be read now", booth);
        free(n);
    }
}

static void *create(struct app *app)
{
    struct media *m = calloc(1, sizeof *m);
    if (!m) abort();
    m->app = app;
    return m;
}

static void destroy(void *self) { free(self); }

static const struct route routes[] = {
    {"media.delete", handle_delete, ROLE_EXHIBITOR | ROLE_ORGANIZER, RATE_DEFAULT},
    {"media.reorder", handle_reorder, ROLE_EXHIBITOR | ROLE_ORGANIZER, RATE_DEFAULT},
    {"media.save", handle_save, ROLE_EXHIBITOR | ROLE_ORGANIZER, RATE_DEFAULT},
};

const struct domain media_domain = {
    .name = "media",
    .routes = routes,
    .n_routes = sizeof routes / sizeof routes[0],
    .channels = {MEDIA_CHANNEL},
    .on_notify = on_notify,
    .create = create,
    .destroy = destroy,
};
