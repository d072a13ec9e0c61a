/* plan.c — see plan.h. */
#include "plan.h"

#include <math.h>
#include <stdlib.h>

int64_t plan_end(const struct plan *p) { return p->t0 + p->step_us * p->n_steps; }

int plan_step_at(const struct plan *p, int64_t t)
{
    if (t < p->t0 || t >= plan_end(p) || p->step_us <= 0) return -1;
    return (int)((t - p->t0) / p->step_us);
}

int64_t plan_next(const struct plan *p, double phase, int64_t after)
{
    if (p->senders <= 0 || p->step_us <= 0) return SCHED_NEVER;
    int k = after < p->t0 ? 0 : plan_step_at(p, after);
    if (k < 0) return SCHED_NEVER;
    for (; k < p->n_steps; k++) {
        double r = p->rate[k] / p->senders;               /* per sender, per second */
        if (r <= 0) continue;
        int64_t start = p->t0 + p->step_us * k, end = start + p->step_us;
        double interval = 1e6 / r;
        /* Grid points start + (phase + j) * interval; the smallest j past `after`. */
        double j = 0;
        if (after >= start) j = floor(((double)(after - start)) / interval - phase) + 1;
        if (j < 0) j = 0;
        int64_t t = start + (int64_t)llround((phase + j) * interval);
        while (t <= after) { j++; t = start + (int64_t)llround((phase + j) * interval); }
        if (t < end) return t;
    }
    return SCHED_NEVER;
}

void heap_init(struct heap *h) { h->e = NULL; h->n = h->cap = 0; }
void heap_free(struct heap *h) { free(h->e); heap_init(h); }

static int earlier(const struct heap_ent *a, const struct heap_ent *b)
{
    return a->t < b->t || (a->t == b->t && a->id < b->id);
}

void heap_push(struct heap *h, int64_t t, uint32_t id)
{
    if (h->n == h->cap) {
        h->cap = h->cap ? h->cap * 2 : 64;
        h->e = realloc(h->e, sizeof *h->e * h->cap);
        if (!h->e) abort();
    }
    size_t i = h->n++;
    struct heap_ent x = {t, id};
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!earlier(&x, &h->e[parent])) break;
        h->e[i] = h->e[parent];
        i = parent;
    }
    h->e[i] = x;
}

int64_t heap_peek(const struct heap *h) { return h->n ? h->e[0].t : SCHED_NEVER; }

int heap_pop_due(struct heap *h, int64_t now, struct heap_ent *out)
{
    if (!h->n || h->e[0].t > now) return 0;
    *out = h->e[0];
    struct heap_ent x = h->e[--h->n];
    size_t i = 0;
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        const struct heap_ent *best = &x;
        if (l < h->n && earlier(&h->e[l], best)) { m = l; best = &h->e[l]; }
        if (r < h->n && earlier(&h->e[r], best)) { m = r; }
        if (m == i) break;
        h->e[i] = h->e[m];
        i = m;
    }
    if (h->n) h->e[i] = x;
    return 1;
}

uint64_t rng_next(uint64_t *s)
{
    uint64_t x = *s ? *s : 0x9E3779B97F4A7C15ull;
    x ^= x >> 12; x ^= x << 25; x ^= x >> 27;
    *s = x;
    return x * 0x2545F4914F6CDD1Dull;
}

double rng_unit(uint64_t *s) { return (double)(rng_next(s) >> 11) * (1.0 / 9007199254740992.0); }
double rng_range(uint64_t *s, double lo, double hi) { return lo + (hi - lo) * rng_unit(s); }
