/* it_selftest.c — checks the test client's own building blocks (no server needed): the RFC 3339
 * parser of expo.c. (The WebSocket handshake and frames, tests/support/wsproto.c, have their
 * unit test in test_wsproto.) */
#include <stdio.h>

#include "expo.h"

static int failures;

#define SELF_CHECK_INT(a, b)                                                                \
    do {                                                                                    \
        long long a_ = (a), b_ = (b);                                                       \
        if (a_ != b_) {                                                                     \
            fprintf(stderr, "%s:%d: %s == %s failed: %lld vs %lld\n", __FILE__, __LINE__,     \
                    #a, #b, a_, b_);                                                        \
            failures++;                                                                     \
        }                                                                                   \
    } while (0)

int main(void)
{
    long long t = 0;
    SELF_CHECK_INT(it_parse_rfc3339("1970-01-01T00:00:00Z", &t), 0);
    SELF_CHECK_INT(t, 0);
    SELF_CHECK_INT(it_parse_rfc3339("2024-05-01T09:30:15.123+09:00", &t), 0);
    SELF_CHECK_INT(t, 1714523415LL);
    SELF_CHECK_INT(it_parse_rfc3339("2024-05-01T00:30:15.5Z", &t), 0);
    SELF_CHECK_INT(t, 1714523415LL);
    SELF_CHECK_INT(it_parse_rfc3339("2024-05-01 00:30:15", &t), -1);
    SELF_CHECK_INT(it_parse_rfc3339("yesterday", &t), -1);

    printf("%s\n", failures ? "selftest FAILED" : "selftest passed");
    return failures ? 1 : 0;
}
