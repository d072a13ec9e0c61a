/* app.h — the process: owns the uv loop, the signals, the lws context (through ws.c and
 * http.c), the db pool and the hub; knows the start and stop order.
 *
 * Start: db pool -> bootstrap (schema check/apply, demo) -> node registration ->
 *        LISTEN -> lws context (listen socket) -> serving.
 * Stop (SIGTERM/SIGINT): stop accepting, close sessions with 1001, wait for in-flight
 *        queries (bounded), destroy the lws context, close the db, close our handles,
 *        run the loop until every handle closed, uv_loop_close, exit 0. */
#ifndef BOOTHD_APP_H
#define BOOTHD_APP_H

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "core/config.h"

struct db;
struct hub;
struct ws_server;

struct app {
    uv_loop_t loop;
    struct config *cfg;
    struct db *db;
    struct hub *hub;
    struct ws_server *ws;        /* lws context wrapper; NULL until serving */
    char demo_password_hash[160];
    bool serving;
    bool presence_stale;         /* a presence write failed: reconcile on next heartbeat */
    bool stopping;
    int exit_code;
    uint64_t started_ms;
    uv_signal_t sig_term, sig_int;
    uv_timer_t stop_timer;
    uv_timer_t heartbeat_timer;
    unsigned stop_ticks;
};

/* Runs the server until it stops; returns the process exit code. */
int app_run(struct config *cfg);

/* Milliseconds of the loop clock (monotonic). */
uint64_t app_now_ms(struct app *app);

/* Called by bootstrap when the database is ready: starts serving. */
void app_on_database_ready(struct app *app);
/* Fatal start-up problem: logs already written; stops with exit code `code`. */
void app_fail(struct app *app, int code);
/* Begins the graceful stop (as SIGTERM does). */
void app_stop(struct app *app);

#endif
