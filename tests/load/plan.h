/* plan.h — the open-loop send schedule (pure: no I/O).
 *
 * Open loop means a sender sends at planned times whatever happened to its earlier
 * messages, so a slow server shows up as latency instead of as a lower send rate
 * (no "coordinated omission"). Latency is measured from the PLANNED time, so time the
 * generator itself loses before sending is counted against it, never hidden.
 *
 * A plan is a list of steps of equal length starting at t0; in step k the whole fleet of
 * `senders` sends `rate[k]` messages per second, each sender rate[k] / senders, evenly
 * spaced. Each sender has a phase in [0, 1) that shifts its grid, so the fleet's sends are
 * spread out instead of arriving in bursts. Times are microseconds on one monotonic clock.
 *
 * The timer heap orders (time, id) entries; the worker keeps one entry per session.
 */
#ifndef LOAD_PLAN_H
#define LOAD_PLAN_H

#include <stddef.h>
#include <stdint.h>

#define SCHED_MAX_STEPS 32
#define SCHED_NEVER INT64_MAX

struct plan {
    int64_t t0;                     /* start of step 0 */
    int64_t step_us;                /* length of every step */
    int n_steps;
    double rate[SCHED_MAX_STEPS];   /* messages per second of the whole fleet, per step */
    int senders;                    /* size of the fleet (> 0 when any rate > 0) */
};

/* The end of the last step. */
int64_t plan_end(const struct plan *p);
/* The step that time t falls into, or -1 before t0 / after the end. */
int plan_step_at(const struct plan *p, int64_t t);
/* The first planned send time of a sender with this phase that is strictly after `after`
 * (use t0 - 1 for the first), or SCHED_NEVER when there is none before plan_end. */
int64_t plan_next(const struct plan *p, double phase, int64_t after);

/* Binary min-heap of (time, id). Capacity grows as needed; ids are the caller's. */
struct heap_ent { int64_t t; uint32_t id; };
struct heap {
    struct heap_ent *e;
    size_t n, cap;
};

void heap_init(struct heap *h);
void heap_free(struct heap *h);
void heap_push(struct heap *h, int64_t t, uint32_t id);
/* The earliest entry's time, or SCHED_NEVER when empty. */
int64_t heap_peek(const struct heap *h);
/* Removes the earliest entry if its time is <= now; returns 1 and fills *out, else 0. */
int heap_pop_due(struct heap *h, int64_t now, struct heap_ent *out);

/* Small deterministic PRNG (xorshift64*), for phases and think times. */
uint64_t rng_next(uint64_t *state);
double rng_unit(uint64_t *state);                       /* [0, 1) */
double rng_range(uint64_t *state, double lo, double hi); /* [lo, hi) */

#endif
