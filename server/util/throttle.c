/* throttle.c — see throttle.h. */
#include "util/throttle.h"

uint64_t throttle_delay_ms(const struct throttle_policy *p, uint32_t failures)
{
    if (failures <= p->free_failures) return 0;
    uint32_t steps = failures - p->free_failures - 1;
    uint64_t d = p->base_ms;
    /* stops once d reaches the cap or could overflow: at most 64 rounds unless d is 0 */
    for (uint32_t i = 0; i < steps && d > 0 && d < p->max_ms && d <= UINT64_MAX / 2; i++)
        d *= 2;
    return d < p->max_ms ? d : p->max_ms;
}

/* now - then in ms, 0 when then is later than now; no overflow for any two int64_t. */
static uint64_t elapsed(int64_t then, int64_t now)
{
    return now > then ? (uint64_t)now - (uint64_t)then : 0;
}

bool throttle_check(const struct throttle_policy *p, uint32_t failures, int64_t last_failure_ms,
                    int64_t now_ms, uint64_t *retry_after_ms)
{
    uint64_t need = throttle_delay_ms(p, failures), gone = elapsed(last_failure_ms, now_ms);
    uint64_t left = gone >= need ? 0 : need - gone;
    if (retry_after_ms) *retry_after_ms = left;
    return left == 0;
}

uint32_t throttle_next_failures(const struct throttle_policy *p, uint32_t failures,
                                int64_t last_failure_ms, int64_t now_ms)
{
    if (failures == 0 || elapsed(last_failure_ms, now_ms) > p->window_ms) return 1;
    return failures == UINT32_MAX ? failures : failures + 1;
}
