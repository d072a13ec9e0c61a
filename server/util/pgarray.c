/* pgarray.c — see pgarray.h. */
#include "util/pgarray.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Room for `more` bytes plus the closing "}" and NUL. */
static void reserve(struct pgarray *a, size_t more)
{
    if (a->len + more + 3 <= a->cap) return;
    a->cap = (a->len + more + 3) * 2;
    a->buf = realloc(a->buf, a->cap);
    if (!a->buf) abort();
}

static void add(struct pgarray *a, const char *item, size_t n)
{
    reserve(a, n + 1);
    a->buf[a->len++] = a->n++ ? ',' : '{';
    memcpy(a->buf + a->len, item, n);
    a->len += n;
}

void pgarray_add_int(struct pgarray *a, int64_t v)
{
    char num[24];
    int n = snprintf(num, sizeof num, "%" PRId64, v);
    add(a, num, (size_t)n);
}

void pgarray_add_text(struct pgarray *a, const char *s)
{
    size_t n = strlen(s);
    assert(n > 0 && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789:_-") == n);
    add(a, s, n);
}

const char *pgarray_text(struct pgarray *a)
{
    reserve(a, 0);
    if (a->n == 0) a->buf[a->len] = '{';
    size_t end = a->n ? a->len : 1;
    a->buf[end] = '}';
    a->buf[end + 1] = 0;
    return a->buf;
}

void pgarray_free(struct pgarray *a)
{
    free(a->buf);
    *a = (struct pgarray){0};
}
