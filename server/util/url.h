/* url.h — splits an absolute http:// or https:// URL into its parts, refusing what a booth
 * page should never link to. Pure; nothing is allocated: the parts point into the input.
 *
 * Is: the shared first step of validate_url_http (form fields) and embed_video (video
 * links): scheme, host, port, path, query, fragment, with the strict checks both need.
 * Is not: a WHATWG URL parser. Nothing is normalised or percent-decoded, IDN hosts are not
 * converted to punycode, and only what is listed below is accepted:
 *  - the whole URL: valid UTF-8, no spaces, no C0/C1 controls or DEL, none of '\' '"' '<' '>'
 *    (browsers read '\' as '/', which would let "https://evil.example\@youtube.com" mean two
 *    things), at most max_len bytes;
 *  - scheme "http" or "https", any case, then "//";
 *  - no userinfo ("user:pass@" is refused: credentials in a public link, and a classic
 *    disguise "https://youtube.com@evil.example");
 *  - host: dot-separated labels of ASCII letters, digits, '-' or non-ASCII UTF-8 (an IDN as
 *    typed), no empty label (so no leading, trailing or doubled dot), a label <= 63 bytes,
 *    the host <= 253 bytes; or an IPv6 literal "[...]" of hex digits, ':' and '.';
 *  - port: optional, 1..65535 written with 1 to 5 digits. */
#ifndef BOOTHD_URL_H
#define BOOTHD_URL_H

#include <stdbool.h>
#include <stddef.h>

struct url_parts {
    bool https;
    const char *host;          /* as written, case kept; an IPv6 literal keeps its brackets */
    size_t host_len;
    unsigned port;             /* 0 when absent */
    const char *path;          /* "" or starting with '/' */
    size_t path_len;
    const char *query;         /* after '?', NULL when there is no '?' */
    size_t query_len;
    const char *fragment;      /* after '#', NULL when there is no '#' */
    size_t fragment_len;
};

enum url_err {
    URL_OK = 0,
    URL_ERR_EMPTY = -1,
    URL_ERR_TOO_LONG = -2,
    URL_ERR_CHARS = -3,        /* invalid UTF-8, a space, a control character, '\', '"', '<', '>' */
    URL_ERR_SCHEME = -4,       /* not http:// or https:// */
    URL_ERR_USERINFO = -5,
    URL_ERR_HOST = -6,
    URL_ERR_PORT = -7,
};
/* A short English reason; never NULL. */
const char *url_err_str(int err);

/* Splits s (NULL counts as empty). Returns 0 with *out filled, or a negative url_err. */
int url_split(const char *s, size_t max_len, struct url_parts *out);

/* True when the host equals name, ASCII case-insensitively, byte for byte otherwise. */
bool url_host_is(const struct url_parts *u, const char *name);

#endif
