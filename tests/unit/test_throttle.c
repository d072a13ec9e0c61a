/* Unit tests for util/throttle.c: the delay curve, the allow/retry-after decision, the
 * failure count's window, and arithmetic at the edges (overflow, clock skew). */
#include "check.h"
#include "util/throttle.h"

static void test_curve(void)
{
    struct throttle_policy a = THROTTLE_ACCOUNT;
    for (uint32_t f = 0; f <= 5; f++) CHECK_INT(throttle_delay_ms(&a, f), 0);
    CHECK_INT(throttle_delay_ms(&a, 6), 1000);
    CHECK_INT(throttle_delay_ms(&a, 7), 2000);
    CHECK_INT(throttle_delay_ms(&a, 8), 4000);
    CHECK_INT(throttle_delay_ms(&a, 14), 256000);
    CHECK_INT(throttle_delay_ms(&a, 15), 300000);
    CHECK_INT(throttle_delay_ms(&a, 1000), 300000);
    CHECK_INT(throttle_delay_ms(&a, UINT32_MAX), 300000);
    uint64_t total = 0;
    for (uint32_t f = 6; f <= 15; f++) total += throttle_delay_ms(&a, f);
    CHECK_INT(total, 811000);                              /* as the header says */
    /* never decreasing */
    for (uint32_t f = 1; f < 100; f++) CHECK(throttle_delay_ms(&a, f) >= throttle_delay_ms(&a, f - 1));

    struct throttle_policy ad = THROTTLE_ADDRESS;
    CHECK_INT(throttle_delay_ms(&ad, 20), 0);
    CHECK_INT(throttle_delay_ms(&ad, 21), 1000);
    CHECK_INT(throttle_delay_ms(&ad, 26), 32000);
    CHECK_INT(throttle_delay_ms(&ad, 27), 60000);

    /* odd policies: no overflow, no endless loop */
    struct throttle_policy huge = {0, UINT64_MAX / 3, UINT64_MAX, UINT64_MAX};
    CHECK(throttle_delay_ms(&huge, 1) == UINT64_MAX / 3);
    CHECK(throttle_delay_ms(&huge, 2) == UINT64_MAX / 3 * 2);
    CHECK(throttle_delay_ms(&huge, UINT32_MAX) >= UINT64_MAX / 3 * 2);
    struct throttle_policy zero = {0, 0, 1000, 1000};
    CHECK_INT(throttle_delay_ms(&zero, UINT32_MAX), 0);
    struct throttle_policy above = {0, 5000, 1000, 1000};   /* base above the cap */
    CHECK_INT(throttle_delay_ms(&above, 1), 1000);
}

static void test_check(void)
{
    struct throttle_policy a = THROTTLE_ACCOUNT;
    uint64_t retry = 123;
    const int64_t t = 1764600000000;                       /* Unix ms */
    CHECK(throttle_check(&a, 0, 0, t, &retry));
    CHECK_INT(retry, 0);
    CHECK(throttle_check(&a, 5, t, t, &retry));            /* 5th failure: still free */
    CHECK_INT(retry, 0);
    CHECK(!throttle_check(&a, 6, t, t, &retry));
    CHECK_INT(retry, 1000);
    CHECK(!throttle_check(&a, 6, t, t + 400, &retry));
    CHECK_INT(retry, 600);
    CHECK(!throttle_check(&a, 6, t, t + 999, &retry));
    CHECK_INT(retry, 1);
    CHECK(throttle_check(&a, 6, t, t + 1000, &retry));
    CHECK_INT(retry, 0);
    CHECK(!throttle_check(&a, 40, t, t + 1000, &retry));
    CHECK_INT(retry, 299000);
    CHECK(throttle_check(&a, 40, t, t + 300000, NULL));
    /* a last failure in the future (another node's clock) counts as now: bounded wait */
    CHECK(!throttle_check(&a, 40, t + 3600000, t, &retry));
    CHECK_INT(retry, 300000);
    CHECK(!throttle_check(&a, 7, INT64_MAX, INT64_MIN, &retry));
    CHECK_INT(retry, 2000);
    CHECK(throttle_check(&a, 7, INT64_MIN, INT64_MAX, &retry));
    CHECK_INT(retry, 0);
}

static void test_next(void)
{
    struct throttle_policy a = THROTTLE_ACCOUNT;
    const int64_t t = 1764600000000;
    CHECK_INT(throttle_next_failures(&a, 0, 0, t), 1);
    CHECK_INT(throttle_next_failures(&a, 3, t - 1000, t), 4);
    CHECK_INT(throttle_next_failures(&a, 3, t - 3600000, t), 4);   /* exactly the window */
    CHECK_INT(throttle_next_failures(&a, 30, t - 3600001, t), 1);  /* older: starts again */
    CHECK_INT(throttle_next_failures(&a, 30, t + 5000, t), 31);    /* skew: counts as recent */
    CHECK_INT(throttle_next_failures(&a, UINT32_MAX, t, t), UINT32_MAX);
    CHECK_INT(throttle_next_failures(&a, 9, INT64_MIN, INT64_MAX), 1);

    /* a scripted attack: one guess as soon as allowed; count guesses in an hour */
    uint32_t failures = 0;
    int64_t last = 0, now = t;
    int guesses = 0;
    while (now < t + 3600000) {
        uint64_t retry;
        if (throttle_check(&a, failures, last, now, &retry)) {
            failures = throttle_next_failures(&a, failures, last, now);
            last = now;
            guesses++;
        } else {
            CHECK(retry > 0 && retry <= a.max_ms);
            now += (int64_t)retry;
        }
    }
    /* 6 at once (failures 0..5 cost nothing), 10 more within 811 s, then one per 300 s:
     * 9 more before the hour is out */
    CHECK_INT(guesses, 6 + 10 + 9);
}

int main(void)
{
    test_curve();
    test_check();
    test_next();
    return check_report("test_throttle");
}
