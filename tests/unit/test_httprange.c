/* Unit tests for util/httprange.c: Range header parsing per RFC 9110 and Content-Range. */
#include <stdint.h>
#include "check_input.h"
#include "util/httprange.h"

/* Parses and returns "none", "multi", "unsatisfiable" or "first-last". */
static const char *parse(const char *v, uint64_t len)
{
    static char buf[64];
    struct httprange r = {777, 777};
    enum httprange_result res = httprange_parse(v, len, &r);
    if (res != HTTPRANGE_ONE) {
        CHECK(r.first == 777 && r.last == 777);   /* untouched */
        return httprange_str(res);
    }
    CHECK(r.first <= r.last);
    CHECK(r.last < len);
    snprintf(buf, sizeof buf, "%llu-%llu", (unsigned long long)r.first,
             (unsigned long long)r.last);
    return buf;
}

static void test_single(void)
{
    CHECK_STR(parse("bytes=0-99", 1000), "0-99");
    CHECK_STR(parse("bytes=0-0", 1000), "0-0");
    CHECK_STR(parse("bytes=500-", 1000), "500-999");
    CHECK_STR(parse("bytes=999-", 1000), "999-999");
    CHECK_STR(parse("bytes=-1", 1000), "999-999");
    CHECK_STR(parse("bytes=-100", 1000), "900-999");
    CHECK_STR(parse("bytes=-1000", 1000), "0-999");
    CHECK_STR(parse("bytes=-5000", 1000), "0-999");          /* longer suffix: whole body */
    CHECK_STR(parse("bytes=900-5000", 1000), "900-999");     /* last-pos clamped */
    CHECK_STR(parse("bytes=0-999", 1000), "0-999");
    CHECK_STR(parse("Bytes=1-2", 1000), "1-2");              /* unit is case-insensitive */
    CHECK_STR(parse("BYTES=1-2", 1000), "1-2");
    CHECK_STR(parse("  bytes=1-2  ", 1000), "1-2");
    CHECK_STR(parse("bytes=00001-00002", 1000), "1-2");      /* leading zeros */
    CHECK_STR(parse("bytes=5-5", 6), "5-5");
    CHECK_STR(parse("bytes=0-", 1), "0-0");
}

static void test_unsatisfiable(void)
{
    CHECK_STR(parse("bytes=1000-", 1000), "unsatisfiable");
    CHECK_STR(parse("bytes=1000-2000", 1000), "unsatisfiable");
    CHECK_STR(parse("bytes=-0", 1000), "unsatisfiable");
    CHECK_STR(parse("bytes=5000-, -0", 1000), "unsatisfiable");
    CHECK_STR(parse("bytes=99999999999999999999999-", 1000), "unsatisfiable");

    char buf[HTTPRANGE_CONTENT_RANGE_MAX];
    CHECK_INT(httprange_content_range(buf, sizeof buf, NULL, 1000), 12);
    CHECK_STR(buf, "bytes */1000");
}

static void test_ignored(void)
{
    const char *bad[] = {
        NULL, "", "bytes", "bytes=", "bytes=,", "bytes= , ,", "bytes=-", "bytes=--1",
        "bytes=abc", "bytes=1", "bytes=5-3", "bytes=1-2-3", "bytes=1-2x", "bytes=+1-2",
        "bytes=1 -2", "bytes=1- 2", "bytes=- 1", "bytes=0x10-0x20", "bytes=1.5-2",
        "bytes=-1-2", "bytes =1-2", "bytes:1-2", "byte=1-2", "bits=1-2", "items=0-5",
        "bytes=1-2;q=1", "bytes=0-1,5-3", "bytes=0-1,x", "bytes=\t1-2,\x01",
        "bytes=0-1\n", "bytesx=0-1", "=0-1", "bytes==0-1",
        "bytes=99999999999999999999999-1",                    /* last < first */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        CHECK_STR_FOR(bad[i], parse(bad[i], 1000), "none");
    }
    /* any Range on an empty resource is ignored (no 206 can carry an empty range) */
    CHECK_STR(parse("bytes=0-", 0), "none");
    CHECK_STR(parse("bytes=-5", 0), "none");
    CHECK_STR(parse("bytes=0-0", 0), "none");
}

