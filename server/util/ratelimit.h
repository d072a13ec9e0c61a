/* ratelimit.h — token bucket. Pure; the caller supplies the clock (milliseconds). */
#ifndef BOOTHD_RATELIMIT_H
#define BOOTHD_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

struct ratelimit {
    float tokens;
    float rate;     /* tokens added per second */
    float burst;    /* bucket size */
    uint64_t last_ms;
};

/* Starts full. */
void ratelimit_init(struct ratelimit *r, float rate_per_s, float burst, uint64_t now_ms);
/* Takes one token; returns false (and takes nothing) when the bucket is empty. */
bool ratelimit_take(struct ratelimit *r, uint64_t now_ms);

#endif
