/* app_run.c — see app_run.h. */
#include "app_run.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/app.h"
#include "core/domain.h"
#include "core/room.h"
#include "util/log.h"
#include "core/session.h"
#include "db/bootstrap.h"
#include "db/db.h"
#include "core/password.h"
#include "net/ws.h"
#include "util/allocator.h"

#define STOP_GRACE_MS 5000
#define STOP_TICK_MS 50

static void print_demo_accounts(struct app *app)
{
    if (!app->cfg->demo) return;
    log_info("demo accounts (password demo1234, demo mode only): organizer@demo.expo; "
             "staff@<booth-slug>.demo.expo for each booth (e.g. staff@haneul-cosmetics.demo.expo); "
             "buyer1@demo.expo .. buyer5@demo.expo");
}

/* ---------- the domain table ---------- */

/* Cross-node events arrive as notifications on the LISTEN connection; each channel belongs
 * to one domain. */
static void on_notify(void *arg, const char *channel, const char *payload, bool own)
{
    struct app *app = arg;
    for (size_t i = 0; i < n_domains; i++) {
        const struct domain *d = domains[i];
        for (int c = 0; c < DOMAIN_MAX_CHANNELS && d->channels[c]; c++)
            if (!strcmp(channel, d->channels[c])) { d->on_notify(app->domain_self[i], channel, payload, own); return; }
    }
}

/* (Re)connected: notifications sent while we were away are lost; catch up from the tables. */
static void on_listen_ready(void *arg)
{
    struct app *app = arg;
    for (size_t i = 0; i < n_domains; i++)
        if (domains[i]->on_listen_ready) domains[i]->on_listen_ready(app->domain_self[i]);
}

static void listen_all(struct app *app)
{
    const char **channels = calloc(n_domains * DOMAIN_MAX_CHANNELS + 1, sizeof *channels);
    if (!channels) abort();
    int n = 0;
    for (size_t i = 0; i < n_domains; i++)
        for (int c = 0; c < DOMAIN_MAX_CHANNELS && domains[i]->channels[c]; c++) channels[n++] = domains[i]->channels[c];
    db_listen(app->db, channels, n, on_notify, on_listen_ready, app);     /* copies the names */
    free(channels);
}

/* A session's transport closed: every domain drops it, then its rooms. */
static void on_session_gone(void *arg, struct session *s)
{
    struct app *app = arg;
    for (size_t i = 0; i < n_domains; i++)
        if (domains[i]->on_session_gone) domains[i]->on_session_gone(app->domain_self[i], s);
    rooms_session_gone(app->rooms, s);
}

/* A domain that LISTENs must handle what it hears. Returns -1 (logged) otherwise. */
static int check_domains(void)
{
    for (size_t i = 0; i < n_domains; i++)
        if (domains[i]->channels[0] && !domains[i]->on_notify) {
            log_error("internal: domain %s listens on %s without on_notify", domains[i]->name, domains[i]->channels[0]);
            return -1;
        }
    return 0;
}

/* A route with the state of its domain, sorted together. */
struct routed { struct route route; void *self; };

static int by_type(const void *a, const void *b)
{
    return strcmp(((const struct routed *)a)->route.type, ((const struct routed *)b)->route.type);
}

/* One sorted table of every domain's routes, with each route's domain state beside it.
 * Returns -1 (logged) when two domains claim a type or a route is incomplete. */
static int build_routes(struct app *app)
{
    size_t n = 0;
    for (size_t i = 0; i < n_domains; i++) n += domains[i]->n_routes;
    struct routed *all = calloc(n ? n : 1, sizeof *all);
    app->routes = calloc(n ? n : 1, sizeof *app->routes);
    app->route_self = calloc(n ? n : 1, sizeof *app->route_self);
    if (!all || !app->routes || !app->route_self) abort();
    for (size_t i = 0; i < n_domains; i++)
        for (size_t k = 0; k < domains[i]->n_routes; k++)
            all[app->n_routes++] = (struct routed){domains[i]->routes[k], app->domain_self[i]};
    qsort(all, n, sizeof *all, by_type);
    for (size_t k = 0; k < n; k++) {
        app->routes[k] = all[k].route;
        app->route_self[k] = all[k].self;
    }
    free(all);
    size_t bad;
    if (dispatch_table_check(app->routes, n, &bad)) {
        log_error("internal: route %zu (%s) is incomplete or claimed twice", bad,
                  app->routes[bad].type ? app->routes[bad].type : "?");
        return -1;
    }
    return 0;
}

/* Every domain's http routes, each with its domain's state, for net/http.c. */
static void collect_http_routes(struct app *app)
{
    size_t n = 0;
    for (size_t i = 0; i < n_domains; i++) n += domains[i]->n_http_routes;
    app->http_routes = calloc(n ? n : 1, sizeof *app->http_routes);
    app->http_route_self = calloc(n ? n : 1, sizeof *app->http_route_self);
    if (!app->http_routes || !app->http_route_self) abort();
    for (size_t i = 0; i < n_domains; i++)
        for (size_t k = 0; k < domains[i]->n_http_routes; k++) {
            app->http_routes[app->n_http_routes] = domains[i]->http_routes[k];
            app->http_route_self[app->n_http_routes++] = app->domain_self[i];
        }
}

