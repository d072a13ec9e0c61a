/* chat_batch.c — see chat_batch.h. */
#include "domains/chat/chat_batch.h"

#include <cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "core/app.h"
#include "domains/chat/chat_feed.h"
#include "domains/chat/chat_sql.h"
#include "db/db.h"
#include "core/log.h"
#include "core/request.h"
#include "core/session.h"

static struct db_stmt q_append = DB_STMT("chat_append",
    "SELECT m.idx, m.booth_id, m.seq, m.duplicate, m.error,"
    " CASE WHEN m.error IS NULL THEN " SQL_MESSAGE_JSON "::text END"
    " FROM chat_append($1::jsonb) m LEFT JOIN accounts a ON a.id = m.author_id");

struct item {
    struct request *r;
    int64_t booth_id;
    char *text;
    const char *client_msg_id;
};

struct batch {
    struct item *items;
    size_t n;
};

static struct app *app;
static struct item *pending;
static size_t n_pending, cap_pending;
static unsigned inflight;
static uv_check_t check;
static bool check_active;

static void flush(void);

static void on_check(uv_check_t *c) { (void)c; uv_check_stop(&check); check_active = false; flush(); }

static void schedule(void)
{
    if (!check_active && n_pending) {
        uv_check_start(&check, on_check);
        check_active = true;
    }
}

static void fail_all(struct batch *b)
{
    for (size_t i = 0; i < b->n; i++)
        request_error(b->items[i].r, PROTO_UNAVAILABLE, "the database is unavailable; try again");
}

static void on_appended(void *arg, const struct db_result *res)
{
    struct batch *b = arg;
    inflight--;
    if (db_result_status(res) != DB_OK) {
        if (db_result_status(res) == DB_ERR_QUERY)
            log_error("chat: chat_append failed: %s", db_result_message(res));
        for (size_t i = 0; i < b->n; i++) {
            if (db_result_status(res) == DB_ERR_QUERY) request_error(b->items[i].r, PROTO_INTERNAL, "internal error");
            else request_error(b->items[i].r, PROTO_UNAVAILABLE, "the database is unavailable; try again");
        }
    } else {
        int rows = db_result_rows(res);
        bool *answered = calloc(b->n, sizeof *answered);
        if (!answered) abort();
        for (int i = 0; i < rows; i++) {
            long idx = (long)db_result_int64(res, i, 0);
            if (idx < 0 || (size_t)idx >= b->n || answered[idx]) continue;
            answered[idx] = true;
            struct request *r = b->items[idx].r;
            if (!db_result_isnull(res, i, 4)) {
                const char *err = db_result_value(res, i, 4);
                if (!strcmp(err, "booth_not_found")) request_error(r, PROTO_NOT_FOUND, "no such booth");
                else request_error(r, PROTO_BAD_REQUEST, "message rejected: %s", err);
                continue;
            }
            int64_t booth = db_result_int64(res, i, 1), seq = db_result_int64(res, i, 2);
            chat_feed_mark(booth, seq);
            cJSON *d = cJSON_CreateObject();
            cJSON_AddRawToObject(d, "message", db_result_value(res, i, 5));
            if (db_result_bool(res, i, 3)) cJSON_AddTrueToObject(d, "duplicate");
            request_ok(r, d);
        }
        for (size_t i = 0; i < b->n; i++)
            if (!answered[i]) request_error(b->items[i].r, PROTO_INTERNAL, "internal error");
        free(answered);
    }
    for (size_t i = 0; i < b->n; i++) free(b->items[i].text);
    free(b->items);
    free(b);
    schedule();
}

static void send_batch(struct item *items, size_t n)
{
    struct batch *b = malloc(sizeof *b);
    if (!b) abort();
    b->items = items;
    b->n = n;
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddNumberToObject(e, "idx", (double)i);
        cJSON_AddNumberToObject(e, "booth_id", (double)items[i].booth_id);
        cJSON_AddNumberToObject(e, "author_id", (double)items[i].r->s->account_id);
        cJSON_AddStringToObject(e, "text", items[i].text);
        cJSON_AddStringToObject(e, "client_msg_id", items[i].client_msg_id);
        cJSON_AddItemToArray(arr, e);
    }
    char *json = cJSON_PrintUnformatted(arr);
    cJSON_Delete(arr);
    const char *p[] = {json};
    inflight++;
    if (db_query(app->db, &q_append, 1, p, on_appended, b)) {
        inflight--;
        fail_all(b);
        for (size_t i = 0; i < n; i++) free(items[i].text);
        free(items);
        free(b);
    }
    free(json);
}

static void flush(void)
{
    while (n_pending && (inflight < CHAT_BATCH_INFLIGHT || !app->cfg->chat_batching)) {
        size_t n = app->cfg->chat_batching ? (n_pending < CHAT_BATCH_MAX ? n_pending : CHAT_BATCH_MAX) : 1;
        struct item *items = malloc(sizeof *items * n);
        if (!items) abort();
        memcpy(items, pending, sizeof *items * n);
        memmove(pending, pending + n, sizeof *items * (n_pending - n));
        n_pending -= n;
        send_batch(items, n);
    }
}

void chat_batch_submit(struct request *r, int64_t booth_id, char *text, const char *client_msg_id)
{
    if (n_pending == cap_pending) {
        cap_pending = cap_pending ? cap_pending * 2 : 64;
        pending = realloc(pending, sizeof *pending * cap_pending);
        if (!pending) abort();
    }
    pending[n_pending++] = (struct item){r, booth_id, text, client_msg_id};
    schedule();
}

void chat_batch_init(struct app *a)
{
    app = a;
    uv_check_init(&a->loop, &check);
    uv_unref((uv_handle_t *)&check);
}

void chat_batch_free(void)
{
    uv_check_stop(&check);
    uv_close((uv_handle_t *)&check, NULL);
    free(pending);
    pending = NULL;
}
