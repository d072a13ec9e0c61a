/* hist.c — see hist.h. */
#include "hist.h"

#include <string.h>

void hist_init(struct hist *h) { memset(h, 0, sizeof *h); }

static int msb(uint64_t v) { return 63 - __builtin_clzll(v); }

int hist_bucket(uint64_t v)
{
    if (v < 2 * HIST_SUB) return (int)v;
    int shift = msb(v) - HIST_SUB_BITS;                  /* v >> shift is in [64, 127] */
    if (shift + HIST_SUB_BITS >= HIST_MAX_BITS) return HIST_BUCKETS - 1;
    return (shift + 1) * HIST_SUB + (int)((v >> shift) - HIST_SUB);
}

uint64_t hist_bucket_high(int idx)
{
    if (idx < 2 * HIST_SUB) return (uint64_t)idx;
    int shift = idx / HIST_SUB - 1;
    uint64_t sub = (uint64_t)(idx % HIST_SUB) + HIST_SUB;
    return ((sub + 1) << shift) - 1;
}

void hist_add(struct hist *h, int64_t us)
{
    uint64_t v = us < 0 ? 0 : (uint64_t)us;
    if (!h->n || v < h->min) h->min = v;
    if (v > h->max) h->max = v;
    h->n++;
    h->sum += v;
    h->b[hist_bucket(v)]++;
}

void hist_merge(struct hist *dst, const struct hist *src)
{
    if (!src->n) return;
    if (!dst->n || src->min < dst->min) dst->min = src->min;
    if (src->max > dst->max) dst->max = src->max;
    dst->n += src->n;
    dst->sum += src->sum;
    for (int i = 0; i < HIST_BUCKETS; i++) dst->b[i] += src->b[i];
}

uint64_t hist_value_at(const struct hist *h, double p)
{
    if (!h->n) return 0;
    if (p >= 1.0) return h->max;
    if (p < 0) p = 0;
    uint64_t rank = (uint64_t)(p * (double)h->n);
    if ((double)rank < p * (double)h->n) rank++;          /* ceil */
    if (rank == 0) rank = 1;
    uint64_t seen = 0;
    for (int i = 0; i < HIST_BUCKETS; i++) {
        seen += h->b[i];
        if (seen >= rank) {
            uint64_t hi = hist_bucket_high(i);
            if (hi > h->max) hi = h->max;                 /* never above the real maximum */
            if (hi < h->min) hi = h->min;
            return hi;
        }
    }
    return h->max;
}

double hist_mean(const struct hist *h) { return h->n ? (double)h->sum / (double)h->n : 0.0; }
