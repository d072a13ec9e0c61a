/* Unit tests for the pacing of presence recounts (domains/presence/recount_pacing.c). */
#include "check.h"
#include "domains/presence/recount_pacing.h"

static void test_small_booths_hear_at_once(void)
{
    /* before the first recount, and after recounts that reached a few people */
    CHECK_INT(presence_recount_delay_ms(5000, 0, 0), PRESENCE_DEBOUNCE_MS);
    CHECK_INT(presence_recount_delay_ms(5000, 4990, 12), PRESENCE_DEBOUNCE_MS);
    /* 2,000 deliveries earn exactly the debounce: 2,000 / 20,000 per s = 100 ms */
    CHECK_INT(presence_recount_delay_ms(5000, 5000, 2000), PRESENCE_DEBOUNCE_MS);
}

static void test_crowds_pause_longer(void)
{
    /* 6,000 deliveries earn 300 ms after they went out */
    CHECK_INT(presence_recount_delay_ms(5000, 5000, 6000), 300);
    CHECK_INT(presence_recount_delay_ms(5100, 5000, 6000), 200);
    /* time already passed counts; never below the debounce */
    CHECK_INT(presence_recount_delay_ms(5250, 5000, 6000), PRESENCE_DEBOUNCE_MS);
    CHECK_INT(presence_recount_delay_ms(9000, 5000, 6000), PRESENCE_DEBOUNCE_MS);
    /* 19,000 members in crowded booths: just under a second; more: the cap */
    CHECK_INT(presence_recount_delay_ms(5000, 5000, 19000), 950);
    CHECK_INT(presence_recount_delay_ms(5000, 5000, 75000), PRESENCE_RECOUNT_MAX_MS);
    CHECK_INT(presence_recount_delay_ms(5000, 5000, UINT64_MAX), PRESENCE_RECOUNT_MAX_MS);
    /* the budget holds: deliveries per second over a recount and its pause */
    uint64_t d = 12345, pause = presence_recount_delay_ms(0, 0, d);
    CHECK(d * 1000 / pause <= PRESENCE_DELIVERIES_PER_S);
}

int main(void)
{
    test_small_booths_hear_at_once();
    test_crowds_pause_longer();
    return check_report("test_recount_pacing");
}
