/* recount_pacing.c — see recount_pacing.h. */
#include "domains/presence/recount_pacing.h"

uint64_t presence_recount_delay_ms(uint64_t now_ms, uint64_t last_ms, uint64_t last_deliveries)
{
    uint64_t pause = PRESENCE_RECOUNT_MAX_MS;
    if (last_deliveries < (uint64_t)PRESENCE_RECOUNT_MAX_MS * PRESENCE_DELIVERIES_PER_S / 1000)
        pause = (last_deliveries * 1000 + PRESENCE_DELIVERIES_PER_S - 1) / PRESENCE_DELIVERIES_PER_S;   /* rounded up: the budget holds */
    uint64_t ready = last_ms + pause;
    uint64_t delay = ready > now_ms ? ready - now_ms : 0;
    return delay < PRESENCE_DEBOUNCE_MS ? PRESENCE_DEBOUNCE_MS : delay;
}
