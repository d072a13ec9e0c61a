/* app_run.h — runs the process (core/app.h is its state) and walks the domain table
 * (core/domain.h); it names no domain.
 *
 * Start: db pool, sessions, rooms, every domain's create -> bootstrap (schema check/apply,
 *        functions, demo) -> every domain's start (e.g. node registration) -> LISTEN on
 *        every domain's channels -> lws context (listen socket) -> serving.
 * Stop (SIGTERM/SIGINT): stop accepting, close sessions with 1001, every domain's stop,
 *        wait for in-flight queries (bounded), destroy the lws context, close the db, every
 *        domain's destroy, close our handles, run the loop until every handle closed,
 *        uv_loop_close, exit 0. */
#ifndef BOOTHD_APP_RUN_H
#define BOOTHD_APP_RUN_H

#include "core/config.h"

/* Runs the server until it stops; returns the process exit code. */
int app_run(struct config *cfg);

#endif
