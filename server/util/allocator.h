/* allocator.h — which malloc this boothd runs on, for its start-up line.
 *
 * Release builds link gperftools' tcmalloc (CMake: BOOTHD_ALLOCATOR=tcmalloc, the default;
 * sanitizer builds keep glibc's, which ASan replaces anyway). Measured in the joins benchmark
 * (issue 15, docs/benchmarks.md): glibc's malloc spent 10-14 % of boothd's CPU consolidating
 * its fast bins whenever a block of 1 KiB or more was asked for between the many small
 * cJSON nodes of each request and reply; with tcmalloc boothd used ~10 % less CPU per join and
 * ~30 % less memory per session. */
#ifndef BOOTHD_ALLOCATOR_H
#define BOOTHD_ALLOCATOR_H

/* "tcmalloc", or "system" for the C library's malloc (ASan's in sanitizer builds); a static
 * string. */
const char *allocator_name(void);

#endif
