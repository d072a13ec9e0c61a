/* load.h — the run configuration shared by the coordinator (main.c) and its worker
 * processes (worker.c), and the little shared-memory block they coordinate through.
 *
 * Process model: the coordinator prepares the database, then forks `procs` workers. Worker
 * w owns the sessions whose global index i has i % procs == w; it connects them at its share
 * of the ramp rate, signs each in (auth.resume with a prepared token) and, in chat mode,
 * enters its booth (booth_ids[i % n_booths]). When all its sessions are in (or failed), it
 * increments `ready`. Once every worker is ready the coordinator writes the plan's start
 * time `t0`; workers then run the plan, drain, write one JSON result line to their pipe and
 * exit. Times are CLOCK_MONOTONIC microseconds, which all processes share.
 */
#ifndef LOAD_LOAD_H
#define LOAD_LOAD_H

#include <stdatomic.h>
#include <stdint.h>

#include "plan.h"

#define LOAD_MAX_URLS 8
#define LOAD_TOKEN_LEN 43
#define LOAD_SECRET_LEN 33   /* token = secret + 10-digit index */

enum load_mode { MODE_CHAT, MODE_MIXED };

struct load_url {
    char host[64];
    int port;
    char path[128];
};

struct load_cfg {
    struct load_url url[LOAD_MAX_URLS];
    int n_urls;                 /* session i talks to url[i % n_urls] */
    int sessions;
    int first_visitor;          /* account index of session 0 */
    int n_booths;
    int64_t *booth_ids;
    int senders;                /* sessions 0..senders-1 chat (chat mode) */
    int dashboards;             /* sessions 0..dashboards-1 are organizers watching the live
                                   dashboard: stats.subscribe instead of booth.enter; they never chat */
    struct plan plan;           /* t0 filled in when the run starts */
    double drain_s;
    double ramp;                /* new connections per second, all workers together */
    double connect_timeout_s;   /* the connect phase ends after this even if not all are in */
    int retries;                /* reconnects allowed per session during the connect phase */
    int procs;
    int src_addrs;              /* source addresses 127.0.0.2 .. 127.0.0.(1+src_addrs); 0 = none */
    int msg_bytes;
    double ping_every_s;        /* sys.ping per session during the plan; 0 = off */
    enum load_mode mode;
    /* mixed mode */
    double think_min_s, think_max_s, dwell_min_s, dwell_max_s;
    double chatters;            /* fraction of visitors who chat while inside a booth */
    double chat_every_s;        /* a chatter's mean interval between messages */
    double history_p;           /* chance of a chat.history on entering */
    double meeting_p;           /* chance of meeting.slots (+ meeting.request) after a visit */
    char secret[LOAD_SECRET_LEN + 1];
    char nonce[24];             /* makes client_msg_ids unique across runs */
    uint64_t seed;
    int verbose;
};

struct load_ctl {
    atomic_int ready;           /* workers done with their connect phase */
    atomic_llong t0;            /* 0 until the coordinator starts the plan */
    atomic_int stop;            /* coordinator asks workers to stop early */
};

/* The token of visitor index i (LOAD_TOKEN_LEN chars + NUL). */
void load_token(const char *secret, int index, char out[LOAD_TOKEN_LEN + 1]);
int64_t load_now_us(void);     /* CLOCK_MONOTONIC */

/* Runs worker w until its result is written to result_fd. Returns the exit status. */
int worker_main(const struct load_cfg *cfg, int w, struct load_ctl *ctl, int result_fd);

#endif
