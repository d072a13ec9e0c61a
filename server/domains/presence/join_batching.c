/* join_batching.c — see join_batching.h. */
#include "domains/presence/join_batching.h"

#include <stdbool.h>

size_t join_batch_take(size_t pending, unsigned inflight, unsigned max_inflight, size_t max)
{
    if (inflight >= max_inflight) return 0;
    return pending < max ? pending : max;
}

static bool in_sorted(const uint64_t *a, size_t n, uint64_t v)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a[mid] == v) return true;
        if (a[mid] < v) lo = mid + 1; else hi = mid;
    }
    return false;
}

size_t presence_batch_cut(const uint64_t *sessions, size_t pending, size_t max, const uint64_t *busy, size_t n_busy)
{
    size_t n = pending < max ? pending : max;
    /* quadratic in the batch, but a batch is small and this runs once per batch; a
     * session repeats rarely (re-enter, enter then close within one turn) */
    for (size_t i = 0; i < n; i++) {
        if (in_sorted(busy, n_busy, sessions[i])) return i;
        for (size_t j = 0; j < i; j++)
            if (sessions[j] == sessions[i]) return i;
    }
    return n;
}

bool join_pending_expired(uint64_t submitted_ms, uint64_t now_ms)
{
    return now_ms >= submitted_ms && now_ms - submitted_ms > JOIN_PENDING_MAX_MS;
}
