/* hist.h — latency histogram for the load generator (pure: no I/O, no libraries).
 *
 * Log-linear buckets over microseconds, in the manner of HdrHistogram: values below 128 us
 * are exact, above that every power of two is cut into 64 equal buckets, so a reported
 * value is at most 1/64 (1.6 %) above the true one. The range is 0 .. 2^40 us (12.7 days);
 * larger values are clamped into the last bucket and still counted. A histogram is a plain
 * struct with no heap memory: zero it (or hist_init) to start, add, merge, then query.
 *
 * Percentiles follow "at least p of the values are <= the answer": hist_value_at(h, 0.99)
 * returns the upper edge of the bucket holding the ceil(0.99 * n)-th smallest value. */
#ifndef LOAD_HIST_H
#define LOAD_HIST_H

#include <stdint.h>

#define HIST_SUB_BITS 6                                /* 64 buckets per power of two */
#define HIST_SUB (1 << HIST_SUB_BITS)
#define HIST_MAX_BITS 40
#define HIST_BUCKETS ((HIST_MAX_BITS - HIST_SUB_BITS) * HIST_SUB + 2 * HIST_SUB)

struct hist {
    uint64_t n;
    uint64_t sum;           /* of the recorded (unclamped) values, for the mean */
    uint64_t min, max;      /* exact; min is meaningless while n == 0 */
    uint64_t b[HIST_BUCKETS];
};

void hist_init(struct hist *h);
/* Records one value (negative values count as 0). */
void hist_add(struct hist *h, int64_t us);
/* Adds every value of src into dst. */
void hist_merge(struct hist *dst, const struct hist *src);
/* The value at fraction p (0..1) as described above; 0 when empty. p >= 1 gives max. */
uint64_t hist_value_at(const struct hist *h, double p);
double hist_mean(const struct hist *h);

/* Bucket arithmetic, exposed for the tests and the serializer. */
int hist_bucket(uint64_t us);
uint64_t hist_bucket_high(int idx);    /* largest value that lands in bucket idx */

#endif
