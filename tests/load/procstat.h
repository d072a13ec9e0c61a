/* procstat.h — CPU time and memory of processes, read from /proc (Linux).
 *
 * The coordinator samples the server(s), PostgreSQL (the postmaster and all its children:
 * one backend per connection, plus the WAL writer, checkpointer, ...) and the generator's
 * own processes at the edges of every measurement window; the differences are CPU seconds
 * spent in the window. /proc counts in clock ticks (10 ms at USER_HZ = 100), so windows of
 * a few seconds or more are meaningful. */
#ifndef LOAD_PROCSTAT_H
#define LOAD_PROCSTAT_H

#include <stddef.h>
#include <sys/types.h>

/* Parses the content of /proc/<pid>/stat: utime + stime in ticks and the parent pid.
 * Returns 0, or -1 if the line is malformed (the command name may hold spaces and ')'). */
int procstat_parse(const char *line, unsigned long long *ticks, pid_t *ppid);
/* CPU seconds (user + system) used so far by pid; -1 when it cannot be read. */
double procstat_cpu_s(pid_t pid);
/* CPU seconds of pid and of every live process whose parent is pid. */
double procstat_tree_cpu_s(pid_t pid);
/* VmRSS of pid in KiB, -1 when unknown. */
long long procstat_rss_kib(pid_t pid);

#endif
