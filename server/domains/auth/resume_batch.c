/* resume_batch.c — see resume_batch.h. */
#include "domains/auth/resume_batch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/app.h"
#include "core/batchq.h"
#include "core/request.h"
#include "domains/presence/join_batching.h"
#include "util/log.h"
#include "util/pgarray.h"

static struct db_stmt q_touch = DB_STMT("auth_touch", "SELECT auth_touch($1::text[])");

struct item {
    struct request *r;
    char hash_hex[TOKEN_HASH_HEX_LEN + 1];
};

struct batch {
    struct resume_batch *rb;
    struct item *items;
    size_t n;
};

typedef char hash_text[TOKEN_HASH_HEX_LEN + 1];

struct resume_batch {
    struct app *app;
    struct db_stmt *stmt;
    resume_answer_fn answer;
    struct batchq q;                /* of struct item */
    unsigned inflight;
    /* tokens used since the last touch */
    hash_text *touched;
    size_t n_touched, cap_touched;
    uv_timer_t touch_timer;
    bool touching;
    int handles_open;
};

/* ---------- lookups ---------- */

static void on_looked_up(void *arg, const struct db_result *res)
{
    struct batch *b = arg;
    struct resume_batch *rb = b->rb;
    rb->inflight--;
    enum db_status st = db_result_status(res);
    if (st != DB_OK) {
        if (st == DB_ERR_QUERY) log_error("auth: %s failed: %s", rb->stmt->name, db_result_message(res));
        for (size_t i = 0; i < b->n; i++) rb->answer(b->items[i].r, b->items[i].hash_hex, st, NULL, -1);
    } else {
        int *row_of = db_result_rows_by_index(res, 0, b->n);
        for (size_t i = 0; i < b->n; i++) rb->answer(b->items[i].r, b->items[i].hash_hex, DB_OK, res, row_of[i]);
        free(row_of);
    }
    free(b->items);
    free(b);
    batchq_schedule(&rb->q);
}

static void send_batch(void *arg, void *batch_items, size_t n)
{
    struct resume_batch *rb = arg;
    struct item *items = batch_items;
    struct pgarray hashes = {0};
    for (size_t i = 0; i < n; i++) pgarray_add_text(&hashes, items[i].hash_hex);
    const char *p[] = {pgarray_text(&hashes)};
    struct batch *b = malloc(sizeof *b);
    if (!b) abort();
    *b = (struct batch){rb, items, n};
    rb->inflight++;
    int rc = db_query(rb->app->db, rb->stmt, 1, p, on_looked_up, b);
    pgarray_free(&hashes);
    if (rc) {
        rb->inflight--;
        for (size_t i = 0; i < n; i++) rb->answer(items[i].r, items[i].hash_hex, (enum db_status)rc, NULL, -1);
        free(items);
        free(b);
    }
}

static size_t count(void *arg)
{
    struct resume_batch *rb = arg;
    return join_batch_take(batchq_len(&rb->q), rb->inflight, RESUME_BATCH_INFLIGHT, RESUME_BATCH_MAX);
}

static void flush(void *arg) { batchq_drain(&((struct resume_batch *)arg)->q, count, send_batch); }

static void expire(void *arg, void *item)
{
    struct resume_batch *rb = arg;
    struct item *it = item;
    rb->answer(it->r, it->hash_hex, DB_ERR_UNAVAILABLE, NULL, -1);
}

void resume_batch_submit(struct resume_batch *rb, struct request *r, const char hash_hex[TOKEN_HASH_HEX_LEN + 1])
{
    struct item it = {.r = r};
    memcpy(it.hash_hex, hash_hex, sizeof it.hash_hex);
    batchq_push(&rb->q, &it, app_now_ms(rb->app));
}

/* ---------- last_used_at, in the background ---------- */

static void on_touch_timer(uv_timer_t *t);

static void on_touched(void *arg, const struct db_result *res)
{
    struct resume_batch *rb = arg;
    rb->touching = false;
    /* lost on purpose: last_used_at is informational (resume_batch.h) */
    if (db_result_status(res) != DB_OK) log_debug("auth: token use times not written: %s", db_result_message(res));
}

static void on_touch_timer(uv_timer_t *t)
{
    struct resume_batch *rb = t->data;
    if (rb->touching || !rb->n_touched) return;
    size_t n = rb->n_touched < AUTH_TOUCH_MAX ? rb->n_touched : AUTH_TOUCH_MAX;
    struct pgarray hashes = {0};
    for (size_t i = 0; i < n; i++) pgarray_add_text(&hashes, rb->touched[i]);
    const char *p[] = {pgarray_text(&hashes)};
    rb->touching = db_query(rb->app->db, &q_touch, 1, p, on_touched, rb) == 0;
    pgarray_free(&hashes);
    /* sent or not, these are done: a touch that cannot be written now is not kept */
    memmove(rb->touched, rb->touched + n, sizeof *rb->touched * (rb->n_touched - n));
    rb->n_touched -= n;
    if (!rb->n_touched) uv_timer_stop(&rb->touch_timer);
}

void resume_batch_touch(struct resume_batch *rb, const char *hash_hex)
{
    if (rb->n_touched == rb->cap_touched) {
        if (rb->cap_touched >= 4 * AUTH_TOUCH_MAX) return;     /* the database is behind: drop it */
        rb->cap_touched = rb->cap_touched ? rb->cap_touched * 2 : 256;
        rb->touched = realloc(rb->touched, sizeof *rb->touched * rb->cap_touched);
        if (!rb->touched) abort();
    }
    snprintf(rb->touched[rb->n_touched++], sizeof *rb->touched, "%s", hash_hex);
    if (!uv_is_active((uv_handle_t *)&rb->touch_timer))
        uv_timer_start(&rb->touch_timer, on_touch_timer, AUTH_TOUCH_EVERY_MS, AUTH_TOUCH_EVERY_MS);
}

void resume_batch_stop(struct resume_batch *rb)
{
    /* a graceful stop writes what it has (the pool still runs while the stop waits for it) */
    on_touch_timer(&rb->touch_timer);
}

/* ---------- life cycle ---------- */

struct resume_batch *resume_batch_new(struct app *app, struct db_stmt *stmt, resume_answer_fn answer)
{
    struct resume_batch *rb = calloc(1, sizeof *rb);
    if (!rb) abort();
    rb->app = app;
    rb->stmt = stmt;
    rb->answer = answer;
    batchq_init(&rb->q, &app->loop, sizeof(struct item), flush, join_pending_expired, expire, rb);
    uv_timer_init(&app->loop, &rb->touch_timer);
    rb->touch_timer.data = rb;
    uv_unref((uv_handle_t *)&rb->touch_timer);
    rb->handles_open = 2;
    return rb;
}

static void closed_one(struct resume_batch *rb)
{
    if (--rb->handles_open) return;
    free(rb->touched);
    free(rb);
}

static void on_q_closed(void *arg) { closed_one(arg); }
static void on_timer_closed(uv_handle_t *h) { closed_one(h->data); }

void resume_batch_free(struct resume_batch *rb)
{
    uv_close((uv_handle_t *)&rb->touch_timer, on_timer_closed);
    batchq_close(&rb->q, on_q_closed);
}
