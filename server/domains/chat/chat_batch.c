/* chat_batch.c — see chat_batch.h. */
#include "domains/chat/chat_batch.h"

#include <cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "core/app.h"
#include "core/request.h"
#include "core/session.h"
#include "core/turn.h"
#include "db/db.h"
#include "domains/chat/batching.h"
#include "domains/chat/chat_feed.h"
#include "domains/chat/chat_sql.h"
#include "util/log.h"
#include "util/metrics.h"

static struct db_stmt q_append = DB_STMT("chat_append",
    "SELECT m.idx, m.booth_id, m.seq, m.duplicate, m.error,"
    " CASE WHEN m.error IS NULL THEN " SQL_MESSAGE_JSON "::text END"
    " FROM chat_append($1::jsonb) m LEFT JOIN accounts a ON a.id = m.author_id");
enum { C_IDX, C_BOOTH, C_SEQ, C_DUPLICATE, C_ERROR, C_MESSAGE };

struct item {
    const struct chat_batch_kind *kind;     /* NULL: booth chat */
    struct request *r;
    int64_t booth_id;                       /* or the kind's target id */
    char *text;
    const char *client_msg_id;
    uint64_t submitted_ms;
};

struct batch {
    struct chat_batch *owner;
    const struct chat_batch_kind *kind;     /* of every item */
    struct item *items;
    size_t n;
};

struct chat_batch {
    struct app *app;
    struct chat_feed *feed;
    struct item *pending;
    size_t n_pending, cap_pending;
    unsigned inflight;
    struct turn_end flush;      /* sends at the end of the loop turn: arrivals coalesce */
    uv_timer_t expiry;          /* while messages are pending: answers those past their deadline */
    uv_timer_t second;          /* one batch commits, messages wait: when the oldest may start the next */
    uint64_t expired, expired_logged_ms;   /* for the log: answered unavailable since the last line */
};

#define CHAT_EXPIRY_TICK_MS 100

static void schedule(struct chat_batch *cb)
{
    if (cb->n_pending) turn_end_request(&cb->flush);
}

static void batch_free(struct batch *b)
{
    for (size_t i = 0; i < b->n; i++) free(b->items[i].text);
    free(b->items);
    free(b);
}

/* A committed message, for delivery in (booth, seq) order. */
struct committed { int64_t booth_id, seq; const char *json; };

