/* app_run.h — runs the process (core/app.h is its state): creates the loop, the db pool, the
 * sessions, the rooms and every domain of the table (core/domain.h), brings the database up
 * (db/bootstrap.h), serves until SIGTERM/SIGINT, and stops in the order app.h describes. */
#ifndef BOOTHD_APP_RUN_H
#define BOOTHD_APP_RUN_H

#include "core/config.h"

/* Runs the server until it stops; returns the process exit code. */
int app_run(struct config *cfg);

#endif
