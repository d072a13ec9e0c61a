/* inquiry_feed.c — see inquiry_feed.h. */
#include "domains/inquiries/inquiry_feed.h"

#include <cJSON.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/app.h"
#include "core/protocol.h"
#include "db/db.h"
#include "domains/inquiries/inquiry_desk.h"
#include "domains/inquiries/inquiry_sql.h"
#include "util/log.h"
#include "util/pgarray.h"

/* A failed read is retried after this long (the database is away: no busy loop). */
#define RETRY_MS 250

static struct db_stmt q_fetch = DB_STMT("inquiry_feed_fetch",
    "SELECT t.booth_id, t.buyer_id, " SQL_INQUIRY_MESSAGE_JSON "::text"
    " FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) WITH ORDINALITY AS w(th, lo, hi, ord)"
    " JOIN inquiry_messages m ON m.thread_id = w.th AND m.seq BETWEEN w.lo AND w.hi"
    " JOIN inquiry_threads t ON t.id = m.thread_id JOIN accounts a ON a.id = m.author_id"
    " ORDER BY w.ord, m.seq");

struct range { int64_t thread, lo, hi; };

struct inquiry_feed {
    struct app *app;
    struct inquiry_desk *desk;
    struct range *pending;          /* announced, not read yet, in announcement order */
    size_t n_pending, cap_pending;
    struct range *inflight;         /* what the running read asked for */
    size_t n_inflight;
    bool fetching;
    uv_timer_t timer;
};

static void start(struct inquiry_feed *f, uint64_t delay_ms);

static void push(struct inquiry_feed *f, struct range r)
{
    if (f->n_pending == f->cap_pending) {
        f->cap_pending = f->cap_pending ? f->cap_pending * 2 : 64;
        f->pending = realloc(f->pending, sizeof *f->pending * f->cap_pending);
        if (!f->pending) abort();
    }
    f->pending[f->n_pending++] = r;
}

static void send_small_event(struct inquiry_feed *f, const cJSON *e)
{
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(e, "type");
    const cJSON *booth = cJSON_GetObjectItemCaseSensitive(e, "booth_id");
    const cJSON *buyer = cJSON_GetObjectItemCaseSensitive(e, "buyer_id");
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(e, "data");
    if (!cJSON_IsString(type) || !cJSON_IsNumber(booth) || !cJSON_IsNumber(buyer) || !cJSON_IsObject(data)) {
        log_warn("inquiries: malformed event notification ignored");
        return;
    }
    bool booth_only = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e, "booth_side_only"));
    struct outmsg *m = protocol_event(type->valuestring, cJSON_Duplicate(data, true));
    inquiry_desk_deliver(f->desk, (int64_t)booth->valuedouble, (int64_t)buyer->valuedouble, booth_only, m);
    outmsg_unref(m);
}

void inquiry_feed_on_notify(struct inquiry_feed *f, const char *payload)
{
    cJSON *j = cJSON_Parse(payload);
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(j, "t");
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(j, "e");
    if (cJSON_IsArray(t)) {
        const cJSON *x;
        cJSON_ArrayForEach(x, t) {
            const cJSON *th = cJSON_GetArrayItem(x, 0), *lo = cJSON_GetArrayItem(x, 3), *hi = cJSON_GetArrayItem(x, 4);
            if (cJSON_IsNumber(th) && cJSON_IsNumber(lo) && cJSON_IsNumber(hi))
                push(f, (struct range){(int64_t)th->valuedouble, (int64_t)lo->valuedouble, (int64_t)hi->valuedouble});
        }
        start(f, 0);
    } else if (cJSON_IsObject(e)) {
        send_small_event(f, e);
    }
    cJSON_Delete(j);
}

static void deliver_rows(struct inquiry_feed *f, const struct db_result *r)
{
    for (int i = 0; i < db_result_rows(r); i++) {
        struct outmsg *m = protocol_event_raw("inquiry.message", "message", db_result_value(r, i, 2));
        inquiry_desk_deliver(f->desk, db_result_int64(r, i, 0), db_result_int64(r, i, 1), false, m);
        outmsg_unref(m);
    }
}

/* Puts the ranges of a failed read back in front, keeping the order. */
static void requeue_inflight(struct inquiry_feed *f)
{
    size_t n = f->n_inflight;
    for (size_t i = 0; i < n; i++) push(f, (struct range){0, 0, 0});
    memmove(f->pending + n, f->pending, sizeof *f->pending * (f->n_pending - n));
    memcpy(f->pending, f->inflight, sizeof *f->pending * n);
}

static void on_fetch(void *arg, const struct db_result *r)
{
    struct inquiry_feed *f = arg;
    f->fetching = false;
    bool failed = db_result_status(r) != DB_OK;
    if (failed) {
        log_warn("inquiries: reading announced messages failed (%s); will retry", db_result_message(r));
        requeue_inflight(f);
    } else {
        deliver_rows(f, r);
    }
    free(f->inflight);
    f->inflight = NULL;
    f->n_inflight = 0;
    start(f, failed ? RETRY_MS : 0);
}

static void fetch(struct inquiry_feed *f)
{
    if (f->fetching || !f->n_pending) return;
    struct pgarray th = {0}, lo = {0}, hi = {0};
    for (size_t i = 0; i < f->n_pending; i++) {
        pgarray_add_int(&th, f->pending[i].thread);
        pgarray_add_int(&lo, f->pending[i].lo);
        pgarray_add_int(&hi, f->pending[i].hi);
    }
    f->inflight = f->pending;
    f->n_inflight = f->n_pending;
    f->pending = NULL;
    f->n_pending = f->cap_pending = 0;
    const char *p[] = {pgarray_text(&th), pgarray_text(&lo), pgarray_text(&hi)};
    f->fetching = db_query(f->app->db, &q_fetch, 3, p, on_fetch, f) == 0;
    if (!f->fetching) {
        requeue_inflight(f);
        free(f->inflight);
        f->inflight = NULL;
        f->n_inflight = 0;
        start(f, RETRY_MS);
    }
    pgarray_free(&th);
    pgarray_free(&lo);
    pgarray_free(&hi);
}

static void on_timer(uv_timer_t *t) { fetch(t->data); }

static void start(struct inquiry_feed *f, uint64_t delay_ms)
{
    if (f->fetching || !f->n_pending) return;
    if (delay_ms == 0 && uv_is_active((uv_handle_t *)&f->timer)) return;   /* already due */
    uv_timer_start(&f->timer, on_timer, delay_ms, 0);
}

struct inquiry_feed *inquiry_feed_new(struct app *app, struct inquiry_desk *desk)
{
    struct inquiry_feed *f = calloc(1, sizeof *f);
    if (!f) abort();
    f->app = app;
    f->desk = desk;
    uv_timer_init(&app->loop, &f->timer);
    f->timer.data = f;
    uv_unref((uv_handle_t *)&f->timer);
    return f;
}

static void on_timer_closed(uv_handle_t *h)
{
    struct inquiry_feed *f = h->data;
    free(f->pending);
    free(f->inflight);
    free(f);
}

void inquiry_feed_free(struct inquiry_feed *f) { uv_close((uv_handle_t *)&f->timer, on_timer_closed); }
