/* harness.h — runs real PostgreSQL clusters and real boothd processes for one test.
 *
 * A test executable holds a table of named tests; ctest runs it once per test name
 * (`it_server ping`), so every test gets its own work directory, its own cluster and
 * its own boothd processes, and nothing is shared between tests.
 *
 * Everything the harness starts is registered and torn down when the process ends, however
 * it ends: normal return, a failed check (it_fail), the watchdog alarm (set a bit below the
 * ctest TIMEOUT), SIGINT/SIGTERM, or a crash. boothd children also get PR_SET_PDEATHSIG so
 * that even a SIGKILLed test leaves no server behind. PostgreSQL is started through
 * scripts/pg-cluster and stopped with `pg-cluster destroy`.
 *
 * Timeouts: every duration a test waits for passes through it_ms(), which multiplies by the
 * scale (BOOTHD_TEST_SCALE, default 3 when built with ASan, else 1) because a sanitized
 * boothd is several times slower.
 *
 * Environment read: BOOTHD_BIN (the server binary, also argv[2]), BOOTHD_SOURCE_DIR (repo
 * root: scripts/pg-cluster, booth-assets), BOOTHD_TEST_SCALE, BOOTHD_TEST_LOG_LEVEL
 * (boothd --log-level, default info), IT_KEEP=1 (keep the work directory and cluster).
 * BOOTHD_* and DATABASE_URL are removed from the environment so children only see flags.
 */
#ifndef IT_HARNESS_H
#define IT_HARNESS_H

#include <stddef.h>
#include <sys/types.h>

#include "check.h"

/* ---- test table and main ----------------------------------------------------------------- */

struct it_test {
    const char *name;
    void (*fn)(void);
    int timeout_s;    /* unscaled; the watchdog fires after it_ms(timeout_s * 1000) */
};

/* argv[1]: test name (or --list); argv[2] (optional): boothd binary. Returns the exit
 * status for main(). */
int it_main(int argc, char **argv, const struct it_test *tests);

extern const char *it_boothd_bin;   /* absolute path of boothd */
extern const char *it_source_dir;   /* repo root */
extern const char *it_workdir;      /* this test's scratch directory (removed at exit) */
extern double it_scale;

int it_ms(int base_ms);             /* base_ms * scale */
double it_now(void);                /* monotonic seconds since the test started */
void it_sleep_ms(int ms);
void it_log(const char *fmt, ...) IT_PRINTF(1, 2);

/* ---- PostgreSQL -------------------------------------------------------------------------- */

struct pg_cluster {
    char dir[512];
    char url[256];
    int running;
};

void pg_start(struct pg_cluster *c);      /* first start: initdb, db boothd; checks success */
void pg_stop(struct pg_cluster *c);       /* fast shutdown; checks success */
void pg_start_again(struct pg_cluster *c);/* start after pg_stop, same port (checked) */
void pg_destroy(struct pg_cluster *c);    /* stop + remove; also done at exit */

/* Runs one SQL string with psql against url. Returns psql's exit status; *out (if not
 * NULL) receives stdout (unaligned, tuples only, '|' separated, trailing newline removed;
 * free it). stderr goes into the test's output. */
int psql_run(const char *url, const char *sql, char **out);
/* Like psql_run but fails the test unless psql exits 0. Returns stdout (free it). */
char *psql_ok(const char *url, const char *sql);
/* The single value of a query returning one row and one column, as a long. */
long psql_long(const char *url, const char *sql);

/* ---- boothd ------------------------------------------------------------------------------ */

struct boothd {
    pid_t pid;              /* 0 when not running */
    int port;
    char node_id[64];
    char log_path[600];
    int exited;
    int wait_status;        /* raw status from waitpid once exited */
};

struct boothd_opts {
    const char *db_url;             /* --db (NULL: not passed) */
    const char *node_id;            /* --node-id (NULL: generated "it-<n>"; "" : not passed) */
    int demo;                       /* --demo */
    int port;                       /* 0: pick a free one */
    const char *const *extra_args;  /* more flags, NULL-terminated (may be NULL) */
};

/* Spawns boothd (stdout+stderr to b->log_path) and does not wait for readiness. */
void boothd_spawn(struct boothd *b, const struct boothd_opts *o);
/* Spawns and waits until GET /healthz answers 200; fails the test (with the log) if it
 * exits or is not ready within it_ms(timeout_ms). */
void boothd_start(struct boothd *b, const struct boothd_opts *o, int timeout_ms);
/* Starts cluster pg and 1 or 2 boothd with the demo expo on it: node-a in *a, node-b in *b
 * (b unused when nodes == 1). */
