/* batchq.h — the pending side of a group commit: a FIFO of fixed-size items that wait for
 * the end of the loop turn (core/turn.h), so everything that arrived in one turn can go in
 * one statement. Each item carries the time it was submitted; while items wait, a 100-ms
 * tick hands those past the owner's deadline to `expire` (the owner answers them) so a
 * request never waits longer than its deadline for a batch that cannot start.
 *
 * It decides nothing about batch sizes: at the end of the turn (and whenever the owner
 * calls batchq_schedule, e.g. when a batch finished) `flush` runs; the owner looks at the
 * head with batchq_at and moves items out with batchq_take.
 *
 * Ownership: the owner embeds the struct, calls batchq_init and, at the end, batchq_close;
 * its own state may go only in on_closed. Items are copied in and out (plain data). */
#ifndef BOOTHD_BATCHQ_H
#define BOOTHD_BATCHQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "core/turn.h"

typedef void (*batchq_flush_fn)(void *arg);
/* item is the expired item (removed from the queue after the call). */
typedef void (*batchq_expire_fn)(void *arg, void *item);
typedef bool (*batchq_expired_fn)(uint64_t submitted_ms, uint64_t now_ms);
typedef void (*batchq_closed_fn)(void *arg);
/* How many items at the head go in the next batch now (0: none may start). */
typedef size_t (*batchq_count_fn)(void *arg);
/* Gets a batch: items (n of them, malloc'ed) are the owner's to free. */
typedef void (*batchq_send_fn)(void *arg, void *items, size_t n);

struct batchq {
    uv_loop_t *loop;
    size_t item_size;
    unsigned char *items;           /* n items of item_size bytes */
    uint64_t *submitted_ms;         /* beside each item */
    size_t n, cap;
    struct turn_end flush;
    batchq_flush_fn flush_fn;
    uv_timer_t tick;
    batchq_expired_fn expired;
    batchq_expire_fn expire;
    batchq_closed_fn on_closed;
    void *arg;
};

void batchq_init(struct batchq *q, uv_loop_t *loop, size_t item_size, batchq_flush_fn flush,
                 batchq_expired_fn expired, batchq_expire_fn expire, void *arg);
/* Appends a copy of item, submitted at submitted_ms (uv_now clock; BATCHQ_NO_DEADLINE for an
 * item no request waits for: it never expires), and asks for a flush at the end of this turn. */
#define BATCHQ_NO_DEADLINE UINT64_MAX
void batchq_push(struct batchq *q, const void *item, uint64_t submitted_ms);
/* Puts n items back at the head, before everything waiting (a batch to try again), and asks
 * for a flush. */
void batchq_unshift(struct batchq *q, const void *items, size_t n, uint64_t submitted_ms);
static inline size_t batchq_len(const struct batchq *q) { return q->n; }
static inline void *batchq_at(const struct batchq *q, size_t i) { return q->items + i * q->item_size; }
/* Moves the first n items into out (n * item_size bytes). */
void batchq_take(struct batchq *q, size_t n, void *out);
/* Answers (expire) the items past their deadline, wherever they wait; the others keep their
 * order. Flushes call it first. */
void batchq_expire_now(struct batchq *q);
/* The body of a flush: answers the expired items, then moves batches out while count()
 * allows and hands each to send(), then keeps the expiry tick running while items wait. */
void batchq_drain(struct batchq *q, batchq_count_fn count, batchq_send_fn send);
/* Asks for a flush at the end of this turn when items wait. */
void batchq_schedule(struct batchq *q);
/* Call at the end of every flush: keeps the expiry tick running while items wait. */
void batchq_flushed(struct batchq *q);
/* Closes the handles; the items left are dropped (the owner answered them before); then
 * on_closed(arg). */
void batchq_close(struct batchq *q, batchq_closed_fn on_closed);

#endif
