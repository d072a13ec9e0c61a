/* ratelimit.c — see ratelimit.h. */
#include "util/ratelimit.h"

void ratelimit_init(struct ratelimit *r, float rate_per_s, float burst, uint64_t now_ms)
{
    r->rate = rate_per_s;
    r->burst = burst;
    r->tokens = burst;
    r->last_ms = now_ms;
}

bool ratelimit_take(struct ratelimit *r, uint64_t now_ms)
{
    if (now_ms > r->last_ms) {
        r->tokens += (float)(now_ms - r->last_ms) * r->rate / 1000.0f;
        if (r->tokens > r->burst) r->tokens = r->burst;
        r->last_ms = now_ms;
    }
    if (r->tokens < 1.0f) return false;
    r->tokens -= 1.0f;
    return true;
}
