/* url.c — see url.h. */
#include "util/url.h"

#include <string.h>
#include <strings.h>

#include "util/text.h"

static const char *const url_reasons[] = {
    [-URL_OK] = "ok",
    [-URL_ERR_EMPTY] = "empty",
    [-URL_ERR_TOO_LONG] = "too long",
    [-URL_ERR_CHARS] = "contains spaces, control characters or invalid characters",
    [-URL_ERR_SCHEME] = "must start with http:// or https://",
    [-URL_ERR_USERINFO] = "must not contain a user name or password",
    [-URL_ERR_HOST] = "invalid host name",
    [-URL_ERR_PORT] = "invalid port",
};

const char *url_err_str(int err)
{
    const int n = (int)(sizeof url_reasons / sizeof *url_reasons);
    return err <= 0 && err > -n ? url_reasons[-err] : "invalid URL";
}

/* Every byte allowed, the UTF-8 valid, no C1 control (U+0080..U+009F is C2 80..C2 9F). */
static bool chars_ok(const unsigned char *s, size_t n)
{
    if (!utf8_valid((const char *)s, n)) return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = s[i];
        if (c <= 0x20 || c == 0x7F || c == '\\' || c == '"' || c == '<' || c == '>') return false;
        if (c == 0xC2 && s[i + 1] >= 0x80 && s[i + 1] <= 0x9F) return false;
    }
    return true;
}

static bool host_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-' || c >= 0x80;
}

static bool host_ok(const char *h, size_t n)
{
    if (n == 0) return false;
    if (h[0] == '[') {
        if (n < 4 || h[n - 1] != ']') return false;
        for (size_t i = 1; i + 1 < n; i++)
            if (!strchr("0123456789abcdefABCDEF:.", h[i])) return false;
        return true;
    }
    if (n > 253) return false;
    size_t label = 0;
    for (size_t i = 0; i < n; i++) {
        if (h[i] == '.') {
            if (label == 0) return false;
            label = 0;
        } else if (!host_byte((unsigned char)h[i]) || ++label > 63) {
            return false;
        }
    }
    return label > 0;
}

int url_split(const char *s, size_t max_len, struct url_parts *out)
{
    memset(out, 0, sizeof *out);
    size_t n = s ? strlen(s) : 0;
    if (n == 0) return URL_ERR_EMPTY;
    if (n > max_len) return URL_ERR_TOO_LONG;
    if (!chars_ok((const unsigned char *)s, n)) return URL_ERR_CHARS;
    const char *p;
    if (!strncasecmp(s, "https://", 8)) {
        out->https = true;
        p = s + 8;
    } else if (!strncasecmp(s, "http://", 7)) {
        p = s + 7;
    } else {
        return URL_ERR_SCHEME;
    }
    size_t alen = strcspn(p, "/?#");
    if (memchr(p, '@', alen)) return URL_ERR_USERINFO;
    /* host, then an optional ":port"; an IPv6 literal may hold ':' inside its brackets */
    const char *end = p + alen, *colon = NULL;
    if (*p == '[') {
        const char *rb = memchr(p, ']', alen);
        if (!rb) return URL_ERR_HOST;
        if (rb + 1 < end) {
            if (rb[1] != ':') return URL_ERR_HOST;
            colon = rb + 1;
        }
    } else {
        colon = memchr(p, ':', alen);
    }
    out->host = p;
    out->host_len = (size_t)((colon ? colon : end) - p);
    if (!host_ok(out->host, out->host_len)) return URL_ERR_HOST;
    if (colon) {
        size_t digits = (size_t)(end - colon - 1);
        if (digits < 1 || digits > 5) return URL_ERR_PORT;
        unsigned port = 0;
        for (const char *d = colon + 1; d < end; d++) {
            if (*d < '0' || *d > '9') return URL_ERR_PORT;
            port = port * 10 + (unsigned)(*d - '0');
        }
        if (port < 1 || port > 65535) return URL_ERR_PORT;
        out->port = port;
    }
    out->path = end;
    out->path_len = strcspn(end, "?#");
    const char *q = end + out->path_len;
    if (*q == '?') {
        out->query = q + 1;
        out->query_len = strcspn(q + 1, "#");
        q = out->query + out->query_len;
    }
    if (*q == '#') {
        out->fragment = q + 1;
        out->fragment_len = strlen(q + 1);
    }
    return URL_OK;
}

bool url_host_is(const struct url_parts *u, const char *name)
{
    size_t n = strlen(name);
    return u->host && u->host_len == n && !strncasecmp(u->host, name, n);
}
