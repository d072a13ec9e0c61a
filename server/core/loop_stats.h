/* loop_stats.h — how long each event-loop iteration works, for /metrics
 * (boothd_loop_busy_seconds). Everything a node does runs on its one loop, so one long
 * iteration delays every reply, event and database result behind it: this histogram shows
 * that delay, and its sum over elapsed time is the loop's utilization.
 *
 * An iteration's work is the time from one uv_prepare callback (just before the loop waits
 * for I/O) to the next, minus the time libuv spent waiting in between (uv_metrics_idle_time,
 * switched on here). The prepare handle does not keep the loop alive.
 *
 * Ownership: the app embeds the struct; loop_stats_close before the loop runs dry. */
#ifndef BOOTHD_LOOP_STATS_H
#define BOOTHD_LOOP_STATS_H

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

struct loop_stats {
    uv_prepare_t prepare;
    uint64_t last_ns, last_idle_ns;     /* at the previous prepare callback */
    bool started;                       /* last_* are set */
};

/* Before the loop's first uv_run. Returns 0, or a libuv error when idle-time accounting is
 * not available (then nothing is measured). */
int loop_stats_start(struct loop_stats *ls, uv_loop_t *loop);
void loop_stats_close(struct loop_stats *ls);

/* The work of one iteration from the clock readings (pure; unit-tested): now - last, minus
 * the wait that grew from last_idle to idle; 0 if a clock went backwards. */
static inline uint64_t loop_stats_busy_ns(uint64_t last_ns, uint64_t now_ns, uint64_t last_idle_ns, uint64_t idle_ns)
{
    if (now_ns < last_ns || idle_ns < last_idle_ns) return 0;
    uint64_t elapsed = now_ns - last_ns, waited = idle_ns - last_idle_ns;
    return elapsed > waited ? elapsed - waited : 0;
}

#endif
