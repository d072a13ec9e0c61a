/* log.c — see log.h. Writes whole lines with one fprintf so concurrent processes
 * sharing a terminal do not interleave within a line. */
#include "util/log.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/time.h>

enum log_level log_threshold = LOG_INFO;

static const char *const names[] = {"debug", "info", "warn", "error"};

int log_level_parse(const char *s, enum log_level *out)
{
    for (int i = 0; i < 4; i++)
        if (strcmp(s, names[i]) == 0) { *out = (enum log_level)i; return 0; }
    if (strcmp(s, "warning") == 0) { *out = LOG_WARN; return 0; }
    return -1;
}

const char *log_level_str(enum log_level l)
{
    return (l >= LOG_DEBUG && l <= LOG_ERROR) ? names[l] : "?";
}

void log_write(enum log_level lvl, const char *fmt, ...)
{
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);

    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    gmtime_r(&tv.tv_sec, &tm);
    char ts[32];
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);
    fprintf(stderr, "%s.%03dZ %-5s %s\n", ts, (int)(tv.tv_usec / 1000), log_level_str(lvl), msg);
}