static int by_booth_seq(const void *a, const void *b)
{
    const struct committed *x = a, *y = b;
    if (x->booth_id != y->booth_id) return x->booth_id < y->booth_id ? -1 : 1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

/* Answers one element's request from its row; returns true when it stored a new message. */
static bool answer(const struct chat_batch_kind *kind, struct request *r, const struct db_result *res, int row)
{
    if (!db_result_isnull(res, row, C_ERROR)) {
        const char *err = db_result_value(res, row, C_ERROR);
        if (kind) kind->answer_error(r, err);
        else if (!strcmp(err, "booth_not_found")) request_error(r, PROTO_NOT_FOUND, "no such booth");
        else if (!strcmp(err, "booth_archived")) request_error(r, PROTO_FORBIDDEN, "this booth is archived");
        else if (!strcmp(err, "chat_closed")) request_error(r, PROTO_FORBIDDEN, "this booth answers privately only: use inquiry.open");
        else request_error(r, PROTO_BAD_REQUEST, "message rejected: %s", err);
        return false;
    }
    bool duplicate = db_result_bool(res, row, C_DUPLICATE);
    cJSON *d = cJSON_CreateObject();
    cJSON_AddRawToObject(d, "message", db_result_value(res, row, C_MESSAGE));
    if (duplicate) cJSON_AddTrueToObject(d, "duplicate");
    request_ok(r, d);
    return !duplicate;
}

static void on_appended(void *arg, const struct db_result *res)
{
    struct batch *b = arg;
    struct chat_batch *cb = b->owner;
    cb->inflight--;
    if (db_result_status(res) != DB_OK) {
        bool query_error = db_result_status(res) == DB_ERR_QUERY;
        if (query_error) log_error("chat: %s failed: %s", b->kind ? b->kind->stmt->name : "chat_append", db_result_message(res));
        for (size_t i = 0; i < b->n; i++) {
            if (query_error) request_error(b->items[i].r, PROTO_INTERNAL, "internal error");
            else request_unavailable(b->items[i].r);
            /* The connection may have died after the commit, and this node skips the
             * notifications of its own commits (chat.c): read these booths from the table. */
            if (!b->kind && !query_error) chat_feed_mark(cb->feed, b->items[i].booth_id, INT64_MAX);
        }
        batch_free(b);
        schedule(cb);
        return;
    }
    metrics_chat_batch((unsigned)b->n);
    int rows = db_result_rows(res);
    bool *answered = calloc(b->n, sizeof *answered);
    struct committed *done = malloc(sizeof *done * ((size_t)rows + 1));
    if (!answered || !done) abort();
    size_t n_done = 0;
    for (int i = 0; i < rows; i++) {
        long idx = (long)db_result_int64(res, i, C_IDX);
        if (idx < 0 || (size_t)idx >= b->n || answered[idx]) continue;
        answered[idx] = true;
        if (answer(b->kind, b->items[idx].r, res, i) && !b->kind)
            done[n_done++] = (struct committed){db_result_int64(res, i, C_BOOTH), db_result_int64(res, i, C_SEQ),
                                                db_result_value(res, i, C_MESSAGE)};
    }
    for (size_t i = 0; i < b->n; i++)
        if (!answered[i]) request_error(b->items[i].r, PROTO_INTERNAL, "internal error");
    /* the rows come in no guaranteed order; rooms take each booth's messages in seq order */
    qsort(done, n_done, sizeof *done, by_booth_seq);
    for (size_t i = 0; i < n_done; i++) chat_feed_committed(cb->feed, done[i].booth_id, done[i].seq, done[i].json);
    free(done);
    free(answered);
    batch_free(b);
    schedule(cb);
}

static char *batch_json(const struct item *items, size_t n)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddNumberToObject(e, "idx", (double)i);
        cJSON_AddNumberToObject(e, items[i].kind ? items[i].kind->target_field : "booth_id", (double)items[i].booth_id);
        cJSON_AddNumberToObject(e, "author_id", (double)items[i].r->s->account_id);
        cJSON_AddStringToObject(e, "text", items[i].text);
        cJSON_AddStringToObject(e, "client_msg_id", items[i].client_msg_id);
        cJSON_AddItemToArray(arr, e);
    }
    char *json = cJSON_PrintUnformatted(arr);
    cJSON_Delete(arr);
    return json;
}

static void send_batch(struct chat_batch *cb, struct item *items, size_t n)
{
    struct batch *b = malloc(sizeof *b);
    if (!b) abort();
    *b = (struct batch){cb, items[0].kind, items, n};
    char *json = batch_json(items, n);
    const char *p[] = {json};
    cb->inflight++;
    if (db_query(cb->app->db, b->kind ? b->kind->stmt : &q_append, 1, p, on_appended, b)) {
        cb->inflight--;
        for (size_t i = 0; i < n; i++) request_unavailable(items[i].r);
        batch_free(b);
    }
    free(json);
}

/* Answers `unavailable` to the pending messages past CHAT_PENDING_MAX_MS (batching.h). They
 * are the oldest, at the front. */
static void expire_pending(struct chat_batch *cb)
{
    uint64_t now = app_now_ms(cb->app);
    size_t n = 0;
    while (n < cb->n_pending && chat_pending_expired(cb->pending[n].submitted_ms, now)) {
        request_error(cb->pending[n].r, PROTO_UNAVAILABLE, "the database is slow to answer; not stored, try again");
        free(cb->pending[n].text);
        n++;
    }
    if (!n) return;
    cb->expired += n;
    if (!cb->expired_logged_ms || now - cb->expired_logged_ms >= 5000) {   /* one line per 5 s */
        log_warn("chat: %llu message(s) waited over %d ms for the database; answered unavailable",
                 (unsigned long long)cb->expired, CHAT_PENDING_MAX_MS);
        cb->expired = 0;
        cb->expired_logged_ms = now;
    }
    memmove(cb->pending, cb->pending + n, sizeof *cb->pending * (cb->n_pending - n));
    cb->n_pending -= n;
}

