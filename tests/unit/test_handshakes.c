/* Unit tests for net/handshakes.c: counting by descriptor, the cap and its resume mark,
 * reused descriptors, expiry of slots whose end was never reported, and the edges (descriptors
 * out of range, the 32-bit clock wrapping). */
#include "check.h"
#include "net/handshakes.h"

#include <stdlib.h>

static void test_cap_and_resume(void)
{
    struct handshakes *h = handshakes_new(8, 100);   /* resumes below 6 */
    for (int fd = 10; fd < 17; fd++) handshakes_begin(h, fd, 1000);
    CHECK_INT(handshakes_in_flight(h), 7);
    CHECK(!handshakes_full(h));
    handshakes_begin(h, 17, 1000);
    CHECK(handshakes_full(h));
    CHECK(handshakes_pending(h, 17));
    /* full stays set until the count is below 3/4 of the cap */
    CHECK(!handshakes_end(h, 17));      /* 7 */
    CHECK(handshakes_full(h));
    CHECK(!handshakes_end(h, 16));      /* 6 */
    CHECK(handshakes_full(h));
    CHECK(handshakes_end(h, 15));       /* 5: resume, once */
    CHECK(!handshakes_full(h));
    CHECK(!handshakes_end(h, 14));
    CHECK_INT(handshakes_in_flight(h), 4);
    /* ending what is not in flight changes nothing */
    CHECK(!handshakes_end(h, 15));
    CHECK(!handshakes_end(h, 99));
    CHECK_INT(handshakes_in_flight(h), 4);
    handshakes_free(h);
}

static void test_reuse_and_range(void)
{
    struct handshakes *h = handshakes_new(4, 10);
    handshakes_begin(h, 3, 5);
    handshakes_begin(h, 3, 6);          /* closed unnoticed, number reused: counted once */
    CHECK_INT(handshakes_in_flight(h), 1);
    handshakes_begin(h, -1, 5);         /* untracked descriptors are ignored */
    handshakes_begin(h, 10, 5);
    handshakes_begin(h, 1 << 30, 5);
    CHECK_INT(handshakes_in_flight(h), 1);
    CHECK(!handshakes_pending(h, 10));
    CHECK(!handshakes_end(h, -1));
    CHECK(!handshakes_end(h, 10));
    handshakes_begin(h, 0, 0);          /* time 0 still marks the slot as taken */
    CHECK(handshakes_pending(h, 0));
    CHECK_INT(handshakes_in_flight(h), 2);
    handshakes_free(h);

    struct handshakes *one = handshakes_new(0, 4);   /* a cap of 0 is taken as 1 */
    handshakes_begin(one, 1, 1);
    CHECK(handshakes_full(one));
    CHECK(handshakes_end(one, 1));
    CHECK(!handshakes_full(one));
    handshakes_free(one);
}

static void test_expire(void)
{
    struct handshakes *h = handshakes_new(4, 64);
    handshakes_begin(h, 1, 1000);
    handshakes_begin(h, 2, 5000);
    handshakes_begin(h, 3, 9000);
    handshakes_begin(h, 4, 9500);
    CHECK(handshakes_full(h));
    bool resume = true;
    CHECK_INT(handshakes_expire(h, 10999, 10000, &resume), 0);   /* 9,999 ms old: kept */
    CHECK(!resume);
    CHECK_INT(handshakes_expire(h, 11000, 10000, &resume), 1);   /* fd 1: 10,000 ms */
    CHECK(!resume);                                              /* 3 left: not below 3 */
    CHECK(handshakes_full(h));
    CHECK_INT(handshakes_expire(h, 15000, 10000, &resume), 1);   /* fd 2 */
    CHECK(resume);
    CHECK(!handshakes_full(h));
    CHECK(!handshakes_pending(h, 2));
    CHECK(handshakes_pending(h, 3));
    CHECK_INT(handshakes_expire(h, 15000, 10000, NULL), 0);
    handshakes_free(h);

    /* the 32-bit clock wraps: ages stay right across it */
    struct handshakes *w = handshakes_new(4, 8);
    uint64_t before_wrap = 0xFFFFFF00ull + (5ull << 32);
    handshakes_begin(w, 1, before_wrap);
    CHECK_INT(handshakes_expire(w, before_wrap + 0x200, 10000, NULL), 0);
    CHECK_INT(handshakes_expire(w, before_wrap + 10000, 10000, NULL), 1);
    handshakes_free(w);
}

int main(void)
{
    test_cap_and_resume();
    test_reuse_and_range();
    test_expire();
    return check_report("test_handshakes");
}
