/* summary.h — turns the merged result of a run into the one-line JSON summary and the
 * readable table (pure: cJSON only, no I/O).
 *
 * The coordinator adds what only it knows: the plan, CPU seconds of the server, of
 * PostgreSQL and of the generator per plan step (read from /proc by procstat.c), and the
 * server's resident memory before the sessions connected, once they were all in, and at
 * the end. summary_table() formats the JSON object itself, so both always agree. */
#ifndef LOAD_SUMMARY_H
#define LOAD_SUMMARY_H

#include <cJSON.h>
#include <stddef.h>

#include "result.h"

struct cpu_use {
    double server, postgres, generator;     /* CPU seconds in the window */
    double window_s;                        /* wall seconds of the window; 0 = not measured */
    double db_xacts;                        /* transactions the database finished in the window
                                               (pg_stat_database commits + rollbacks); < 0 unknown */
};

#define RUN_MAX_SERVERS 16

struct run_info {
    const char *scenario;                   /* label */
    const char *mode;                       /* "chat" or "mixed" */
    int sessions, booths, senders, procs, servers, msg_bytes;
    int n_steps;
    double step_s;
    double rate[RESULT_MAX_STEPS];          /* planned chat msgs/s per step (whole fleet) */
    double slo_ms;                          /* latency bound for the "best step" figures */
    struct cpu_use connect_cpu;             /* during the connect phase */
    struct cpu_use cpu[RESULT_MAX_STEPS];   /* per step */
    long long rss_before_kib, rss_ready_kib, rss_end_kib;   /* servers summed; -1 unknown */
    long long rss_ready_per_server_kib[RUN_MAX_SERVERS];    /* each --server-pid, all in */
    int n_rss_per_server;
    const char *sessions_by_node;           /* JSON object {node id: sessions inside booths}
                                               read from PostgreSQL once all were in; NULL
                                               when unknown (several processes on one port) */
    const long long *rss_series_kib;        /* optional samples during the run */
    size_t n_rss_series;
    double rss_series_every_s;
};

/* The summary object; the caller frees it with cJSON_Delete. */
cJSON *summary_json(const struct run_info *ri, const struct result *r);
/* The human-readable table for a summary object (malloc'd string). */
char *summary_table(const cJSON *summary);
/* 1 when the run was clean: every session entered, nothing lost, duplicated or left
 * unanswered, no error replies, no unexpected closes. Otherwise 0 and why is filled. */
int summary_clean(const struct result *r, char *why, size_t len);

#endif