static void on_expiry_tick(uv_timer_t *t)
{
    struct chat_batch *cb = t->data;
    expire_pending(cb);
    if (!cb->n_pending) uv_timer_stop(&cb->expiry);
}

/* The oldest pending message may start a second batch now (batching.h). */
static void on_second_due(uv_timer_t *t) { schedule(t->data); }

static void flush(void *arg)
{
    struct chat_batch *cb = arg;
    size_t n;
    expire_pending(cb);
    bool batching = cb->app->cfg->chat_batching;
    uint64_t now = app_now_ms(cb->app);
    while ((n = chat_batch_take(cb->n_pending, cb->inflight, batching, cb->n_pending ? now - cb->pending[0].submitted_ms : 0))) {
        size_t same = 1;            /* a batch is of one kind: the run at the head */
        while (same < n && cb->pending[same].kind == cb->pending[0].kind) same++;
        n = same;
        struct item *items = malloc(sizeof *items * n);
        if (!items) abort();
        memcpy(items, cb->pending, sizeof *items * n);
        memmove(cb->pending, cb->pending + n, sizeof *items * (cb->n_pending - n));
        cb->n_pending -= n;
        send_batch(cb, items, n);
    }
    if (cb->n_pending && !uv_is_active((uv_handle_t *)&cb->expiry))
        uv_timer_start(&cb->expiry, on_expiry_tick, CHAT_EXPIRY_TICK_MS, CHAT_EXPIRY_TICK_MS);
    uint64_t due = chat_batch_second_due_ms(cb->n_pending, cb->inflight, batching,
                                            cb->n_pending ? now - cb->pending[0].submitted_ms : 0);
    if (due && !uv_is_active((uv_handle_t *)&cb->second)) uv_timer_start(&cb->second, on_second_due, due, 0);
}

void chat_batch_submit_kind(struct chat_batch *cb, const struct chat_batch_kind *kind, struct request *r,
                            int64_t target_id, char *text, const char *client_msg_id)
{
    if (cb->n_pending == cb->cap_pending) {
        cb->cap_pending = cb->cap_pending ? cb->cap_pending * 2 : 64;
        cb->pending = realloc(cb->pending, sizeof *cb->pending * cb->cap_pending);
        if (!cb->pending) abort();
    }
    cb->pending[cb->n_pending++] = (struct item){kind, r, target_id, text, client_msg_id, app_now_ms(cb->app)};
    schedule(cb);
}

void chat_batch_submit(struct chat_batch *cb, struct request *r, int64_t booth_id, char *text,
                       const char *client_msg_id)
{
    chat_batch_submit_kind(cb, NULL, r, booth_id, text, client_msg_id);
}

struct chat_batch *chat_batch_new(struct app *app, struct chat_feed *feed)
{
    struct chat_batch *cb = calloc(1, sizeof *cb);
    if (!cb) abort();
    cb->app = app;
    cb->feed = feed;
    turn_end_init(&cb->flush, &app->loop, flush, cb);
    uv_timer_init(&app->loop, &cb->expiry);
    cb->expiry.data = cb;
    uv_timer_init(&app->loop, &cb->second);
    cb->second.data = cb;
    return cb;
}

/* The flush handle and the two timers close in turn; the struct goes with the last. */
static void on_second_closed(uv_handle_t *h)
{
    struct chat_batch *cb = h->data;
    free(cb->pending);
    free(cb);
}

static void on_expiry_closed(uv_handle_t *h)
{
    struct chat_batch *cb = h->data;
    uv_close((uv_handle_t *)&cb->second, on_second_closed);
}

static void on_closed(void *arg)
{
    struct chat_batch *cb = arg;
    uv_close((uv_handle_t *)&cb->expiry, on_expiry_closed);
}

void chat_batch_free(struct chat_batch *cb)
{
    uv_timer_stop(&cb->expiry);
    uv_timer_stop(&cb->second);
    turn_end_close(&cb->flush, on_closed);
}
