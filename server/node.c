/* node.c — see node.h. */
#include "node.h"

#include <stdio.h>

#include "app.h"
#include "db.h"
#include "log.h"

/* Upsert, so a node that was swept as dead during a database outage comes back. */
static struct db_stmt q_beat = DB_STMT("node_heartbeat",
    "INSERT INTO nodes (node_id, started_at, heartbeat_at) VALUES ($1, now(), now())"
    " ON CONFLICT (node_id) DO UPDATE SET heartbeat_at = now()");
static struct db_stmt q_sweep = DB_STMT("node_sweep",
    "DELETE FROM nodes WHERE heartbeat_at < now() - make_interval(secs => $1)");
static struct db_stmt q_leave = DB_STMT("node_leave", "DELETE FROM nodes WHERE node_id = $1");

static node_dead_fn dead_cb;

static void on_sweep(void *arg, const struct db_result *r)
{
    struct app *app = arg;
    if (db_result_status(r) != DB_OK) return;
    /* DELETE returns no rows; count via the command tag is not exposed, so the sweep
     * callback simply lets presence republish when asked. */
    if (dead_cb) dead_cb(app, 0);
}

static void on_beat(void *arg, const struct db_result *r)
{
    struct app *app = arg;
    if (db_result_status(r) != DB_OK) {
        log_debug("node: heartbeat failed: %s", db_result_message(r));
        return;
    }
    if (app->stopping) return;
    char secs[16];
    snprintf(secs, sizeof secs, "%d", NODE_DEAD_AFTER_S);
    const char *p[] = {secs};
    db_query(app->db, &q_sweep, 1, p, on_sweep, app);
}

static void beat(uv_timer_t *t)
{
    struct app *app = t->data;
    const char *p[] = {app->cfg->node_id};
    db_query(app->db, &q_beat, 1, p, on_beat, app);
}

void node_start(struct app *app, node_dead_fn on_dead)
{
    dead_cb = on_dead;
    app->heartbeat_timer.data = app;
    uv_timer_start(&app->heartbeat_timer, beat, 0, NODE_HEARTBEAT_MS);
}

static void on_left(void *arg, const struct db_result *r) { (void)arg; (void)r; }

void node_stop(struct app *app)
{
    uv_timer_stop(&app->heartbeat_timer);
    const char *p[] = {app->cfg->node_id};
    db_query(app->db, &q_leave, 1, p, on_left, app);
}
