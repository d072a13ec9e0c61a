/* timefmt.h — RFC 3339 timestamps. Pure. */
#ifndef BOOTHD_TIMEFMT_H
#define BOOTHD_TIMEFMT_H

#include <stddef.h>
#include <stdint.h>

/* Formats a Unix time in milliseconds as "2026-11-27T05:08:49.123Z". buf >= 32 bytes. */
void timefmt_rfc3339_ms(int64_t unix_ms, char *buf, size_t len);

#endif
