/* text.h — UTF-8 helpers for client-supplied text. Pure. */
#ifndef BOOTHD_TEXT_H
#define BOOTHD_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* True when s[0..len) is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
bool utf8_valid(const char *s, size_t len);
/* Number of code points in a valid UTF-8 string. */
size_t utf8_length(const char *s);
/* Returns a malloc'ed copy of a valid UTF-8 string with leading/trailing white space
 * removed and control characters (C0 except \n and \t, DEL, C1) dropped; \t becomes a
 * space and runs of more than two newlines collapse to two. */
char *text_clean(const char *s);

#endif
