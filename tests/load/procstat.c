/* procstat.c — see procstat.h. */
#include "procstat.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int procstat_parse(const char *line, unsigned long long *ticks, pid_t *ppid)
{
    const char *p = strrchr(line, ')');          /* the name ends at the LAST ')' */
    if (!p) return -1;
    p++;
    /* fields after the name: 3 state, 4 ppid, ... 14 utime, 15 stime */
    char state;
    long pp;
    unsigned long long f[13];
    int n = sscanf(p, " %c %ld %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu", &state, &pp,
                   &f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6], &f[7], &f[8], &f[9], &f[10]);
    if (n != 13) return -1;
    /* f[0] is field 5 (pgrp) ... f[9] field 14 (utime), f[10] field 15 (stime) */
    *ticks = f[9] + f[10];
    *ppid = (pid_t)pp;
    return 0;
}

static int read_stat(pid_t pid, unsigned long long *ticks, pid_t *ppid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    return procstat_parse(buf, ticks, ppid);
}

static double tick_s(void)
{
    static double t;
    if (!t) { long hz = sysconf(_SC_CLK_TCK); t = 1.0 / (double)(hz > 0 ? hz : 100); }
    return t;
}

double procstat_cpu_s(pid_t pid)
{
    unsigned long long t;
    pid_t pp;
    if (pid <= 0 || read_stat(pid, &t, &pp)) return -1;
    return (double)t * tick_s();
}

double procstat_tree_cpu_s(pid_t pid)
{
    double total = procstat_cpu_s(pid);
    if (total < 0) return -1;
    DIR *d = opendir("/proc");
    if (!d) return total;
    struct dirent *e;
    while ((e = readdir(d))) {
        char *end;
        long child = strtol(e->d_name, &end, 10);
        if (*end || child <= 0 || child == pid) continue;
        unsigned long long t;
        pid_t pp;
        if (read_stat((pid_t)child, &t, &pp) == 0 && pp == pid) total += (double)t * tick_s();
    }
    closedir(d);
    return total;
}

long long procstat_rss_kib(pid_t pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    long long kib = -1;
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, "VmRSS:", 6)) { kib = atoll(line + 6); break; }
    fclose(f);
    return kib;
}