static void create_domains(struct app *app)
{
    app->domain_self = calloc(n_domains ? n_domains : 1, sizeof *app->domain_self);
    if (!app->domain_self) abort();
    for (size_t i = 0; i < n_domains; i++)
        app->domain_self[i] = domains[i]->create ? domains[i]->create(app) : NULL;
}

static void destroy_domains(struct app *app)
{
    for (size_t i = n_domains; i-- > 0;)
        if (domains[i]->destroy) domains[i]->destroy(app->domain_self[i]);
}

/* ---------- start and stop ---------- */

static void app_stop(struct app *app);

static void on_database_ready(void *arg, int code)
{
    struct app *app = arg;
    if (code) { app->exit_code = code; app_stop(app); return; }
    if (app->stopping) return;
    for (size_t i = 0; i < n_domains; i++)
        if (domains[i]->start) domains[i]->start(app->domain_self[i]);
    listen_all(app);
    app->ws = ws_server_start(app);
    if (!app->ws || ws_server_failed(app->ws)) { app->exit_code = 1; app_stop(app); return; }
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
    unsigned sessions = sessions_count(app->sessions);
    if ((sessions == 0 && db_pending(app->db) == 0) || grace_over) {
        if (grace_over)
            log_warn("stop: grace period over with %u sessions and %u queries pending",
                     sessions, db_pending(app->db));
        finish_stop(app);
    }
}

static void app_stop(struct app *app)
{
    if (app->stopping) return;
    app->stopping = true;
    log_info("stop: closing %u sessions and finishing in-flight queries", sessions_count(app->sessions));
    if (app->ws) ws_server_refuse_new(app->ws);
    sessions_foreach(app->sessions, close_session, NULL);
    if (app->serving)
        for (size_t i = n_domains; i-- > 0;)
            if (domains[i]->stop) domains[i]->stop(app->domain_self[i]);
    uv_timer_start(&app->stop_timer, on_stop_tick, STOP_TICK_MS, STOP_TICK_MS);
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

static void init_handles(struct app *app)
{
    uv_signal_init(&app->loop, &app->sig_term);
    uv_signal_init(&app->loop, &app->sig_int);
    app->sig_term.data = app->sig_int.data = app;
    uv_signal_start(&app->sig_term, on_signal, SIGTERM);
    uv_signal_start(&app->sig_int, on_signal, SIGINT);
    uv_timer_init(&app->loop, &app->stop_timer);
    app->stop_timer.data = app;
}

/* Teardown order matters with a foreign loop: lws first (its handles close on our loop),
 * then the database (it fails what is still queued, so no result arrives later), then the
 * domains and our own handles, then run the loop dry. */
static void teardown(struct app *app)
{
    ws_server_destroy(app->ws);
    db_close(app->db, on_db_closed, NULL);
    destroy_domains(app);
    uv_close((uv_handle_t *)&app->sig_term, NULL);
    uv_close((uv_handle_t *)&app->sig_int, NULL);
    uv_close((uv_handle_t *)&app->stop_timer, NULL);
    loop_stats_close(&app->loop_stats);
    uv_run(&app->loop, UV_RUN_DEFAULT);
    ws_server_free(app->ws);
    app->ws = NULL;
    uv_run(&app->loop, UV_RUN_DEFAULT);
    if (uv_loop_close(&app->loop) != 0) {
        uv_walk(&app->loop, log_open_handle, NULL);
        log_warn("stop: loop still had handles");
    }
    db_free(app->db);
    rooms_free(app->rooms);
    sessions_free(app->sessions);
    free(app->domain_self);
    free(app->routes);
    free(app->route_self);
    free(app->http_routes);
    free(app->http_route_self);
}

int app_run(struct config *cfg)
{
    struct app *app = calloc(1, sizeof *app);
    if (!app) abort();
    app->cfg = cfg;
    uv_loop_init(&app->loop);
    app->started_ms = uv_now(&app->loop);
    init_handles(app);
    if (loop_stats_start(&app->loop_stats, &app->loop) != 0)
        log_warn("this libuv cannot measure its idle time: boothd_loop_busy_seconds stays empty");

    char app_name[64];
    snprintf(app_name, sizeof app_name, "boothd %.50s", cfg->node_id);
    app->db = db_new(&app->loop, cfg->db, cfg->db_pool, app_name);
    app->sessions = sessions_new(cfg->chat_rate, on_session_gone, app);
    app->rooms = rooms_new();
    create_domains(app);
    collect_http_routes(app);
    if (check_domains() || build_routes(app)) {
        app->exit_code = 1;
    } else {
        log_info("boothd starting: node %s, port %d, database pool %d, allocator %s", cfg->node_id, cfg->port,
                 cfg->db_pool, allocator_name());
        struct bootstrap_opts boot = {.db = app->db, .loop = &app->loop, .demo = cfg->demo,
                                      .stopping = &app->stopping, .hash_password = password_hash,
                                      .done = on_database_ready, .arg = app};
        bootstrap_start(&boot);
        uv_run(&app->loop, UV_RUN_DEFAULT);
    }
    teardown(app);
    int code = app->exit_code;
    log_info("boothd stopped (exit %d)", code);
    free(app);
    return code;
}
