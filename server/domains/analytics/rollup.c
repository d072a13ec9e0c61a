/* rollup.c — the timer that calls visit_rollup() (rollup.h). */
#include "domains/analytics/rollup.h"

#include <stdbool.h>
#include <stdlib.h>
#include <uv.h>

#include "core/app.h"
#include "db/db.h"
#include "util/log.h"

static struct db_stmt q_rollup = DB_STMT("analytics_rollup", "SELECT visit_rollup()");

/* Invariant: the timer is armed only while no call is in flight and the node is not stopping. */
struct rollup {
    struct app *app;
    uv_timer_t timer;
    bool stopping;
};

static void tick(uv_timer_t *t);

static void on_rollup(void *arg, const struct db_result *res)
{
    struct rollup *ro = arg;
    uint64_t next = ROLLUP_EVERY_MS;
    if (db_result_status(res) == DB_OK && db_result_rows(res) == 1) {
        long long behind = db_result_int64(res, 0, 0);
        if (behind > 0) {
            next = ROLLUP_BUSY_MS;
            log_debug("analytics: rollup: %lld booths still behind", behind);
        }
    } else if (db_result_status(res) != DB_ERR_CLOSED) {
        log_info("analytics: rollup failed (%s); next try in %d s", db_result_message(res), ROLLUP_EVERY_MS / 1000);
    }
    if (!ro->stopping && db_result_status(res) != DB_ERR_CLOSED) uv_timer_start(&ro->timer, tick, next, 0);
}

static void tick(uv_timer_t *t)
{
    struct rollup *ro = t->data;
    if (ro->stopping) return;
    if (db_query(ro->app->db, &q_rollup, 0, NULL, on_rollup, ro))
        uv_timer_start(&ro->timer, tick, ROLLUP_EVERY_MS, 0);
}

struct rollup *rollup_new(struct app *app)
{
    struct rollup *ro = calloc(1, sizeof *ro);
    if (!ro) abort();
    ro->app = app;
    uv_timer_init(&app->loop, &ro->timer);
    uv_unref((uv_handle_t *)&ro->timer);
    ro->timer.data = ro;
    return ro;
}

void rollup_start(struct rollup *ro) { uv_timer_start(&ro->timer, tick, ROLLUP_FIRST_MS, 0); }

void rollup_stop(struct rollup *ro)
{
    ro->stopping = true;
    uv_timer_stop(&ro->timer);
}

static void on_closed(uv_handle_t *h) { free(h->data); }

void rollup_free(struct rollup *ro)
{
    ro->stopping = true;
    uv_close((uv_handle_t *)&ro->timer, on_closed);
}
