/* check.h — assertions for the integration tests, in the spirit of libuv's test/task.h:
 * a failed check prints the expression, both operands and where, then ends the test
 * through it_fail() (harness.c), which shows the tail of every boothd log and cleans up.
 * Checks guard test expectations only; they never continue after a failure. */
#ifndef IT_CHECK_H
#define IT_CHECK_H

#include <stdint.h>
#include <string.h>

#if defined(__GNUC__)
#define IT_NORETURN __attribute__((noreturn))
#define IT_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define IT_NORETURN
#define IT_PRINTF(a, b)
#endif

/* Prints "file:line: message", dumps diagnostics, cleans up, exits 1. */
void it_fail(const char *file, int line, const char *fmt, ...) IT_PRINTF(3, 4) IT_NORETURN;

#define FAIL(...) it_fail(__FILE__, __LINE__, __VA_ARGS__)

#define IT_CHECK_INT(a, op, b)                                                              \
    do {                                                                                     \
        long long it_a_ = (long long)(a), it_b_ = (long long)(b);                            \
        if (!(it_a_ op it_b_))                                                               \
            it_fail(__FILE__, __LINE__, "ASSERT %s %s %s failed: %lld %s %lld", #a, #op, #b, \
                    it_a_, #op, it_b_);                                                      \
    } while (0)

#define ASSERT_EQ(a, b) IT_CHECK_INT(a, ==, b)
#define ASSERT_NE(a, b) IT_CHECK_INT(a, !=, b)
#define ASSERT_LT(a, b) IT_CHECK_INT(a, <, b)
#define ASSERT_LE(a, b) IT_CHECK_INT(a, <=, b)
#define ASSERT_GT(a, b) IT_CHECK_INT(a, >, b)
#define ASSERT_GE(a, b) IT_CHECK_INT(a, >=, b)

#define ASSERT_TRUE(cond)                                                                    \
    do {                                                                                     \
        if (!(cond)) it_fail(__FILE__, __LINE__, "ASSERT %s failed", #cond);                  \
    } while (0)

#define ASSERT_NOT_NULL(p)                                                                   \
    do {                                                                                     \
        if ((p) == NULL) it_fail(__FILE__, __LINE__, "ASSERT %s != NULL failed", #p);         \
    } while (0)

#define ASSERT_STR_EQ(a, b)                                                                  \
    do {                                                                                     \
        const char *it_a_ = (a), *it_b_ = (b);                                               \
        if (!it_a_ || !it_b_ || strcmp(it_a_, it_b_) != 0)                                   \
            it_fail(__FILE__, __LINE__, "ASSERT %s == %s failed: \"%s\" vs \"%s\"", #a, #b,   \
                    it_a_ ? it_a_ : "(null)", it_b_ ? it_b_ : "(null)");                     \
    } while (0)

#define ASSERT_STR_NE(a, b)                                                                  \
    do {                                                                                     \
        const char *it_a_ = (a), *it_b_ = (b);                                               \
        if (!it_a_ || !it_b_ || strcmp(it_a_, it_b_) == 0)                                   \
            it_fail(__FILE__, __LINE__, "ASSERT %s != %s failed: \"%s\" vs \"%s\"", #a, #b,   \
                    it_a_ ? it_a_ : "(null)", it_b_ ? it_b_ : "(null)");                     \
    } while (0)

/* Case-sensitive substring. */
#define ASSERT_CONTAINS(hay, needle)                                                         \
    do {                                                                                     \
        const char *it_h_ = (hay), *it_n_ = (needle);                                        \
        if (!it_h_ || !it_n_ || !strstr(it_h_, it_n_))                                       \
            it_fail(__FILE__, __LINE__, "ASSERT %s contains %s failed: \"%s\" lacks \"%s\"",  \
                    #hay, #needle, it_h_ ? it_h_ : "(null)", it_n_ ? it_n_ : "(null)");      \
    } while (0)

#endif
