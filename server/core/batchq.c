/* batchq.c — see batchq.h. */
#include "core/batchq.h"

#include <stdlib.h>
#include <string.h>

#define BATCHQ_TICK_MS 100

static void on_turn_end(void *arg)
{
    struct batchq *q = arg;
    q->flush_fn(q->arg);
}

void batchq_init(struct batchq *q, uv_loop_t *loop, size_t item_size, batchq_flush_fn flush,
                 batchq_expired_fn expired, batchq_expire_fn expire, void *arg)
{
    *q = (struct batchq){.loop = loop, .item_size = item_size, .flush_fn = flush, .expired = expired,
                         .expire = expire, .arg = arg};
    turn_end_init(&q->flush, loop, on_turn_end, q);
    uv_timer_init(loop, &q->tick);
    q->tick.data = q;
    uv_unref((uv_handle_t *)&q->tick);
}

/* Room for n more items. */
static void grow(struct batchq *q, size_t n)
{
    if (q->cap >= q->n + n) return;
    while (q->cap < q->n + n) q->cap = q->cap ? q->cap * 2 : 64;
    q->items = realloc(q->items, q->item_size * q->cap);
    q->submitted_ms = realloc(q->submitted_ms, sizeof *q->submitted_ms * q->cap);
    if (!q->items || !q->submitted_ms) abort();
}

void batchq_push(struct batchq *q, const void *item, uint64_t submitted_ms)
{
    grow(q, 1);
    memcpy(batchq_at(q, q->n), item, q->item_size);
    q->submitted_ms[q->n++] = submitted_ms;
    turn_end_request(&q->flush);
}

static void drop_head(struct batchq *q, size_t n)
{
    memmove(q->items, q->items + n * q->item_size, q->item_size * (q->n - n));
    memmove(q->submitted_ms, q->submitted_ms + n, sizeof *q->submitted_ms * (q->n - n));
    q->n -= n;
}

void batchq_take(struct batchq *q, size_t n, void *out)
{
    memcpy(out, q->items, q->item_size * n);
    drop_head(q, n);
}

void batchq_expire_now(struct batchq *q)
{
    uint64_t now = uv_now(q->loop);
    size_t n = 0;
    for (size_t i = 0; i < q->n; i++)
        if (q->submitted_ms[i] != BATCHQ_NO_DEADLINE && q->expired(q->submitted_ms[i], now)) n++;
    if (!n) return;
    /* copied out first (the rest keeps its order): expire() may push to this queue again
     * (e.g. a leave after an enter) */
    unsigned char *gone = malloc(q->item_size * n);
    if (!gone) abort();
    size_t kept = 0, g = 0;
    for (size_t i = 0; i < q->n; i++) {
        if (q->submitted_ms[i] != BATCHQ_NO_DEADLINE && q->expired(q->submitted_ms[i], now)) {
            memcpy(gone + g++ * q->item_size, batchq_at(q, i), q->item_size);
        } else {
            if (kept != i) {
                memcpy(batchq_at(q, kept), batchq_at(q, i), q->item_size);
                q->submitted_ms[kept] = q->submitted_ms[i];
            }
            kept++;
        }
    }
    q->n = kept;
    for (size_t i = 0; i < n; i++) q->expire(q->arg, gone + i * q->item_size);
    free(gone);
}

void batchq_unshift(struct batchq *q, const void *items, size_t n, uint64_t submitted_ms)
{
    grow(q, n);
    memmove(q->items + n * q->item_size, q->items, q->item_size * q->n);
    memmove(q->submitted_ms + n, q->submitted_ms, sizeof *q->submitted_ms * q->n);
    memcpy(q->items, items, q->item_size * n);
    for (size_t i = 0; i < n; i++) q->submitted_ms[i] = submitted_ms;
    q->n += n;
    turn_end_request(&q->flush);
}

void batchq_drain(struct batchq *q, batchq_count_fn count, batchq_send_fn send)
{
    batchq_expire_now(q);
    size_t n;
    while (q->n && (n = count(q->arg))) {
        void *items = malloc(q->item_size * n);
        if (!items) abort();
        batchq_take(q, n, items);
        send(q->arg, items, n);
    }
    batchq_flushed(q);
}

void batchq_schedule(struct batchq *q)
{
    if (q->n) turn_end_request(&q->flush);
}

static void on_tick(uv_timer_t *t)
{
    struct batchq *q = t->data;
    batchq_expire_now(q);
    if (!q->n) uv_timer_stop(&q->tick);
}

void batchq_flushed(struct batchq *q)
{
    if (q->n && !uv_is_active((uv_handle_t *)&q->tick)) uv_timer_start(&q->tick, on_tick, BATCHQ_TICK_MS, BATCHQ_TICK_MS);
}

/* The turn handle and the timer close one after the other (libuv runs close callbacks in no
 * promised order); the owner hears of it after the last, and may free itself then. */
static void on_tick_closed(uv_handle_t *h)
{
    struct batchq *q = h->data;
    free(q->items);
    free(q->submitted_ms);
    q->on_closed(q->arg);
}

static void on_turn_closed(void *arg)
{
    struct batchq *q = arg;
    uv_close((uv_handle_t *)&q->tick, on_tick_closed);
}

void batchq_close(struct batchq *q, batchq_closed_fn on_closed)
{
    q->on_closed = on_closed;
    uv_timer_stop(&q->tick);
    turn_end_close(&q->flush, on_turn_closed);
}
