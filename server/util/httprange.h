/* httprange.h — the HTTP `Range:` request header for one resource of known length
 * (RFC 9110 section 14), and `Content-Range:` for the answer. Pure.
 *
 * Is: a parser that turns the header value and the resource's length into what to answer:
 * the whole body (200), one byte range (206), or 416. Lengths and positions are 64-bit and
 * arithmetic on them cannot overflow (numbers too large for 64 bits saturate).
 * Is not: If-Range (the caller compares it with its strong ETag first and passes no Range when
 * it does not match), multipart/byteranges (never produced), or any I/O.
 *
 * Choices, all allowed by RFC 9110 (a server MAY ignore Range):
 *  - a syntactically invalid header, another unit than "bytes" (case-insensitive), and any
 *    Range on an empty resource are ignored: 200 with the whole body;
 *  - several ranges of which exactly one is satisfiable: 206 with that one;
 *  - two or more satisfiable ranges: 200 with the whole body (HTTPRANGE_MULTI). Readers that
 *    seek (pdf.js, video players) ask one range at a time, and answering many small ranges
 *    is a known amplification vector (CVE-2011-3192); the whole body is always correct;
 *  - no satisfiable range: 416, whose Content-Range is "bytes " then '*', '/' and the length. */
#ifndef BOOTHD_HTTPRANGE_H
#define BOOTHD_HTTPRANGE_H

#include <stddef.h>
#include <stdint.h>

enum httprange_result {
    HTTPRANGE_NONE = 0,        /* no header, or ignored: 200 with the whole body */
    HTTPRANGE_ONE,             /* 206 with *out */
    HTTPRANGE_MULTI,           /* several satisfiable ranges: 200 with the whole body */
    HTTPRANGE_UNSATISFIABLE,   /* 416 with httprange_content_range(NULL, ...) */
};

/* An inclusive byte range: first <= last < length. */
struct httprange {
    uint64_t first, last;
};

/* Parses the value of a Range header (NULL = absent; surrounding blanks allowed) for a
 * resource of `length` bytes. *out is set only for HTTPRANGE_ONE. */
enum httprange_result httprange_parse(const char *value, uint64_t length, struct httprange *out);

/* Bytes in r: last - first + 1. */
uint64_t httprange_len(const struct httprange *r);

/* Writes the Content-Range value "bytes 0-99/1000", or for r == NULL the 416 form ("bytes ",
 * '*', '/', "1000") into buf[0..cap). Returns the length written (excluding
 * the NUL), or -1 when cap is too small (then buf holds "" if cap > 0).
 * HTTPRANGE_CONTENT_RANGE_MAX bytes always do. */
int httprange_content_range(char *buf, size_t cap, const struct httprange *r, uint64_t length);
#define HTTPRANGE_CONTENT_RANGE_MAX 80   /* "bytes " + 3 x 20 digits + "-/" + NUL = 69 */

/* "none", "one", "multi", "unsatisfiable". */
const char *httprange_str(enum httprange_result r);

#endif
