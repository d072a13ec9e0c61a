/* pgarray.h — builds the text of a PostgreSQL array literal ("{1,2,3}", "{a,b}") to pass a
 * list as one query parameter ($1::bigint[], $1::text[]) instead of one statement per item.
 *
 * Text elements are written as they are: only for values made by our own code from digits,
 * letters, ':' and '-' (session keys), never client input (no quoting or escaping is done;
 * pgarray_add_text asserts that). Pure; out-of-memory aborts.
 *
 * Ownership: the caller owns the struct (zero-initialized: `struct pgarray a = {0};`);
 * pgarray_text() returns a string that lives until pgarray_free(). */
#ifndef BOOTHD_PGARRAY_H
#define BOOTHD_PGARRAY_H

#include <stddef.h>
#include <stdint.h>

struct pgarray {
    char *buf;
    size_t len, cap;
    size_t n;           /* elements added */
};

void pgarray_add_int(struct pgarray *a, int64_t v);
/* s: [A-Za-z0-9:_-]+ (asserted). */
void pgarray_add_text(struct pgarray *a, const char *s);
/* The literal so far ("{}" when empty); valid until the next add or pgarray_free. */
const char *pgarray_text(struct pgarray *a);
void pgarray_free(struct pgarray *a);

#endif