static void test_multi(void)
{
    CHECK_STR(parse("bytes=0-1,5-6", 1000), "multi");
    CHECK_STR(parse("bytes=0-1, 5-6", 1000), "multi");
    CHECK_STR(parse("bytes=0-1 ,\t5-6", 1000), "multi");
    CHECK_STR(parse("bytes=0-99,-1", 1000), "multi");
    CHECK_STR(parse("bytes=0-0,0-0", 1000), "multi");          /* overlapping: still whole */
    /* one satisfiable among unsatisfiable ones is served alone */
    CHECK_STR(parse("bytes=0-9,5000-", 1000), "0-9");
    CHECK_STR(parse("bytes=5000-,-0,-10", 1000), "990-999");
    /* empty list elements are allowed (RFC 9110 5.6.1) */
    CHECK_STR(parse("bytes=,0-9,", 1000), "0-9");
    CHECK_STR(parse("bytes=, ,0-9, ,", 1000), "0-9");
    /* an invalid spec anywhere voids the whole header */
    CHECK_STR(parse("bytes=0-9,9-1", 1000), "none");
    /* a long list is linear and still "multi" */
    char many[8192] = "bytes=";
    for (int i = 0; i < 1000; i++) strcat(many, "1-2,");
    CHECK_STR(parse(many, 1000), "multi");
}

static void test_64bit(void)
{
    const uint64_t max = UINT64_MAX;
    CHECK_STR(parse("bytes=0-", max), "0-18446744073709551614");
    CHECK_STR(parse("bytes=-1", max), "18446744073709551614-18446744073709551614");
    CHECK_STR(parse("bytes=18446744073709551614-", max),
              "18446744073709551614-18446744073709551614");
    CHECK_STR(parse("bytes=18446744073709551615-", max), "unsatisfiable");
    CHECK_STR(parse("bytes=0-18446744073709551615", max), "0-18446744073709551614");
    CHECK_STR(parse("bytes=0-99999999999999999999999999", max), "0-18446744073709551614");
    CHECK_STR(parse("bytes=-99999999999999999999999999", 10), "0-9");
    CHECK_STR(parse("bytes=-18446744073709551615", max), "0-18446744073709551614");
    CHECK_STR(parse("bytes=4294967296-4294967297", (uint64_t)1 << 33), "4294967296-4294967297");

    struct httprange r = {0, max - 1};
    CHECK(httprange_len(&r) == max);
    r.first = r.last = 5;
    CHECK_INT(httprange_len(&r), 1);
}

static void test_content_range(void)
{
    char buf[HTTPRANGE_CONTENT_RANGE_MAX];
    struct httprange r = {0, 99};
    CHECK_INT(httprange_content_range(buf, sizeof buf, &r, 1000), 15);
    CHECK_STR(buf, "bytes 0-99/1000");
    r.first = UINT64_MAX - 1;
    r.last = UINT64_MAX - 1;
    CHECK(httprange_content_range(buf, sizeof buf, &r, UINT64_MAX) > 0);
    CHECK_STR(buf, "bytes 18446744073709551614-18446744073709551614/18446744073709551615");
    CHECK_INT(httprange_content_range(buf, sizeof buf, NULL, UINT64_MAX), 28);
    /* too small a buffer: -1 and an empty string */
    char small[8] = "xxxxxxx";
    CHECK_INT(httprange_content_range(small, sizeof small, &r, UINT64_MAX), -1);
    CHECK_STR(small, "");
    CHECK_INT(httprange_content_range(small, 0, NULL, 5), -1);
    char exact[13];
    CHECK_INT(httprange_content_range(exact, sizeof exact, NULL, 1000), 12);
    CHECK_INT(httprange_content_range(exact, sizeof exact - 1, NULL, 1000), -1);

    CHECK_STR(httprange_str(HTTPRANGE_NONE), "none");
    CHECK_STR(httprange_str(HTTPRANGE_ONE), "one");
    CHECK_STR(httprange_str(HTTPRANGE_MULTI), "multi");
    CHECK_STR(httprange_str(HTTPRANGE_UNSATISFIABLE), "unsatisfiable");
    CHECK_STR(httprange_str((enum httprange_result)-1), "none");
}

int main(void)
{
    test_single();
    test_unsatisfiable();
    test_ignored();
    test_multi();
    test_64bit();
    test_content_range();
    return check_report("test_httprange");
}
