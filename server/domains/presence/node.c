/* node.c — see node.h. */
#include "domains/presence/node.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/app.h"
#include "core/log.h"
#include "db/db.h"
#include "domains/presence/presence_sql.h"

/* Upsert, so a node that was reaped during a database outage comes back; xmax = 0 tells
 * that the row was (re)inserted. */
/* Urgent: a heartbeat queued behind seconds of client queries would get this node reaped. */
static struct db_stmt q_beat = DB_STMT_URGENT("node_heartbeat",
    "INSERT INTO nodes (node_id, started_at, heartbeat_at, version) VALUES ($1, now(), now(), 'boothd')"
    " ON CONFLICT (node_id) DO UPDATE SET heartbeat_at = now() RETURNING (xmax = 0)");
/* Reap dead nodes (their presence goes by cascade) and tell every node which booths lost
 * presence. */
static struct db_stmt q_reap = DB_STMT("node_reap",
    "SELECT node_id, pg_notify('" PRESENCE_CHANNEL "', booth_id::text)"
    " FROM node_reap(make_interval(secs => $1))");
static struct db_stmt q_clear_own = DB_STMT("node_clear_presence",
    "WITH d AS (DELETE FROM presence WHERE node_id = $1 RETURNING booth_id),"
    " v AS (UPDATE visits SET left_at = now() WHERE node_id = $1 AND left_at IS NULL)"
    " SELECT pg_notify('" PRESENCE_CHANNEL "', booth_id::text) FROM (SELECT DISTINCT booth_id FROM d) x");
static struct db_stmt q_leave = DB_STMT("node_leave", "DELETE FROM nodes WHERE node_id = $1");

struct node {
    struct app *app;
    struct node_presence presence;
    uv_timer_t heartbeat;
    bool registered;            /* the first heartbeat succeeded */
    bool stopping;
};

static void on_reap(void *arg, const struct db_result *r)
{
    (void)arg;
    if (db_result_status(r) != DB_OK) return;
    for (int i = 0; i < db_result_rows(r); i++)
        log_info("node: reaped dead node %s", db_result_value(r, i, 0));
}

static void on_cleared(void *arg, const struct db_result *r)
{
    struct node *n = arg;
    if (db_result_status(r) != DB_OK) return;
    n->presence.restore(n->presence.arg);
}

/* Fire and forget: a failure is retried by the next heartbeat, or does not matter at stop. */
static void query_own(struct node *n, struct db_stmt *st, db_result_fn cb, void *arg)
{
    const char *own[] = {n->app->cfg->node_id};
    if (db_query(n->app->db, st, 1, own, cb, arg))
        log_debug("node: %s not sent (database unavailable)", st->name);
}

static void on_beat(void *arg, const struct db_result *r)
{
    struct node *n = arg;
    if (db_result_status(r) != DB_OK) {
        log_debug("node: heartbeat failed: %s", db_result_message(r));
        return;
    }
    bool inserted = db_result_rows(r) == 1 && db_result_bool(r, 0, 0);
    bool stale = n->presence.take_stale(n->presence.arg);
    if (!n->registered) {
        n->registered = true;
        /* rows a previous process with this node id may have left */
        query_own(n, &q_clear_own, NULL, NULL);
    } else if (inserted || stale) {
        if (inserted) log_warn("node: our node row was gone (reaped during an outage?); restoring presence");
        query_own(n, &q_clear_own, on_cleared, n);
    }
    if (n->stopping) return;
    char secs[16];
    snprintf(secs, sizeof secs, "%d", NODE_DEAD_AFTER_S);
    const char *p[] = {secs};
    if (db_query(n->app->db, &q_reap, 1, p, on_reap, n)) log_debug("node: reap not sent (database unavailable)");
}

static void beat(uv_timer_t *t)
{
    struct node *n = t->data;
    query_own(n, &q_beat, on_beat, n);
}

struct node *node_new(struct app *app, struct node_presence presence)
{
    struct node *n = calloc(1, sizeof *n);
    if (!n) abort();
    n->app = app;
    n->presence = presence;
    uv_timer_init(&app->loop, &n->heartbeat);
    n->heartbeat.data = n;
    return n;
}

static void on_timer_closed(uv_handle_t *h) { free(h->data); }

void node_free(struct node *n) { uv_close((uv_handle_t *)&n->heartbeat, on_timer_closed); }

void node_start(struct node *n) { uv_timer_start(&n->heartbeat, beat, 0, NODE_HEARTBEAT_MS); }

void node_stop(struct node *n)
{
    n->stopping = true;
    uv_timer_stop(&n->heartbeat);
    query_own(n, &q_clear_own, NULL, NULL);
    query_own(n, &q_leave, NULL, NULL);
}
