/* rollup.h — keeps the booth analytics rollup moving (SQL function visit_rollup() in
 * server/db/functions.sql; tables in schema.sql, "booth analytics rollup").
 *
 * Every node tries; the database decides: visit_rollup() takes an advisory lock (a node that
 * finds it taken gets -1 and does nothing) and works for about two seconds per call, booths
 * furthest behind first. While it answers that booths are still behind, the node calls again
 * after ROLLUP_BUSY_MS; otherwise every ROLLUP_EVERY_MS, so a completed hour is folded about
 * a minute after the horizon passes it. Nothing here touches the join path: the rollup only
 * reads `visits`. A failed call (database away) is simply tried again at the next tick. */
#ifndef BOOTHD_ANALYTICS_ROLLUP_H
#define BOOTHD_ANALYTICS_ROLLUP_H

#define ROLLUP_FIRST_MS 1000
#define ROLLUP_BUSY_MS 1000
#define ROLLUP_EVERY_MS 60000

struct app;
struct rollup;

struct rollup *rollup_new(struct app *app);
/* The node begins serving: the first call after ROLLUP_FIRST_MS. */
void rollup_start(struct rollup *ro);
/* Graceful stop: no further calls. */
void rollup_stop(struct rollup *ro);
/* Closes the timer; freed when it has closed. A call in flight completes (DB_ERR_CLOSED)
 * before the database pool is freed, which is before the domains are destroyed. */
void rollup_free(struct rollup *ro);

#endif
