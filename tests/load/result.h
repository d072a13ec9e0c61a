/* result.h — what one worker process measured, and how results of several workers merge
 * (pure: cJSON only).
 *
 * A worker fills one struct result; at the end it serializes it to one JSON line on its
 * result pipe; the coordinator parses every worker's line, merges them, and hands the sum
 * to summary.c. Chat counters are kept per plan step, attributed to the step in which the
 * message was PLANNED (the step is in the message's marker), so a message sent at the end
 * of a step and delivered in the next still counts for the step that caused it.
 *
 * Integrity: per (session, booth) the worker follows seq. A seq above last+1 is a gap
 * (messages lost: seq - last - 1), a seq at or below last a duplicate. At the end each
 * worker reports, per booth, how many of its sessions were inside, the sum of their last
 * seen seqs and the highest seq acked to any of its senders; the coordinator takes the
 * booth's final seq across workers and counts what the members never got (`tail`).
 */
#ifndef LOAD_RESULT_H
#define LOAD_RESULT_H

#include <cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "hist.h"

#define RESULT_MAX_STEPS 16

enum err_code {
    E_RATE_LIMITED, E_UNAVAILABLE, E_INTERNAL, E_FORBIDDEN, E_BAD_REQUEST, E_NOT_FOUND,
    E_UNAUTHORIZED, E_CONFLICT, E_OTHER, E_N
};
const char *err_code_str(enum err_code c);
enum err_code err_code_from(const char *s);

/* Request kinds whose replies are timed (chat.send acks are timed per step instead, from
 * the planned send time; RK_CHAT here counts them from the actual send). */
enum req_kind {
    RK_RESUME, RK_ENTER, RK_LEAVE, RK_CHAT, RK_PING, RK_HALL, RK_GET, RK_HISTORY,
    RK_SLOTS, RK_MEETING, RK_STATS, RK_N
};
const char *req_kind_str(enum req_kind k);

struct step_stats {
    uint64_t sent, acked, dup_acks;
    uint64_t errors[E_N];
    uint64_t deliveries;            /* chat.message events at members other than the sender */
    struct hist ack;                /* planned send -> reply, at the sender */
    struct hist deliv_local;        /* planned send -> event, receiver on the sender's server */
    struct hist deliv_remote;       /* ... receiver on another server (cross-node) */
    struct hist lag;                /* planned send -> the moment the generator queued it */
};

struct req_stats {
    uint64_t n, ok;
    uint64_t errors[E_N];
    struct hist lat;
};

struct booth_end {
    int64_t booth_id;
    uint64_t members;               /* sessions of this worker inside at the end */
    uint64_t sum_last;              /* sum of their last seen seq */
    int64_t min_last, max_last;
    int64_t max_acked;              /* highest seq acked to this worker's senders */
};

struct result {
    int n_steps;
    struct step_stats step[RESULT_MAX_STEPS];
    struct req_stats req[RK_N];

    /* connect phase */
    uint64_t sessions, connected, authed, entered;
    uint64_t connect_failed, auth_failed, enter_failed, retries;
    uint64_t closed_unexpectedly;
    int64_t first_connect_us, last_ready_us;    /* monotonic; 0 = none */
    struct hist join;                            /* connect start -> entered */
    struct hist upgrade;                         /* connect start -> WebSocket upgrade answered */

    /* integrity */
    uint64_t events, presence_events, other_events, junk, foreign_events, self_events;
    uint64_t gaps, duplicates;
    uint64_t unacked;                            /* chat.send without any reply at the end */

    size_t n_booths;
    struct booth_end *booths;                    /* sorted by booth_id */
};

struct result *result_new(int n_steps);
void result_free(struct result *r);
/* The booth_end of booth_id, created (zeroed, min_last = INT64_MAX) if absent. */
struct booth_end *result_booth(struct result *r, int64_t booth_id);
/* dst += src. */
void result_merge(struct result *dst, const struct result *src);

cJSON *result_to_json(const struct result *r);
/* NULL when the JSON is not a result. */
struct result *result_from_json(const cJSON *j);

/* Histograms travel as {"n","sum","min","max","b":[idx,count,idx,count,...]}. */
cJSON *hist_to_json(const struct hist *h);
int hist_from_json(const cJSON *j, struct hist *h);

/* Messages members never received by the end: for every booth, final = the highest seq
 * acked or seen, and each member inside at the end should have reached it. */
uint64_t result_tail_loss(const struct result *r);

#endif
