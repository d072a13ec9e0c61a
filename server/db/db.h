/* db.h — asynchronous PostgreSQL on the libuv loop. The only module that touches PGconn.
 *
 * A pool of connections, each watched by a uv_poll_t; non-blocking connect
 * (PQconnectStartParams/PQconnectPoll), prepared statements (prepared lazily per
 * connection on first use, so statements may name tables the bootstrap creates later),
 * a FIFO queue when every connection is busy, reconnect with backoff, and one extra
 * connection that only LISTENs. Nothing here blocks the loop.
 *
 * Contract:
 * - db_query()/db_script() copy their parameters; the callback runs exactly once, later
 *   (never from inside the call), unless the call returns non-zero.
 * - A query waiting in the queue longer than DB_QUEUE_TIMEOUT_MS, or whose connection
 *   died, completes with DB_ERR_UNAVAILABLE. A query that reached the server before the
 *   connection died may or may not have committed: callers acknowledge only on DB_OK.
 * - db owns each result: it is valid only during the callback.
 * - Each call is its own transaction (autocommit); multi-step writes are single
 *   statements or plpgsql functions so a batch commits atomically in one round trip. */
#ifndef BOOTHD_DB_H
#define BOOTHD_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#define DB_QUEUE_TIMEOUT_MS 3000
#define DB_QUEUE_MAX 20000
#define DB_MAX_STMTS 256

enum db_status {
    DB_OK = 0,
    DB_ERR_UNAVAILABLE = -1,   /* no connection, or it died during the query */
    DB_ERR_QUERY = -2,         /* the server answered with an error: see sqlstate */
    DB_ERR_QUEUE_FULL = -3,
    DB_ERR_CLOSED = -4,        /* the pool is shutting down */
};
const char *db_status_str(enum db_status s);

/* A prepared statement. Define them statically next to the code that uses them:
 *   static struct db_stmt q_booth = DB_STMT("booth_get", "SELECT ... WHERE id = $1");
 * `slot` is assigned on first use (the per-connection "is prepared" bit). */
struct db_stmt {
    const char *name;
    const char *sql;
    int slot;
    bool urgent;    /* queued ahead of the others and never refused as "queue full" (see below) */
    bool generic;   /* run with its generic plan (DB_STMT_GENERIC) */
};
#define DB_STMT(n, s) { .name = (n), .sql = (s), .slot = -1 }
/* A statement that must not wait behind clients' queries: the node's heartbeat. Under overload
 * the queue holds seconds of work; a heartbeat waiting there makes the other nodes take this one
 * for dead and delete its presence. Use only for small statements issued a few times a minute. */
#define DB_STMT_URGENT(n, s) { .name = (n), .sql = (s), .slot = -1, .urgent = true }
/* A statement whose plan must not depend on its parameters' values: each connection plans it
 * once (again when DB_GENERIC_PLAN_MAX_MS old) and runs that generic plan on every call. For
 * batch statements whose parameters are arrays: PostgreSQL guesses 10 elements for an array it
 * cannot see, so the generic plan always looked dearer than a custom one for a batch of 2, and
 * each call was planned anew (auth_resume: 0.3 ms of planning against 0.07 ms of execution,
 * issue 15). Write such a statement so that its plan is right for every batch (index probes per
 * element, not joins chosen on a row estimate). How: the connection runs it under
 * `SET plan_cache_mode = force_generic_plan` and resets the setting before any other query; each
 * switch costs one round trip (boothd_db_plan_setting_round_trips_total), and a query goes to an
 * idle connection already in its mode when there is one. */
#define DB_STMT_GENERIC(n, s) { .name = (n), .sql = (s), .slot = -1, .generic = true }
/* A DB_STMT_GENERIC statement's plan is made again once it is this old: a generic plan made
 * while a table was small (a node's first joins) would otherwise read it whole for as long as
 * the connection lives, or until the next ANALYZE. */
#define DB_GENERIC_PLAN_MAX_MS 10000

struct db;
struct db_result;
typedef void (*db_result_fn)(void *arg, const struct db_result *res);
/* own: the notification was sent by a transaction of one of this pool's own query connections
 * (PostgreSQL names the sending server process; the pool knows its connections' ones). Its
 * sender gets the query's result too, so it may skip work the notification would trigger. Behind
 * a pooler that reports made-up process ids (PgBouncer in session mode), own is false, except if
 * a made-up id happens to equal a real server process's id (about one chance in 10^8 per
 * connection): the chat feed would then miss another node's commit until the booth's next. */
typedef void (*db_notify_fn)(void *arg, const char *channel, const char *payload, bool own);
typedef void (*db_listen_ready_fn)(void *arg);
typedef void (*db_closed_fn)(void *arg);