void it_demo_up(struct pg_cluster *pg, struct boothd *a, struct boothd *b, int nodes);
/* The same with more boothd flags for both nodes (NULL-terminated, may be NULL). */
void it_demo_up_with(struct pg_cluster *pg, struct boothd *a, struct boothd *b, int nodes,
                     const char *const *extra_args);
/* Polls /healthz. Returns 0 when 200, -1 if the process exited, -2 on timeout. */
int boothd_wait_ready(struct boothd *b, int timeout_ms);
/* Returns 1 once exited (status in b->wait_status), 0 if still running after timeout_ms. */
int boothd_wait_exit(struct boothd *b, int timeout_ms);
void boothd_signal(struct boothd *b, int sig);
/* SIGKILL and reap. */
void boothd_kill9(struct boothd *b);
/* SIGTERM, wait, SIGKILL if it does not exit within it_ms(10000). Returns the wait status. */
int boothd_stop(struct boothd *b);
/* The whole log so far (free it). */
char *boothd_log(const struct boothd *b);
/* Describes a wait status: "exit 0", "signal 9". Static buffer. */
const char *it_status_str(int wait_status);

/* Runs boothd with argv (argv[0] ignored: the binary is used) to completion, stdout and
 * stderr captured separately. Returns the raw wait status; fails the test on timeout. */
int it_run_boothd(const char *const *args, int timeout_ms, char **out, char **err);

/* A free TCP port (bind test on 0.0.0.0), from a range no ephemeral port or pg-cluster uses. */
int it_free_port(void);

/* ---- other programs (nginx) ------------------------------------------------------------- */

/* Spawns argv[0] (searched in PATH) with argv in a process group of its own, stdin from
 * /dev/null, stdout and stderr appended to log_path. Registered like boothd: a failed test
 * shows the log's tail under `title`, and the end of the test (however it ends) kills the
 * whole group, so a master's worker processes go too. Returns the pid. */
pid_t it_spawn(const char *title, char *const argv[], const char *log_path);
/* Sends sig to the group, waits up to it_ms(timeout_ms) for pid to exit, then SIGKILLs
 * the group. Returns the wait status, or -1 when it had to be killed. */
int it_spawn_stop(pid_t pid, int sig, int timeout_ms);
/* Spawns psql on url running sql (one -c, so one implicit transaction unless sql says BEGIN)
 * as application_name app_name, logged to <workdir>/<app_name>.log: a session that holds a
 * lock or an open transaction while the test does something else. Stop it with
 * it_spawn_stop() after pg_cancel_backend()/pg_terminate_backend() by that name. */
pid_t it_psql_hold(const char *url, const char *app_name, const char *sql);

/* ---- HTTP -------------------------------------------------------------------------------- */

struct http_resp {
    int status;             /* 0 if no (complete) status line arrived */
    char *head;             /* response head (status line + headers), NUL-terminated */
    char *body;             /* NUL-terminated; body_len excludes the NUL */
    size_t body_len;
};

/* GET with Connection: close. Returns the status or a negative value on connect/timeout
 * failure (then r->status is 0). Free with http_resp_free. */
int http_get(int port, const char *path, int timeout_ms, struct http_resp *r);
/* Sends req[0..req_len) as it is (a whole request, or only part of one) on a new connection,
 * optionally shuts the sending side (half_close: the server sees the end of the input), then
 * reads one response as http_get does. A server that answers before taking everything is
 * read too. Same returns as http_get. */
int http_request(int port, const void *req, size_t req_len, int half_close, int timeout_ms, struct http_resp *r);
/* The same with extra request headers, each ending in CRLF (e.g. "Authorization: Bearer x\r\n"). */
int http_get_with(int port, const char *path, const char *extra_headers, int timeout_ms, struct http_resp *r);
void http_resp_free(struct http_resp *r);
/* GET path with "Authorization: <auth>" (NULL: no header), Connection: close; reads a
 * Content-Length or chunked body. Returns the status, or a negative value on failure. Free with
 * http_resp_free. */
int http_get_auth(int port, const char *path, const char *auth, struct http_resp *r);
/* Value of a response header (case-insensitive name) into out; returns 1 if present. */
int http_header(const struct http_resp *r, const char *name, char *out, size_t outlen);

/* A metric of the node on port (from its /metrics): the sum of its series whose labels
 * contain `contains` ("": all of them). Fails the test if /metrics cannot be read or parsed. */
double it_metric(int port, const char *name, const char *contains);
/* How many times the node on port ran the prepared statement `name` (0 if never). */
long it_statement_runs(int port, const char *name);

/* ---- misc -------------------------------------------------------------------------------- */

char *it_read_file(const char *path);      /* whole file or NULL */
int it_count_lines(const char *s);         /* non-empty lines */
int it_schema_version(void);               /* the boothd-schema-version line of schema.sql */

#endif
