/* text.c — see text.h. */
#include "util/text.h"

#include <stdlib.h>
#include <string.h>

bool utf8_valid(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str, *e = s + len;
    while (s < e) {
        unsigned c = *s;
        if (c < 0x80) { s++; continue; }
        int n;
        unsigned cp;
        if (c >= 0xC2 && c <= 0xDF) { n = 1; cp = c & 0x1F; }
        else if (c >= 0xE0 && c <= 0xEF) { n = 2; cp = c & 0x0F; }
        else if (c >= 0xF0 && c <= 0xF4) { n = 3; cp = c & 0x07; }
        else return false;
        if (e - s <= n) return false;
        for (int i = 1; i <= n; i++) {
            if ((s[i] & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (s[i] & 0x3F);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        s += n + 1;
    }
    return true;
}

size_t utf8_length(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
}

char *text_clean(const char *s)
{
    size_t len = strlen(s);
    char *out = malloc(len + 1);
    if (!out) abort();
    size_t o = 0;
    int newlines = 0;
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = p[i];
        if (c == '\t') c = ' ';
        if (c == '\r') continue;
        if (c == '\n') {
            if (++newlines > 2) continue;
            out[o++] = '\n';
            continue;
        }
        if (c < 0x20 || c == 0x7F) continue;
        /* C1 controls U+0080..U+009F are encoded as C2 80..C2 9F */
        if (c == 0xC2 && i + 1 < len && p[i + 1] >= 0x80 && p[i + 1] <= 0x9F) { i++; continue; }
        newlines = 0;
        out[o++] = (char)c;
    }
    out[o] = 0;
    /* trim */
    size_t start = 0;
    while (start < o && (out[start] == ' ' || out[start] == '\n')) start++;
    while (o > start && (out[o - 1] == ' ' || out[o - 1] == '\n')) o--;
    memmove(out, out + start, o - start);
    out[o - start] = 0;
    return out;
}
