/* node.c — see node.h. */
#include "domains/presence/node.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/app.h"
#include "db/db.h"
#include "domains/presence/presence_sql.h"
#include "util/log.h"

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
    bool restore_after_clear;   /* the clear waiting or running was asked for by a lost row */
};

static void on_reap(void *arg, const struct db_result *r)
{
    (void)arg;
    if (db_result_status(r) != DB_OK) return;
    for (int i = 0; i < db_result_rows(r); i++)
        log_info("node: reaped dead node %s", db_result_value(r, i, 0));
}

/* Fire and forget: a failure is retried by the next heartbeat, or does not matter at stop.
 * Returns false when the query could not be sent (its callback will not run). */
static bool query_own(struct node *n, struct db_stmt *st, db_result_fn cb, void *arg)
{
    const char *own[] = {n->app->cfg->node_id};
    if (!db_query(n->app->db, st, 1, own, cb, arg)) return true;
    log_debug("node: %s not sent (database unavailable)", st->name);
    return false;
}

/* The clear runs alone (struct node_presence.exclusive); restore after it when asked. */
static void on_cleared(void *arg, const struct db_result *r)
{
    struct node *n = arg;
    n->presence.exclusive_done(n->presence.arg);
    if (db_result_status(r) != DB_OK || !n->restore_after_clear || n->stopping) return;
    n->restore_after_clear = false;
    n->presence.restore(n->presence.arg);
}

static void clear_now(void *arg)
{
    struct node *n = arg;
    if (!query_own(n, &q_clear_own, on_cleared, n)) n->presence.exclusive_done(n->presence.arg);
}

static void clear_own(struct node *n, bool restore)
{
    n->restore_after_clear |= restore;
    n->presence.exclusive(n->presence.arg, false, clear_now, n);
}

/* The last statements of a stopping node: its presence and visits, then its row. */
static void clear_and_leave(void *arg)
{
    struct node *n = arg;
    query_own(n, &q_clear_own, NULL, NULL);
    query_own(n, &q_leave, NULL, NULL);
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
        clear_own(n, false);
    } else if (inserted || stale) {
        if (inserted) log_warn("node: our node row was gone (reaped during an outage?); restoring presence");
        clear_own(n, true);
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
    n->presence.exclusive(n->presence.arg, true, clear_and_leave, n);
}
