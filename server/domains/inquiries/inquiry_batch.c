/* inquiry_batch.c — see inquiry_batch.h. */
#include "domains/inquiries/inquiry_batch.h"

#include <cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "core/app.h"
#include "core/config.h"
#include "core/log.h"
#include "core/request.h"
#include "core/session.h"
#include "db/db.h"
#include "domains/chat/chat_batch.h"
#include "domains/inquiries/inquiry_sql.h"

static struct db_stmt q_append = DB_STMT("inquiry_append",
    "SELECT m.idx, m.duplicate, m.error,"
    " CASE WHEN m.error IS NULL THEN " SQL_INQUIRY_MESSAGE_JSON "::text END"
    " FROM inquiry_append($1::jsonb) m"
    " LEFT JOIN inquiry_threads t ON t.id = m.thread_id LEFT JOIN accounts a ON a.id = m.author_id");
enum { C_IDX, C_DUPLICATE, C_ERROR, C_MESSAGE };

struct item {
    struct request *r;
    int64_t thread_id;
    char *text;
    const char *client_msg_id;
};

struct batch {
    struct inquiry_batch *owner;
    struct item *items;
    size_t n;
};

struct inquiry_batch {
    struct app *app;
    struct item *pending;
    size_t n_pending, cap_pending;
    unsigned inflight;
    uv_check_t check;           /* sends at the end of the loop turn: arrivals coalesce */
};

static void flush(struct inquiry_batch *ib);

static void on_check(uv_check_t *c)
{
    uv_check_stop(c);
    flush(c->data);
}

static void schedule(struct inquiry_batch *ib)
{
    if (ib->n_pending && !uv_is_active((uv_handle_t *)&ib->check)) uv_check_start(&ib->check, on_check);
}

static void batch_free(struct batch *b)
{
    for (size_t i = 0; i < b->n; i++) free(b->items[i].text);
    free(b->items);
    free(b);
}

static void answer(struct request *r, const struct db_result *res, int row)
{
    if (!db_result_isnull(res, row, C_ERROR)) {
        const char *err = db_result_value(res, row, C_ERROR);
        if (!strcmp(err, "forbidden")) request_error(r, PROTO_FORBIDDEN, "not a participant of this inquiry");
        else request_error(r, PROTO_BAD_REQUEST, "message rejected: %s", err);
        return;
    }
    cJSON *d = cJSON_CreateObject();
    cJSON_AddRawToObject(d, "message", db_result_value(res, row, C_MESSAGE));
    if (db_result_bool(res, row, C_DUPLICATE)) cJSON_AddTrueToObject(d, "duplicate");
    request_ok(r, d);
}

static void on_appended(void *arg, const struct db_result *res)
{
    struct batch *b = arg;
    struct inquiry_batch *ib = b->owner;
    ib->inflight--;
    if (db_result_status(res) != DB_OK) {
        bool query_error = db_result_status(res) == DB_ERR_QUERY;
        if (query_error) log_error("inquiries: inquiry_append failed: %s", db_result_message(res));
        for (size_t i = 0; i < b->n; i++) {
            if (query_error) request_error(b->items[i].r, PROTO_INTERNAL, "internal error");
            else request_unavailable(b->items[i].r);
        }
    } else {
        bool *answered = calloc(b->n ? b->n : 1, sizeof *answered);
        if (!answered) abort();
        for (int i = 0; i < db_result_rows(res); i++) {
            long idx = (long)db_result_int64(res, i, C_IDX);
            if (idx < 0 || (size_t)idx >= b->n || answered[idx]) continue;
            answered[idx] = true;
            answer(b->items[idx].r, res, i);
        }
        for (size_t i = 0; i < b->n; i++)
            if (!answered[i]) request_error(b->items[i].r, PROTO_INTERNAL, "internal error");
        free(answered);
    }
    batch_free(b);
    schedule(ib);
}

static char *batch_json(const struct item *items, size_t n)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddNumberToObject(e, "idx", (double)i);
        cJSON_AddNumberToObject(e, "thread_id", (double)items[i].thread_id);
        cJSON_AddNumberToObject(e, "author_id", (double)items[i].r->s->account_id);
        cJSON_AddStringToObject(e, "body", items[i].text);
        cJSON_AddStringToObject(e, "client_msg_id", items[i].client_msg_id);
        cJSON_AddItemToArray(arr, e);
    }
    char *json = cJSON_PrintUnformatted(arr);
    cJSON_Delete(arr);
    return json;
}

static void send_batch(struct inquiry_batch *ib, struct item *items, size_t n)
{
    struct batch *b = malloc(sizeof *b);
    if (!b) abort();
    *b = (struct batch){ib, items, n};
    char *json = batch_json(items, n);
    const char *p[] = {json};
    ib->inflight++;
    if (db_query(ib->app->db, &q_append, 1, p, on_appended, b)) {
        ib->inflight--;
        for (size_t i = 0; i < n; i++) request_unavailable(items[i].r);
        batch_free(b);
    }
    free(json);
}

static void flush(struct inquiry_batch *ib)
{
    size_t n;
    while ((n = chat_batch_take(ib->n_pending, ib->inflight, ib->app->cfg->chat_batching))) {
        struct item *items = malloc(sizeof *items * n);
        if (!items) abort();
        memcpy(items, ib->pending, sizeof *items * n);
        memmove(ib->pending, ib->pending + n, sizeof *items * (ib->n_pending - n));
        ib->n_pending -= n;
        send_batch(ib, items, n);
    }
}

void inquiry_batch_submit(struct inquiry_batch *ib, struct request *r, int64_t thread_id, char *text,
                          const char *client_msg_id)
{
    if (ib->n_pending == ib->cap_pending) {
        ib->cap_pending = ib->cap_pending ? ib->cap_pending * 2 : 64;
        ib->pending = realloc(ib->pending, sizeof *ib->pending * ib->cap_pending);
        if (!ib->pending) abort();
    }
    ib->pending[ib->n_pending++] = (struct item){r, thread_id, text, client_msg_id};
    schedule(ib);
}

struct inquiry_batch *inquiry_batch_new(struct app *app)
{
    struct inquiry_batch *ib = calloc(1, sizeof *ib);
    if (!ib) abort();
    ib->app = app;
    uv_check_init(&app->loop, &ib->check);
    ib->check.data = ib;
    uv_unref((uv_handle_t *)&ib->check);
    return ib;
}

static void on_check_closed(uv_handle_t *h)
{
    struct inquiry_batch *ib = h->data;
    free(ib->pending);
    free(ib);
}

void inquiry_batch_free(struct inquiry_batch *ib) { uv_close((uv_handle_t *)&ib->check, on_check_closed); }
