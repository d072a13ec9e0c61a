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
 * then calls done(arg, 0); or, when it cannot (logged), done(arg, exit code). */
#ifndef BOOTHD_BOOTSTRAP_H
#define BOOTHD_BOOTSTRAP_H

#include <stdbool.h>
#include <uv.h>

struct db;

struct bootstrap_opts {
    struct db *db;
    uv_loop_t *loop;
    bool demo;                  /* load the demo expo into a database without booths */
    const bool *stopping;       /* read before each step: the process began to stop */
    /* Hashes the demo password off the loop (the auth domain's password_hash). */
    void (*hash_password)(uv_loop_t *loop, const char *password,
                          void (*cb)(void *arg, const char *encoded), void *arg);
    void (*done)(void *arg, int code);
    void *arg;
};

/* Copies o; the pointers in it must outlive the bootstrap. */
void bootstrap_start(const struct bootstrap_opts *o);

#endif