/* Creates the pool and starts connecting; returns NULL on bad arguments. conninfo is a
 * libpq connection string or URI ("" = libpq defaults). */
struct db *db_new(uv_loop_t *loop, const char *conninfo, int pool_size, const char *app_name);

/* Runs a prepared statement with text parameters (NULL element = SQL NULL).
 * Returns 0, or DB_ERR_QUEUE_FULL / DB_ERR_CLOSED (then cb never runs): the caller must
 * handle that (answer its request, free its context), hence warn_unused_result. */
int db_query(struct db *db, struct db_stmt *st, int nparams, const char *const *params,
             db_result_fn cb, void *arg) __attribute__((warn_unused_result));

/* Like db_query, with one more parameter $(nparams+1) sent in binary format: blob_len raw
 * bytes for a bytea (no escaping, no hex doubling). Takes ownership of the malloc'ed blob in
 * every case (freed after the query, or at once when the call fails). */
int db_query_blob(struct db *db, struct db_stmt *st, int nparams, const char *const *params,
                  char *blob, size_t blob_len, db_result_fn cb, void *arg) __attribute__((warn_unused_result));

/* Like db_query, but every column of the result arrives in binary format: a bytea is its raw
 * bytes (db_result_length tells how many), a text column is its UTF-8 text. Other types
 * arrive in PostgreSQL's binary encoding, so cast every non-bytea column to text. */
int db_query_binary(struct db *db, struct db_stmt *st, int nparams, const char *const *params,
                    db_result_fn cb, void *arg) __attribute__((warn_unused_result));

/* Runs a static multi-statement script (simple query protocol, one implicit transaction).
 * Only for SQL written in this repository, never for client input. When setting_name is
 * given, the transaction first runs set_config(setting_name, setting_value, true) with
 * the value quoted by libpq, so the script can read it with current_setting(). */
int db_script(struct db *db, const char *sql, const char *setting_name, const char *setting_value,
              db_result_fn cb, void *arg) __attribute__((warn_unused_result));

/* Opens the dedicated LISTEN connection for the given channels (static identifiers).
 * on_ready runs after every (re)connect once LISTEN is in effect: notifications sent
 * while it was down are lost, so the caller catches up from the tables there. */
void db_listen(struct db *db, const char *const *channels, int n, db_notify_fn on_notify,
               db_listen_ready_fn on_ready, void *arg);

bool db_is_up(const struct db *db);           /* at least one query connection is usable */
unsigned db_pending(const struct db *db);     /* queued + in flight */
/* For /metrics: query connections up, of which running a query, and queries waiting. */
void db_counts(const struct db *db, unsigned *up, unsigned *busy, unsigned *queued);

/* Fails queued queries with DB_ERR_CLOSED, closes connections and handles; on_closed runs
 * when every handle is closed. In-flight queries still complete first if the caller
 * waits for db_pending() == 0 before calling this. */
void db_close(struct db *db, db_closed_fn on_closed, void *arg);
void db_free(struct db *db);                  /* after on_closed */

/* Result accessors, valid during the callback. */
enum db_status db_result_status(const struct db_result *r);
const char *db_result_sqlstate(const struct db_result *r);   /* "" when none */
const char *db_result_message(const struct db_result *r);    /* "" when none */
int db_result_rows(const struct db_result *r);
int db_result_cols(const struct db_result *r);
/* The index of the column named `name` (its SQL alias), or -1. Look each one up once per
 * result, not per row. */
int db_result_col(const struct db_result *r, const char *name);
bool db_result_isnull(const struct db_result *r, int row, int col);
const char *db_result_value(const struct db_result *r, int row, int col);  /* "" for NULL */
int64_t db_result_int64(const struct db_result *r, int row, int col);
bool db_result_bool(const struct db_result *r, int row, int col);
/* For a statement that carries a batch of n elements and returns column `col` = an element's
 * 0-based index: the first row of each element 0..n-1, -1 for an element without a row (rows
 * whose index is NULL or out of range are skipped). malloc'ed; the caller frees it. */
int *db_result_rows_by_index(const struct db_result *r, int col, size_t n);
/* The value's length in bytes (for binary results, where values may hold NUL bytes). */
size_t db_result_length(const struct db_result *r, int row, int col);

/* Keeping a result past its callback: db_result_keep (during the callback of a DB_OK result)
 * takes the result out of db's hands, so its values can be read (and streamed) later without
 * a copy; the caller frees it with db_kept_free. Returns NULL when there is no result. */
struct db_kept;
struct db_kept *db_result_keep(const struct db_result *r);
const char *db_kept_value(const struct db_kept *k, int row, int col);
size_t db_kept_length(const struct db_kept *k, int row, int col);
void db_kept_free(struct db_kept *k);

#endif
