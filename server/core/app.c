/* app.c — see app.h. */
#include "core/app.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/bootstrap.h"
#include "domains/chat/chat_batch.h"
#include "domains/chat/chat_feed.h"
#include "domains/handlers.h"
#include "domains/presence/presence.h"
#include "db/db.h"
#include "core/hub.h"
#include "core/log.h"
#include "domains/presence/node.h"
#include "core/request.h"
#include "core/session.h"
#include "net/ws.h"

#define STOP_GRACE_MS 5000
#define STOP_TICK_MS 50

uint64_t app_now_ms(struct app *app) { return uv_now(&app->loop); }

static void print_demo_accounts(struct app *app)
{
    if (!app->cfg->demo) return;
    log_info("demo accounts (password demo1234, demo mode only): organizer@demo.expo; "
             "staff@<booth-slug>.demo.expo for each booth (e.g. staff@haneul-cosmetics.demo.expo); "
             "buyer1@demo.expo .. buyer5@demo.expo");
}

/* Cross-node events arrive as notifications on the LISTEN connection. */
static void on_notify(void *arg, const char *channel, const char *payload)
{
    struct app *app = arg;
    if (!strcmp(channel, "boothd_chat")) chat_feed_on_notify(payload);
    else if (!strcmp(channel, "boothd_meeting")) meeting_on_notify(app, payload);
    else if (!strcmp(channel, "boothd_presence")) presence_on_notify(payload);
    else if (!strcmp(channel, "boothd_revoke")) auth_on_revoke(payload);
}

/* (Re)connected: notifications sent while we were away are lost; catch up from the tables. */
static void on_listen_ready(void *arg)
{
    (void)arg;
    chat_feed_mark_all();
    presence_mark_all();
}

void app_on_database_ready(struct app *app)
{
    if (app->stopping) return;
    node_start(app);
    static const char *const channels[] = {"boothd_chat", "boothd_presence", "boothd_revoke", "boothd_meeting"};
    db_listen(app->db, channels, 4, on_notify, on_listen_ready, app);
    app->ws = ws_server_start(app);
    if (!app->ws || ws_server_failed(app->ws)) { app_fail(app, 1); return; }
    app->serving = true;
    log_info("boothd %s serving http://localhost:%d (node %s, assets %s)",
             "0.1", app->cfg->port, app->cfg->node_id, app->cfg->assets);
    print_demo_accounts(app);
}

static void close_session(struct session *s, void *arg)
{
    (void)arg;
    session_close(s, 1001, "server shutting down");
}

static void finish_stop(struct app *app)
{
    uv_timer_stop(&app->stop_timer);
    uv_stop(&app->loop);
}

static void on_stop_tick(uv_timer_t *t)
{
    struct app *app = t->data;
    app->stop_ticks++;
    bool grace_over = app->stop_ticks * STOP_TICK_MS >= STOP_GRACE_MS;
    if ((session_count() == 0 && db_pending(app->db) == 0) || grace_over) {
        if (grace_over)
            log_warn("stop: grace period over with %u sessions and %u queries pending",
                     session_count(), db_pending(app->db));
        finish_stop(app);
    }
}

void app_stop(struct app *app)
{
    if (app->stopping) return;
    app->stopping = true;
    log_info("stop: closing %u sessions and finishing in-flight queries", session_count());
    if (app->ws) ws_server_refuse_new(app->ws);
    session_foreach(close_session, NULL);
    if (app->serving) node_stop(app);
    uv_timer_start(&app->stop_timer, on_stop_tick, STOP_TICK_MS, STOP_TICK_MS);
}

void app_fail(struct app *app, int code)
{
    app->exit_code = code;
    app_stop(app);
}

static void on_signal(uv_signal_t *h, int signum)
{
    struct app *app = h->data;
    log_info("received %s", signum == SIGTERM ? "SIGTERM" : "SIGINT");
    app_stop(app);
}

static void on_db_closed(void *arg) { (void)arg; }

static void log_open_handle(uv_handle_t *h, void *arg)
{
    (void)arg;
    if (!uv_is_closing(h)) log_warn("stop: handle of type %s still open", uv_handle_type_name(h->type));
}

int app_run(struct config *cfg)
{
    size_t bad;
    if (dispatch_table_check(routes, n_routes, &bad)) {
        log_error("internal: routing table not sorted or incomplete at entry %zu", bad);
        return 1;
    }
    struct app *app = calloc(1, sizeof *app);
    if (!app) abort();
    app->cfg = cfg;
    uv_loop_init(&app->loop);
    app->started_ms = uv_now(&app->loop);

    uv_signal_init(&app->loop, &app->sig_term);
    uv_signal_init(&app->loop, &app->sig_int);
    app->sig_term.data = app->sig_int.data = app;
    uv_signal_start(&app->sig_term, on_signal, SIGTERM);
    uv_signal_start(&app->sig_int, on_signal, SIGINT);
    uv_timer_init(&app->loop, &app->stop_timer);
    app->stop_timer.data = app;
    uv_timer_init(&app->loop, &app->heartbeat_timer);

    char app_name[64];
    snprintf(app_name, sizeof app_name, "boothd %.50s", cfg->node_id);
    app->db = db_new(&app->loop, cfg->db, cfg->db_pool, app_name);
    app->hub = hub_new();
    presence_init(app);
    chat_feed_init(app);
    chat_batch_init(app);
    log_info("boothd starting: node %s, port %d, database pool %d", cfg->node_id, cfg->port, cfg->db_pool);
    bootstrap_start(app);

    uv_run(&app->loop, UV_RUN_DEFAULT);

    /* Teardown order matters with a foreign loop: lws first (its handles close on our
     * loop), then the database, then our own handles, then run the loop dry. */
    ws_server_destroy(app->ws);
    db_close(app->db, on_db_closed, NULL);
    uv_close((uv_handle_t *)&app->sig_term, NULL);
    uv_close((uv_handle_t *)&app->sig_int, NULL);
    uv_close((uv_handle_t *)&app->stop_timer, NULL);
    uv_close((uv_handle_t *)&app->heartbeat_timer, NULL);
    presence_free();
    chat_feed_free();
    chat_batch_free();
    uv_run(&app->loop, UV_RUN_DEFAULT);
    ws_server_free(app->ws);
    app->ws = NULL;
    uv_run(&app->loop, UV_RUN_DEFAULT);
    if (uv_loop_close(&app->loop) != 0) {
        uv_walk(&app->loop, log_open_handle, NULL);
        log_warn("stop: loop still had handles");
    }
    db_free(app->db);
    hub_free(app->hub);
    int code = app->exit_code;
    log_info("boothd stopped (exit %d)", code);
    free(app);
    return code;
}
