/* Unit tests for util/pgarray.c: array literals of numbers and of plain keys, empty, growth. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "util/pgarray.h"

static void test_ints(void)
{
    struct pgarray a = {0};
    CHECK_STR(pgarray_text(&a), "{}");
    pgarray_add_int(&a, 7);
    CHECK_STR(pgarray_text(&a), "{7}");
    pgarray_add_int(&a, -3);
    pgarray_add_int(&a, INT64_MAX);
    pgarray_add_int(&a, INT64_MIN);
    CHECK_STR(pgarray_text(&a), "{7,-3,9223372036854775807,-9223372036854775808}");
    CHECK_INT(a.n, 4);
    pgarray_free(&a);
    CHECK(a.buf == NULL);
}

static void test_texts_and_growth(void)
{
    struct pgarray a = {0};
    pgarray_add_text(&a, "12:desk");
    pgarray_add_text(&a, "node-b_1");
    CHECK_STR(pgarray_text(&a), "{12:desk,node-b_1}");
    pgarray_free(&a);

    char want[20000] = "{";
    for (int i = 0; i < 2000; i++) {
        pgarray_add_int(&a, i);
        snprintf(want + strlen(want), sizeof want - strlen(want), "%s%d", i ? "," : "", i);
    }
    strcat(want, "}");
    CHECK_STR(pgarray_text(&a), want);
    pgarray_add_int(&a, 1);                       /* adding after reading the text goes on */
    CHECK(strlen(pgarray_text(&a)) == strlen(want) + 2);
    pgarray_free(&a);
}

int main(void)
{
    test_ints();
    test_texts_and_growth();
    return check_report("test_pgarray");
}
