/* httprange.c — see httprange.h.
 *
 * Grammar (RFC 9110 14.1.1, 14.2, 5.6.1):
 *   Range          = ranges-specifier
 *   ranges-specifier = range-unit "=" range-set
 *   range-set      = 1#range-spec        ; list: empty elements and OWS around commas allowed
 *   range-spec     = int-range / suffix-range / other-range
 *   int-range      = first-pos "-" [ last-pos ]
 *   suffix-range   = "-" suffix-length
 * An int-range with last-pos < first-pos is invalid and makes the whole header invalid. */
#include "util/httprange.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static bool is_ows(char c) { return c == ' ' || c == '\t'; }
static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* Reads 1*DIGIT at *p, saturating at UINT64_MAX. Returns false when there is no digit. */
static bool read_num(const char **p, uint64_t *v)
{
    const char *s = *p;
    if (!is_digit(*s)) return false;
    uint64_t n = 0;
    for (; is_digit(*s); s++) {
        unsigned d = (unsigned)(*s - '0');
        n = n > (UINT64_MAX - d) / 10 ? UINT64_MAX : n * 10 + d;
    }
    *p = s;
    *v = n;
    return true;
}

/* Parses one range-spec at *p and resolves it against length. Returns -1 when it is
 * invalid, 0 when unsatisfiable, 1 with *r when satisfiable. */
static int range_spec(const char **p, uint64_t length, struct httprange *r)
{
    uint64_t a, b;
    if (**p == '-') {
        (*p)++;
        if (!read_num(p, &b)) return -1;
        if (b == 0) return 0;
        r->first = b >= length ? 0 : length - b;
        r->last = length - 1;
        return 1;
    }
    if (!read_num(p, &a) || **p != '-') return -1;
    (*p)++;
    if (read_num(p, &b)) {
        if (b < a) return -1;
    } else {
        b = UINT64_MAX;
    }
    if (a >= length) return 0;
    r->first = a;
    r->last = b >= length ? length - 1 : b;
    return 1;
}

enum httprange_result httprange_parse(const char *value, uint64_t length, struct httprange *out)
{
    if (!value || length == 0) return HTTPRANGE_NONE;
    const char *p = value;
    while (is_ows(*p)) p++;
    if (strncasecmp(p, "bytes=", 6)) return HTTPRANGE_NONE;
    p += 6;
    unsigned satisfiable = 0, specs = 0;
    struct httprange first = {0, 0}, r;
    for (;;) {
        while (is_ows(*p) || *p == ',') p++;       /* empty list elements */
        if (!*p) break;
        int rc = range_spec(&p, length, &r);
        if (rc < 0) return HTTPRANGE_NONE;
        specs++;
        if (rc == 1 && satisfiable++ == 0) first = r;
        while (is_ows(*p)) p++;
        if (*p && *p != ',') return HTTPRANGE_NONE;
    }
    if (specs == 0) return HTTPRANGE_NONE;
    if (satisfiable == 0) return HTTPRANGE_UNSATISFIABLE;
    if (satisfiable > 1) return HTTPRANGE_MULTI;
    *out = first;
    return HTTPRANGE_ONE;
}

uint64_t httprange_len(const struct httprange *r)
{
    return r->last - r->first + 1;
}

int httprange_content_range(char *buf, size_t cap, const struct httprange *r, uint64_t length)
{
    int n = r ? snprintf(buf, cap, "bytes %" PRIu64 "-%" PRIu64 "/%" PRIu64, r->first, r->last,
                         length)
              : snprintf(buf, cap, "bytes */%" PRIu64, length);
    if (n < 0 || (size_t)n >= cap) {
        if (cap) buf[0] = 0;
        return -1;
    }
    return n;
}

const char *httprange_str(enum httprange_result r)
{
    static const char *const names[] = {
        [HTTPRANGE_NONE] = "none", [HTTPRANGE_ONE] = "one", [HTTPRANGE_MULTI] = "multi",
        [HTTPRANGE_UNSATISFIABLE] = "unsatisfiable",
    };
    return (unsigned)r < sizeof names / sizeof *names ? names[r] : "none";
}
