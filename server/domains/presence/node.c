/* node.c — see node.h. */
#include "domains/presence/node.h"

#include <stdio.h>

#include "core/app.h"
#include "db/db.h"
#include "core/log.h"
#include "domains/presence/presence.h"

/* Upsert, so a node that was reaped during a database outage comes back; xmax = 0 tells
 * that the row was (re)inserted. */
static struct db_stmt q_beat = DB_STMT("node_heartbeat",
    "INSERT INTO nodes (node_id, started_at, heartbeat_at, version) VALUES ($1, now(), now(), 'boothd')"
    " ON CONFLICT (node_id) DO UPDATE SET heartbeat_at = now() RETURNING (xmax = 0)");
/* Reap dead nodes (their presence goes by cascade) and tell every node which booths lost
 * presence. */
static struct db_stmt q_reap = DB_STMT("node_reap",
    "SELECT node_id, pg_notify('boothd_presence', booth_id::text)"
    " FROM node_reap(make_interval(secs => $1))");
static struct db_stmt q_clear_own = DB_STMT("node_clear_presence",
    "WITH d AS (DELETE FROM presence WHERE node_id = $1 RETURNING booth_id),"
    " v AS (UPDATE visits SET left_at = now() WHERE node_id = $1 AND left_at IS NULL)"
    " SELECT pg_notify('boothd_presence', booth_id::text) FROM (SELECT DISTINCT booth_id FROM d) x");
static struct db_stmt q_leave = DB_STMT("node_leave", "DELETE FROM nodes WHERE node_id = $1");

static bool registered;

static void on_reap(void *arg, const struct db_result *r)
{
    (void)arg;
    if (db_result_status(r) != DB_OK) return;
    for (int i = 0; i < db_result_rows(r); i++)
        log_info("node: reaped dead node %s", db_result_value(r, i, 0));
}

static void on_cleared(void *arg, const struct db_result *r)
{
    struct app *app = arg;
    if (db_result_status(r) != DB_OK) return;
    presence_restore_all(app);
}

static void on_beat(void *arg, const struct db_result *r)
{
    struct app *app = arg;
    if (db_result_status(r) != DB_OK) {
        log_debug("node: heartbeat failed: %s", db_result_message(r));
        return;
    }
    bool inserted = db_result_rows(r) == 1 && db_result_bool(r, 0, 0);
    const char *own[] = {app->cfg->node_id};
    if (!registered) {
        registered = true;
        /* rows a previous process with this node id may have left */
        db_query(app->db, &q_clear_own, 1, own, NULL, NULL);
    } else if (inserted || app->presence_stale) {
        if (inserted) log_warn("node: our node row was gone (reaped during an outage?); restoring presence");
        app->presence_stale = false;
        db_query(app->db, &q_clear_own, 1, own, on_cleared, app);
    }
    if (app->stopping) return;
    char secs[16];
    snprintf(secs, sizeof secs, "%d", NODE_DEAD_AFTER_S);
    const char *p[] = {secs};
    db_query(app->db, &q_reap, 1, p, on_reap, app);
}

static void beat(uv_timer_t *t)
{
    struct app *app = t->data;
    const char *p[] = {app->cfg->node_id};
    db_query(app->db, &q_beat, 1, p, on_beat, app);
}

void node_start(struct app *app)
{
    app->heartbeat_timer.data = app;
    uv_timer_start(&app->heartbeat_timer, beat, 0, NODE_HEARTBEAT_MS);
}

void node_stop(struct app *app)
{
    uv_timer_stop(&app->heartbeat_timer);
    const char *p[] = {app->cfg->node_id};
    db_query(app->db, &q_clear_own, 1, p, NULL, NULL);
    db_query(app->db, &q_leave, 1, p, NULL, NULL);
}
