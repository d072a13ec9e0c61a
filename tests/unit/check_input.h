/* check_input.h — check.h's CHECK_INT and CHECK_STR for table-driven tests: on failure they
 * also print the input the row was about, so a failing row of a long table is found at once. */
#ifndef BOOTHD_UNIT_CHECK_INPUT_H
#define BOOTHD_UNIT_CHECK_INPUT_H

#include "check.h"

static inline void check_input_note(int failures_before, const char *input)
{
    if (check_failures != failures_before)
        fprintf(stderr, "  for input \"%s\"\n", input ? input : "(null)");
}

#define CHECK_INT_FOR(input, a, b) do { int _before = check_failures; CHECK_INT(a, b); \
    check_input_note(_before, (input)); } while (0)
#define CHECK_STR_FOR(input, a, b) do { int _before = check_failures; CHECK_STR(a, b); \
    check_input_note(_before, (input)); } while (0)

#endif
