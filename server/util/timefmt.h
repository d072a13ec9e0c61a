/* timefmt.h — RFC 3339 timestamps. Pure. */
#ifndef BOOTHD_TIMEFMT_H
#define BOOTHD_TIMEFMT_H

#include <stddef.h>
#include <stdint.h>

/* Formats a Unix time in milliseconds as "2026-11-27T05:08:49.123Z". buf >= 32 bytes. */
void timefmt_rfc3339_ms(int64_t unix_ms, char *buf, size_t len);

/* True when s is an RFC 3339 date-time with an explicit offset:
 * YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM) ('t'/'z' and a space separator accepted). */
#include <stdbool.h>
bool timefmt_is_rfc3339(const char *s);

#endif
