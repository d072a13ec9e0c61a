/* bootstrap.h — bring the database to a state this binary can serve, asynchronously:
 *   1. wait for PostgreSQL (queries fail `unavailable` while it is away: retry with backoff)
 *   2. empty database -> apply the embedded schema.sql (one transaction);
 *      schema_version older than ours -> apply the embedded server/db/migrations/ steps from it
 *      up to ours, one transaction each, in order (safe with several nodes starting at once);
 *      newer than ours, or no step from it -> refuse to start (exit 1);
 *      tables but no schema_version -> refuse (not a boothd database)
 *   3. apply the embedded server/db/functions.sql (CREATE OR REPLACE of every function, one
 *      transaction under the schema's advisory lock): on every start, so an upgraded database
 *      ends with the functions of a fresh one and migrations carry table changes only
 *   4. --demo and no booths -> hash the demo password off-loop, load the embedded demo.sql
 * then calls done(app, 0); or, when it cannot (logged), done(app, exit code). */
#ifndef BOOTHD_BOOTSTRAP_H
#define BOOTHD_BOOTSTRAP_H

struct app;
typedef void (*bootstrap_done_fn)(struct app *app, int code);
void bootstrap_start(struct app *app, bootstrap_done_fn done);

#endif
