/* log.h — leveled logging to stderr.
 *
 * One line per event: time, level, then "what" (session id, operation) and the detail.
 * Callers check log_enabled() implicitly through the macros, so arguments are not
 * formatted when the level is off. Never pass tokens, passwords or chat text at info. */
#ifndef BOOTHD_LOG_H
#define BOOTHD_LOG_H

#include <stdarg.h>

enum log_level { LOG_DEBUG = 0, LOG_INFO = 1, LOG_WARN = 2, LOG_ERROR = 3 };

extern enum log_level log_threshold;

/* Parses "debug|info|warn|error"; returns 0 and sets *out, or -1. */
int log_level_parse(const char *s, enum log_level *out);
const char *log_level_str(enum log_level l);

void log_write(enum log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_at(lvl, ...) do { if ((lvl) >= log_threshold) log_write((lvl), __VA_ARGS__); } while (0)
#define log_debug(...) log_at(LOG_DEBUG, __VA_ARGS__)
#define log_info(...)  log_at(LOG_INFO, __VA_ARGS__)
#define log_warn(...)  log_at(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_at(LOG_ERROR, __VA_ARGS__)

#endif
