/* loop_stats.c — see loop_stats.h. */
#include "core/loop_stats.h"

#include "util/metrics.h"

static void on_prepare(uv_prepare_t *h)
{
    struct loop_stats *ls = h->data;
    uint64_t now = uv_hrtime(), idle = uv_metrics_idle_time(h->loop);
    if (ls->started) metrics_loop_turn((double)loop_stats_busy_ns(ls->last_ns, now, ls->last_idle_ns, idle) / 1e9);
    ls->last_ns = now;
    ls->last_idle_ns = idle;
    ls->started = true;
}

int loop_stats_start(struct loop_stats *ls, uv_loop_t *loop)
{
    *ls = (struct loop_stats){0};
    uv_prepare_init(loop, &ls->prepare);
    ls->prepare.data = ls;
    int r = uv_loop_configure(loop, UV_METRICS_IDLE_TIME);
    if (r == 0) {
        uv_prepare_start(&ls->prepare, on_prepare);
        uv_unref((uv_handle_t *)&ls->prepare);
    }
    return r;
}

void loop_stats_close(struct loop_stats *ls) { uv_close((uv_handle_t *)&ls->prepare, NULL); }
