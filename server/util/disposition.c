/* disposition.c — see disposition.h. */
#include "util/disposition.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/text.h"

_Static_assert(sizeof "attachment; filename=\"\"; filename*=UTF-8''" + DISPOSITION_NAME_MAX +
               3 * DISPOSITION_NAME_MAX <= DISPOSITION_MAX, "DISPOSITION_MAX too small");

/* Length of the valid UTF-8 sequence at s[0..n), decoded into *cp; 0 when s[0] does not
 * start one. The validity rules are utf8_valid's. */
static size_t decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned c = s[0];
    size_t len = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
               : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    if (len == 0 || len > n || !utf8_valid((const char *)s, len)) return 0;
    uint32_t v = len == 1 ? c : len == 2 ? c & 0x1F : len == 3 ? c & 0x0F : c & 0x07;
    for (size_t i = 1; i < len; i++) v = v << 6 | (s[i] & 0x3F);
    *cp = v;
    return len;
}

static bool dropped(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x200E || cp == 0x200F ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
           cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF;
}

static bool is_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Length of a keepable extension at the end of s[0..n) (the '.' included), or 0. */
static size_t extension(const char *s, size_t n)
{
    for (size_t i = n; i-- > 0 && n - i <= 17;) {
        if (s[i] == '.') return i > 0 && n - i >= 2 ? n - i : 0;
        if (!is_alnum((unsigned char)s[i])) return 0;
    }
    return 0;
}

static size_t trim(char *s, size_t n)
{
    size_t a = 0;
    while (a < n && (s[a] == ' ' || s[a] == '.')) a++;
    while (n > a && (s[n - 1] == ' ' || s[n - 1] == '.')) n--;
    memmove(s, s + a, n - a);
    return n - a;
}

/* The largest cut <= n that does not split a UTF-8 sequence of the valid string s. */
static size_t boundary(const char *s, size_t n)
{
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
    return n;
}

size_t disposition_clean_name(char *out, const char *name)
{
    const char *base = name ? name : "";
    for (const char *p = base; *p; p++)
        if (*p == '/' || *p == '\\') base = p + 1;
    const unsigned char *s = (const unsigned char *)base;
    size_t n = strlen(base), t = 0;
    char *tmp = malloc(n + 1);       /* cleaning never lengthens: one '_' per invalid byte */
    if (!tmp) abort();
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = decode(s + i, n - i, &cp);
        if (len == 0) {
            tmp[t++] = '_';
            i++;
            continue;
        }
        if (!dropped(cp)) {
            memcpy(tmp + t, s + i, len);
            t += len;
        }
        i += len;
    }
    t = trim(tmp, t);
    if (t > DISPOSITION_NAME_MAX) {
        size_t ext = extension(tmp, t);
        size_t stem = boundary(tmp, DISPOSITION_NAME_MAX - ext);
        memmove(tmp + stem, tmp + t - ext, ext);
        t = trim(tmp, stem + ext);   /* the cut can leave a trailing space or dot */
    }
    if (t == 0) {
        t = sizeof DISPOSITION_DEFAULT_NAME - 1;
        memcpy(out, DISPOSITION_DEFAULT_NAME, t);
    } else {
        memcpy(out, tmp, t);
    }
    out[t] = 0;
    free(tmp);
    return t;
}

static bool attr_char(unsigned char c)
{
    return is_alnum(c) || (c && strchr("!#$&+-.^_`|~", c));
}

size_t disposition_header(char *out, const char *name, bool inline_)
{
    char clean[DISPOSITION_NAME_MAX + 1];
    size_t n = disposition_clean_name(clean, name);
    size_t o = 0;
    const char *kind = inline_ ? "inline; filename=\"" : "attachment; filename=\"";
    memcpy(out, kind, strlen(kind));
    o += strlen(kind);
    const unsigned char *s = (const unsigned char *)clean;
    for (size_t i = 0; i < n;) {
        if (s[i] < 0x80) {
            out[o++] = s[i] == '"' || s[i] == '\\' || s[i] == '%' ? '_' : (char)s[i];
            i++;
        } else {
            out[o++] = '_';
            i++;
            while (i < n && (s[i] & 0xC0) == 0x80) i++;
        }
    }
    static const char star[] = "\"; filename*=UTF-8''";
    memcpy(out + o, star, sizeof star - 1);
    o += sizeof star - 1;
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        if (attr_char(s[i])) {
            out[o++] = (char)s[i];
        } else {
            out[o++] = '%';
            out[o++] = hex[s[i] >> 4];
            out[o++] = hex[s[i] & 15];
        }
    }
    out[o] = 0;
    return o;
}
