/* db.c — see db.h.
 *
 * Each connection is a small state machine:
 *   DOWN --timer--> CONNECTING --PQconnectPoll OK--> IDLE <--> BUSY
 *     ^                 |                             |        |
 *     +---- failure ----+------ connection lost ------+--------+
 * BUSY has two stages: PREPARE (PQsendPrepare for a statement this connection has not
 * prepared yet) then EXEC. The uv_poll_t is recreated whenever PQsocket changes (it can
 * during connect) and always stopped before PQfinish closes the socket. */
#include "db/db.h"

#include "util/metrics.h"

#include <libpq-fe.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"

/* The longest wait between two connection attempts (plus up to a quarter of jitter). */
#define DB_RETRY_MAX_MS 400

enum conn_state { C_DOWN, C_CONNECTING, C_IDLE, C_BUSY };
enum busy_stage { S_NONE, S_PREPARE, S_PLAN_MODE, S_EXEC, S_LISTEN };

struct db_query {
    struct db_query *next;
    struct db_stmt *st;          /* prepared statement, or NULL for a script */
    char *script;                /* owned */
    char *setting_name, *setting_value;
    int nparams;
    char **params;               /* owned, one block */
    char *blob;                  /* owned: the binary last parameter of db_query_blob, or NULL */
    size_t blob_len;
    bool binary_result;          /* results in binary format (db_query_binary) */
    db_result_fn cb;
    void *arg;
    uint64_t enqueued_ms;
    uint64_t enqueued_ns;        /* uv_hrtime(), for the query duration metric */
};

struct db_conn {
    struct db *db;
    int index;
    bool listener;
    enum conn_state state;
    enum busy_stage stage;
    PGconn *pg;
    uv_poll_t *poll;             /* heap: freed in its close callback */
    int poll_fd;
    int poll_events;
    uv_timer_t timer;            /* reconnect backoff and connect timeout */
    unsigned backoff_ms;
    unsigned failed_attempts;    /* since the last successful connect (for the log) */
    struct db_query *q;          /* in flight */
    PGresult *result;            /* kept result of the in-flight query */
    PGresult *error;             /* first error result */
    unsigned char prepared[DB_MAX_STMTS / 8];
    bool generic_mode;           /* the session runs under plan_cache_mode = force_generic_plan */
    uint64_t plans_since_ms;     /* when the session's cached plans were last discarded (or it began) */
    bool was_up;
    int backend_pid;             /* of the server process while connected, else 0 */
};

struct db {
    uv_loop_t *loop;
    char *conninfo;
    char *app_name;
    int n;
    struct db_conn *conns;       /* n query connections */
    struct db_conn *listen;      /* NULL until db_listen */
    char *listen_sql;
    db_notify_fn on_notify;
    db_listen_ready_fn on_listen_ready;
    void *listen_arg;
    struct db_query *head, *tail;
    unsigned queued, inflight;
    uv_timer_t queue_timer;
    int up;                      /* query connections in IDLE/BUSY */
    bool closing;
    int open_handles;
    db_closed_fn on_closed;
    void *closed_arg;
};

struct db_result {
    enum db_status status;
    const PGresult *pg;
    const char *message;
    PGresult **owner;            /* where db keeps pg (cleared by db_result_keep), or NULL */
};

/* A result taken out of db's hands by db_result_keep. */
struct db_kept {
    PGresult *pg;
};

static int next_slot;

const char *db_status_str(enum db_status s)
{
    switch (s) {
    case DB_OK: return "ok";
    case DB_ERR_UNAVAILABLE: return "database unavailable";
    case DB_ERR_QUERY: return "query failed";
    case DB_ERR_QUEUE_FULL: return "database queue full";
    case DB_ERR_CLOSED: return "database closed";
    }
    return "?";
}

static void conn_connect(struct db_conn *c);
static void on_retry_timer(uv_timer_t *t) { conn_connect(t->data); }
static void conn_start_next(struct db_conn *c);
static void on_poll(uv_poll_t *p, int status, int events);
static void pump(struct db *db);
static bool is_own_backend(const struct db *db, int pid);

/* ---------- handles ---------- */

static void on_handle_closed(uv_handle_t *h)
{
    struct db *db = h->data;
    if (h->type == UV_POLL) free(h);
    if (--db->open_handles == 0 && db->closing && db->on_closed) db->on_closed(db->closed_arg);
}

static void unwatch(struct db_conn *c)
{
    if (!c->poll) return;
    uv_poll_stop(c->poll);
    c->poll->data = c->db;
    uv_close((uv_handle_t *)c->poll, on_handle_closed);
    c->poll = NULL;
    c->poll_fd = -1;
}

static void watch(struct db_conn *c, int events)
{
    int fd = PQsocket(c->pg);
    if (fd < 0) return;
    if (c->poll && c->poll_fd != fd) unwatch(c);
    if (!c->poll) {
        c->poll = malloc(sizeof *c->poll);
        if (!c->poll) abort();
        uv_poll_init(c->db->loop, c->poll, fd);
        c->db->open_handles++;
        c->poll_fd = fd;
        c->poll_events = 0;
    }
    c->poll->data = c;
    if (events != c->poll_events) {
        uv_poll_start(c->poll, events, on_poll);
        c->poll_events = events;
    }
}

static uint64_t now_ms(struct db *db) { return uv_now(db->loop); }

/* ---------- queries ---------- */

static void query_free(struct db_query *q)
{
    free(q->script);
    free(q->setting_name);
    free(q->setting_value);
    free(q->params);
    free(q->blob);
    free(q);
}

static void query_finish(struct db_query *q, enum db_status st, PGresult **res, const char *msg)
{
    struct db_result r = {.status = st, .pg = res ? *res : NULL, .message = msg, .owner = st == DB_OK ? res : NULL};
    if (q->st) metrics_db_query(q->st->name, (double)(uv_hrtime() - q->enqueued_ns) / 1e9);
    if (q->cb) q->cb(q->arg, &r);
    query_free(q);
}

static void enqueue(struct db *db, struct db_query *q)
{
    q->enqueued_ms = now_ms(db);
    q->enqueued_ns = uv_hrtime();
    if (q->st && q->st->urgent) {   /* ahead of every non-urgent query, behind earlier urgent ones */
        struct db_query **at = &db->head;
        while (*at && (*at)->st && (*at)->st->urgent) at = &(*at)->next;
        q->next = *at;
        *at = q;
        if (!q->next) db->tail = q;
    } else {
        if (db->tail) db->tail->next = q; else db->head = q;
        db->tail = q;
    }
    db->queued++;
}

static struct db_query *dequeue(struct db *db)
{
    struct db_query *q = db->head;
    if (!q) return NULL;
    db->head = q->next;
    if (!db->head) db->tail = NULL;
    q->next = NULL;
    db->queued--;
    return q;
}

static void clear_results(struct db_conn *c)
{
    if (c->result) PQclear(c->result);
    if (c->error) PQclear(c->error);
    c->result = c->error = NULL;
}

/* The connection died or could not connect: fail what it held, schedule a reconnect. */
static void conn_broken(struct db_conn *c, const char *why)
{
    struct db *db = c->db;
    char msg[512];
    snprintf(msg, sizeof msg, "%s", why && *why ? why : (c->pg ? PQerrorMessage(c->pg) : "connection failed"));
    size_t l = strlen(msg);
    while (l && (msg[l - 1] == '\n' || msg[l - 1] == ' ')) msg[--l] = 0;

    if (c->state == C_IDLE || c->state == C_BUSY) {
        if (!c->listener && --db->up == 0)
            log_warn("db: lost the database (%s); reconnecting", msg);
        else if (c->listener)
            log_warn("db: LISTEN connection lost (%s); reconnecting", msg);
    } else if (c->backoff_ms == 0 || c->failed_attempts % 20 == 0) {   /* about every 8 s */
        if (c->index == 0 || c->listener)
            log_warn("db: cannot reach PostgreSQL (%s); retrying", msg);
    }
    unwatch(c);
    struct db_query *q = c->q;
    c->q = NULL;
    c->stage = S_NONE;
    clear_results(c);
    if (c->pg) { PQfinish(c->pg); c->pg = NULL; }
    c->state = C_DOWN;
    c->backend_pid = 0;
    memset(c->prepared, 0, sizeof c->prepared);
    c->generic_mode = false;     /* a new session starts with the server's setting */
    if (q) {
        db->inflight--;
        query_finish(q, DB_ERR_UNAVAILABLE, NULL, "database connection lost");
    }
    if (db->closing) return;
    /* Retry soon: a refused connection costs next to nothing, and clients wait for the
     * database to come back (reconnecting within 0.5 s of its return; the backoff once
     * grew to 5 s and the first queries after an outage waited for it). */
    c->backoff_ms = c->backoff_ms ? c->backoff_ms * 2 : 100;
    if (c->backoff_ms > DB_RETRY_MAX_MS) c->backoff_ms = DB_RETRY_MAX_MS;
    c->failed_attempts++;
    unsigned jitter = (unsigned)(rand() % (int)(c->backoff_ms / 4 + 1));
    c->timer.data = c;
    uv_timer_start(&c->timer, on_retry_timer, c->backoff_ms + jitter, 0);
}

static void flush_and_watch(struct db_conn *c)
{
    int r = PQflush(c->pg);
    if (r < 0) { conn_broken(c, NULL); return; }
    watch(c, r == 1 ? (UV_READABLE | UV_WRITABLE) : UV_READABLE);
}

static bool is_prepared(struct db_conn *c, int slot)
{
    return c->prepared[slot / 8] & (1u << (slot % 8));
}

/* Text parameters, and for db_query_blob one more in binary format (no escaping, no hex
 * doubling: the bytes go to the server as they are). */
static int send_prepared(struct db_conn *c, const struct db_query *q)
{
    if (!q->blob)
        return PQsendQueryPrepared(c->pg, q->st->name, q->nparams, (const char *const *)q->params, NULL, NULL,
                                   q->binary_result);
    int n = q->nparams + 1;
    const char **values = calloc((size_t)n, sizeof *values);
    int *lengths = calloc((size_t)n, sizeof *lengths);
    int *formats = calloc((size_t)n, sizeof *formats);
    if (!values || !lengths || !formats) abort();
    for (int i = 0; i < q->nparams; i++) values[i] = q->params[i];
    values[q->nparams] = q->blob;
    lengths[q->nparams] = (int)q->blob_len;
    formats[q->nparams] = 1;
    int ok = PQsendQueryPrepared(c->pg, q->st->name, n, values, lengths, formats, q->binary_result);
    free(values);
    free(lengths);
    free(formats);
    return ok;
}

static bool wants_generic(const struct db_query *q) { return q->st && q->st->generic; }

/* The connection's cached plans are old enough to be made again (DB_GENERIC_PLAN_MAX_MS). */
static bool plans_stale(const struct db_conn *c)
{
    return now_ms(c->db) - c->plans_since_ms >= DB_GENERIC_PLAN_MAX_MS;
}

static void send_current(struct db_conn *c)
{
    struct db_query *q = c->q;
    int ok;
    /* Anything but a DB_STMT_GENERIC statement runs with the server's own plan_cache_mode:
     * scripts too, as the plpgsql functions they call cache plans by the same rule. */
    bool want_generic = wants_generic(q);
    bool stale = want_generic && plans_stale(c);
    if (want_generic != c->generic_mode || stale) {
        c->stage = S_PLAN_MODE;
        metrics_db_plan_setting();
        ok = PQsendQuery(c->pg, !want_generic ? "RESET plan_cache_mode"
                                : !stale ? "SET plan_cache_mode = force_generic_plan"
                                : c->generic_mode ? "DISCARD PLANS"
                                : "DISCARD PLANS; SET plan_cache_mode = force_generic_plan");
    } else if (q->st) {
        if (!is_prepared(c, q->st->slot)) {
            c->stage = S_PREPARE;
            ok = PQsendPrepare(c->pg, q->st->name, q->st->sql, 0, NULL);
        } else {
            c->stage = S_EXEC;
            ok = send_prepared(c, q);
        }
    } else {
        c->stage = S_EXEC;
        char *sql = q->script;
        char *built = NULL;
        if (q->setting_name) {
            char *lit_n = PQescapeLiteral(c->pg, q->setting_name, strlen(q->setting_name));
            char *lit_v = PQescapeLiteral(c->pg, q->setting_value, strlen(q->setting_value));
            if (!lit_n || !lit_v) { PQfreemem(lit_n); PQfreemem(lit_v); conn_broken(c, NULL); return; }
            size_t len = strlen(lit_n) + strlen(lit_v) + strlen(q->script) + 64;
            built = malloc(len);
            if (!built) abort();
            snprintf(built, len, "SELECT set_config(%s, %s, true);\n%s", lit_n, lit_v, q->script);
            PQfreemem(lit_n);
            PQfreemem(lit_v);
            sql = built;
        }
        ok = PQsendQuery(c->pg, sql);
        free(built);
    }
    if (!ok) { conn_broken(c, NULL); return; }
    flush_and_watch(c);
}

/* An idle query connection already in plan mode `generic`, or NULL. */
static struct db_conn *idle_in_mode(struct db *db, bool generic)
{
    for (int i = 0; i < db->n; i++)
        if (db->conns[i].state == C_IDLE && db->conns[i].generic_mode == generic) return &db->conns[i];
    return NULL;
}

static void conn_take_head(struct db_conn *c);

/* Takes the next queued query if this connection is idle. The queue stays first in, first out;
 * only the connection may differ: when the next query wants the other plan mode
 * (DB_STMT_GENERIC) and another idle connection is in that mode already, that one takes it,
 * which saves the round trip of a switch (in the mixed expo day of the benchmarks, 24-30 % of
 * all queries had one before). */
static void conn_start_next(struct db_conn *c)
{
    struct db *db = c->db;
    if (c->state != C_IDLE || c->listener) return;
    struct db_conn *o;
    while (db->head && wants_generic(db->head) != c->generic_mode && (o = idle_in_mode(db, wants_generic(db->head))))
        conn_take_head(o);
    conn_take_head(c);
}

static void conn_take_head(struct db_conn *c)
{
    struct db *db = c->db;
    if (c->state != C_IDLE || c->listener) return;
    struct db_query *q = dequeue(db);
    if (!q) { watch(c, UV_READABLE); return; }
    c->q = q;
    c->state = C_BUSY;
    db->inflight++;
    send_current(c);
}

static void pump(struct db *db)
{
    for (int i = 0; i < db->n && db->head; i++) conn_start_next(&db->conns[i]);
}

/* The S_PLAN_MODE query of send_current succeeded: the session is in the mode the current
 * query wants, and if that is generic, its plans are new enough. */
static void plan_setting_done(struct db_conn *c)
{
    bool want_generic = wants_generic(c->q);
    if (want_generic && plans_stale(c)) c->plans_since_ms = now_ms(c->db);
    c->generic_mode = want_generic;
}

/* All results of the current command have arrived. */
static void command_done(struct db_conn *c)
{
    struct db *db = c->db;
    if (c->listener) {
        if (c->stage == S_LISTEN) {
            c->stage = S_NONE;
            if (c->error) {
                log_error("db: LISTEN failed: %s", PQresultErrorMessage(c->error));
                clear_results(c);
                conn_broken(c, "LISTEN failed");
                return;
            }
            clear_results(c);
            c->backoff_ms = 0;
            c->failed_attempts = 0;
            log_info("db: listening for notifications");
            if (db->on_listen_ready) db->on_listen_ready(db->listen_arg);
        }
        return;
    }
    struct db_query *q = c->q;
    if (c->stage == S_PREPARE || c->stage == S_PLAN_MODE) {
        if (c->error) {
            char msg[300];
            snprintf(msg, sizeof msg, "%s %s: %s", c->stage == S_PREPARE ? "prepare" : "plan mode for",
                     q->st ? q->st->name : "a script", PQresultErrorMessage(c->error));
            log_error("db: %s", msg);
            c->q = NULL;
            c->state = C_IDLE;
            c->stage = S_NONE;
            db->inflight--;
            struct db_result r = {.status = DB_ERR_QUERY, .pg = c->error, .message = msg};
            if (q->cb) q->cb(q->arg, &r);
            query_free(q);
            clear_results(c);
            conn_start_next(c);
            return;
        }
        if (c->stage == S_PREPARE)
            c->prepared[q->st->slot / 8] |= (unsigned char)(1u << (q->st->slot % 8));
        else
            plan_setting_done(c);
        clear_results(c);
        send_current(c);
        return;
    }
    c->q = NULL;
    c->state = C_IDLE;
    c->stage = S_NONE;
    db->inflight--;
    if (c->error) {
        query_finish(q, DB_ERR_QUERY, &c->error, PQresultErrorMessage(c->error));
    } else {
        query_finish(q, DB_OK, &c->result, "");
    }
    clear_results(c);
    if (c->state == C_IDLE) conn_start_next(c);
}

static void read_results(struct db_conn *c)
{
    if (!PQconsumeInput(c->pg)) { conn_broken(c, NULL); return; }
    for (;;) {
        if (c->state != C_BUSY && !(c->listener && c->stage == S_LISTEN)) {
            /* Idle: nothing expected but notifications or an error before close. */
            PGresult *r;
            while (!PQisBusy(c->pg) && (r = PQgetResult(c->pg))) PQclear(r);
            break;
        }
        if (PQisBusy(c->pg)) break;
        PGresult *r = PQgetResult(c->pg);
        if (!r) {
            command_done(c);
            if (!c->pg) return;       /* broke inside a callback */
            continue;
        }
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_FATAL_ERROR || st == PGRES_BAD_RESPONSE || st == PGRES_NONFATAL_ERROR) {
            if (!c->error) c->error = r; else PQclear(r);
        } else {
            if (c->result) PQclear(c->result);
            c->result = r;
        }
    }
    if (c->listener && c->pg) {
        PGnotify *n;
        while ((n = PQnotifies(c->pg))) {
            metrics_notify(n->relname);
            if (c->db->on_notify) c->db->on_notify(c->db->listen_arg, n->relname, n->extra, is_own_backend(c->db, n->be_pid));
            PQfreemem(n);
        }
    }
    if (c->pg && PQstatus(c->pg) == CONNECTION_BAD) conn_broken(c, NULL);
}

/* Whether pid is the server process behind one of this pool's query connections now: a
 * notification from it was sent by a transaction this process ran. A connection's pid is
 * cleared when it breaks, so a pid the server handed on to another client since is never
 * taken for ours. */
static bool is_own_backend(const struct db *db, int pid)
{
    for (int i = 0; pid && i < db->n; i++)
        if (db->conns[i].backend_pid == pid) return true;
    return false;
}

static void conn_ready(struct db_conn *c)
{
    struct db *db = c->db;
    uv_timer_stop(&c->timer);
    PQsetnonblocking(c->pg, 1);
    c->state = C_IDLE;
    c->backend_pid = PQbackendPID(c->pg);
    c->plans_since_ms = now_ms(db);
    if (c->listener) {
        c->stage = S_LISTEN;
        if (!PQsendQuery(c->pg, db->listen_sql)) { conn_broken(c, NULL); return; }
        flush_and_watch(c);
        return;
    }
    c->backoff_ms = 0;
    c->failed_attempts = 0;
    if (db->up++ == 0) log_info("db: connected to PostgreSQL");
    conn_start_next(c);
}

static void connect_poll(struct db_conn *c)
{
    switch (PQconnectPoll(c->pg)) {
    case PGRES_POLLING_READING: watch(c, UV_READABLE); break;
    case PGRES_POLLING_WRITING: watch(c, UV_WRITABLE); break;
    case PGRES_POLLING_OK: conn_ready(c); break;
    default: conn_broken(c, NULL); break;
    }
}

static void on_poll(uv_poll_t *p, int status, int events)
{
    struct db_conn *c = p->data;
    if (!c->pg) return;
    if (c->state == C_CONNECTING) { connect_poll(c); return; }
    if (status < 0) { conn_broken(c, uv_strerror(status)); return; }
    if (events & UV_WRITABLE) {
        int r = PQflush(c->pg);
        if (r < 0) { conn_broken(c, NULL); return; }
        if (r == 0) watch(c, UV_READABLE);
    }
    if (events & UV_READABLE) read_results(c);
}

static void on_connect_timeout(uv_timer_t *t)
{
    struct db_conn *c = t->data;
    if (c->state == C_CONNECTING) conn_broken(c, "connect timed out");
}

static void conn_connect(struct db_conn *c)
{
    struct db *db = c->db;
    if (db->closing) return;
    /* expand_dbname lets `dbname` carry a whole conninfo string or URI; our keywords
     * after it add what the operator's string does not set. */
    /* statement_timeout: a query stuck behind a lock fails (and the client gets an error)
     * instead of holding a pool connection forever. LISTEN never runs a long statement.
     * jit=off: every statement here is a short keyed lookup, but the generic plans of the
     * batched ones (unnest of array parameters, estimated at 100 rows each) cost past
     * jit_above_cost, and PostgreSQL then compiled them with LLVM on EVERY execution: 45 ms of
     * a 50-ms booth.enter read of 10 booths (EXPLAIN ANALYZE, issue 15). */
    const char *keys[] = {"dbname", "application_name", "connect_timeout", "keepalives",
                          "keepalives_idle", "keepalives_interval", "keepalives_count", "options", NULL};
    const char *vals[] = {db->conninfo, db->app_name, "10", "1", "10", "5", "3",
                          "-c statement_timeout=15000 -c idle_in_transaction_session_timeout=30000 -c jit=off", NULL};
    c->pg = PQconnectStartParams(keys, vals, 1);
    if (!c->pg || PQstatus(c->pg) == CONNECTION_BAD) { conn_broken(c, NULL); return; }
    c->state = C_CONNECTING;
    c->timer.data = c;
    uv_timer_start(&c->timer, on_connect_timeout, 10000, 0);
    watch(c, UV_WRITABLE);
}

static void conn_init(struct db *db, struct db_conn *c, int index, bool listener)
{
    memset(c, 0, sizeof *c);
    c->db = db;
    c->index = index;
    c->listener = listener;
    c->poll_fd = -1;
    uv_timer_init(db->loop, &c->timer);
    c->timer.data = c;
    db->open_handles++;
}

/* Fails queued queries that waited too long: the caller gets `unavailable` within a few
 * seconds instead of hanging while PostgreSQL is away. */
static void on_queue_timer(uv_timer_t *t)
{
    struct db *db = t->data;
    uint64_t now = now_ms(db);
    /* The queue is the urgent entries then the others, each part oldest first: walk past the
     * urgent ones that are still young (a fresh heartbeat at the head must not shelter the
     * expired client queries behind it), stop at the first young ordinary one. The expired are
     * unlinked first and answered after, since an answer may queue new queries. */
    struct db_query *expired = NULL, **tail_of_expired = &expired, **at = &db->head, *last = NULL;
    while (*at) {
        struct db_query *q = *at;
        if (now - q->enqueued_ms >= DB_QUEUE_TIMEOUT_MS) {
            *at = q->next;
            q->next = NULL;
            *tail_of_expired = q;
            tail_of_expired = &q->next;
            db->queued--;
            continue;
        }
        if (!(q->st && q->st->urgent)) break;
        last = q;
        at = &q->next;
    }
    if (!*at) db->tail = last;
    while (expired) {
        struct db_query *q = expired;
        expired = q->next;
        q->next = NULL;
        query_finish(q, DB_ERR_UNAVAILABLE, NULL, "database unavailable");
    }
}

struct db *db_new(uv_loop_t *loop, const char *conninfo, int pool_size, const char *app_name)
{
    if (pool_size < 1 || pool_size > 64) return NULL;
    struct db *db = calloc(1, sizeof *db);
    if (!db) abort();
    db->loop = loop;
    db->conninfo = strdup(conninfo ? conninfo : "");
    db->app_name = strdup(app_name ? app_name : "boothd");
    db->n = pool_size;
    db->conns = calloc((size_t)pool_size, sizeof *db->conns);
    if (!db->conns) abort();
    uv_timer_init(loop, &db->queue_timer);
    db->queue_timer.data = db;
    db->open_handles++;
    uv_timer_start(&db->queue_timer, on_queue_timer, 250, 250);
    for (int i = 0; i < pool_size; i++) {
        conn_init(db, &db->conns[i], i, false);
        conn_connect(&db->conns[i]);
    }
    return db;
}

static struct db_query *query_new(struct db_stmt *st, int nparams, const char *const *params,
                                  db_result_fn cb, void *arg)
{
    if (st->slot < 0) {
        if (next_slot >= DB_MAX_STMTS) abort();   /* raise DB_MAX_STMTS */
        st->slot = next_slot++;
    }
    struct db_query *q = calloc(1, sizeof *q);
    if (!q) abort();
    q->st = st;
    q->cb = cb;
    q->arg = arg;
    q->nparams = nparams;
    if (nparams > 0) {
        size_t total = sizeof(char *) * (size_t)nparams;
        for (int i = 0; i < nparams; i++) if (params[i]) total += strlen(params[i]) + 1;
        q->params = malloc(total);
        if (!q->params) abort();
        char *p = (char *)(q->params + nparams);
        for (int i = 0; i < nparams; i++) {
            if (!params[i]) { q->params[i] = NULL; continue; }
            size_t l = strlen(params[i]) + 1;
            memcpy(p, params[i], l);
            q->params[i] = p;
            p += l;
        }
    }
    return q;
}

static int query_refused(struct db *db, const struct db_stmt *st)
{
    if (db->closing) return DB_ERR_CLOSED;
    if (db->queued >= DB_QUEUE_MAX && !(st && st->urgent)) return DB_ERR_QUEUE_FULL;
    return 0;
}

static int query_submit(struct db *db, struct db_query *q)
{
    enqueue(db, q);
    pump(db);
    return 0;
}

int db_query(struct db *db, struct db_stmt *st, int nparams, const char *const *params,
             db_result_fn cb, void *arg)
{
    int err = query_refused(db, st);
    if (err) return err;
    return query_submit(db, query_new(st, nparams, params, cb, arg));
}

int db_query_blob(struct db *db, struct db_stmt *st, int nparams, const char *const *params,
                  char *blob, size_t blob_len, db_result_fn cb, void *arg)
{
    int err = query_refused(db, st);
    if (err) { free(blob); return err; }
    if (blob_len > INT_MAX) abort();
    struct db_query *q = query_new(st, nparams, params, cb, arg);
    q->blob = blob ? blob : malloc(1);
    if (!q->blob) abort();
    q->blob_len = blob_len;
    return query_submit(db, q);
}

int db_query_binary(struct db *db, struct db_stmt *st, int nparams, const char *const *params,
                    db_result_fn cb, void *arg)
{
    int err = query_refused(db, st);
    if (err) return err;
    struct db_query *q = query_new(st, nparams, params, cb, arg);
    q->binary_result = true;
    return query_submit(db, q);
}

int db_script(struct db *db, const char *sql, const char *setting_name, const char *setting_value,
              db_result_fn cb, void *arg)
{
    if (db->closing) return DB_ERR_CLOSED;
    struct db_query *q = calloc(1, sizeof *q);
    if (!q) abort();
    q->script = strdup(sql);
    if (setting_name) {
        q->setting_name = strdup(setting_name);
        q->setting_value = strdup(setting_value ? setting_value : "");
    }
    q->cb = cb;
    q->arg = arg;
    enqueue(db, q);
    pump(db);
    return 0;
}

void db_listen(struct db *db, const char *const *channels, int n, db_notify_fn on_notify,
               db_listen_ready_fn on_ready, void *arg)
{
    if (db->listen || db->closing) return;
    size_t len = 1;
    for (int i = 0; i < n; i++) len += strlen(channels[i]) + 16;
    db->listen_sql = malloc(len);
    if (!db->listen_sql) abort();
    db->listen_sql[0] = 0;
    for (int i = 0; i < n; i++) {
        strcat(db->listen_sql, "LISTEN ");
        strcat(db->listen_sql, channels[i]);
        strcat(db->listen_sql, ";");
    }
    db->on_notify = on_notify;
    db->on_listen_ready = on_ready;
    db->listen_arg = arg;
    db->listen = calloc(1, sizeof *db->listen);
    if (!db->listen) abort();
    conn_init(db, db->listen, -1, true);
    conn_connect(db->listen);
}

bool db_is_up(const struct db *db) { return db->up > 0; }
unsigned db_pending(const struct db *db) { return db->queued + db->inflight; }

void db_counts(const struct db *db, unsigned *up, unsigned *busy, unsigned *queued)
{
    *up = (unsigned)db->up;
    *busy = db->inflight;
    *queued = db->queued;
}

static void conn_close(struct db_conn *c)
{
    unwatch(c);
    uv_timer_stop(&c->timer);
    c->timer.data = c->db;
    uv_close((uv_handle_t *)&c->timer, on_handle_closed);
    if (c->q) {
        struct db_query *q = c->q;
        c->q = NULL;
        c->db->inflight--;
        query_finish(q, DB_ERR_CLOSED, NULL, "database closed");
    }
    clear_results(c);
    if (c->pg) { PQfinish(c->pg); c->pg = NULL; }
    c->state = C_DOWN;
}

void db_close(struct db *db, db_closed_fn on_closed, void *arg)
{
    db->closing = true;
    db->on_closed = on_closed;
    db->closed_arg = arg;
    struct db_query *q;
    while ((q = dequeue(db))) query_finish(q, DB_ERR_CLOSED, NULL, "database closed");
    uv_timer_stop(&db->queue_timer);
    uv_close((uv_handle_t *)&db->queue_timer, on_handle_closed);
    for (int i = 0; i < db->n; i++) conn_close(&db->conns[i]);
    if (db->listen) conn_close(db->listen);
}

void db_free(struct db *db)
{
    if (!db) return;
    free(db->conns);
    free(db->listen);
    free(db->listen_sql);
    free(db->conninfo);
    free(db->app_name);
    free(db);
}

/* ---------- results ---------- */

enum db_status db_result_status(const struct db_result *r) { return r->status; }

const char *db_result_sqlstate(const struct db_result *r)
{
    const char *s = r->pg ? PQresultErrorField(r->pg, PG_DIAG_SQLSTATE) : NULL;
    return s ? s : "";
}

const char *db_result_message(const struct db_result *r) { return r->message ? r->message : ""; }
int db_result_rows(const struct db_result *r) { return r->status == DB_OK && r->pg ? PQntuples(r->pg) : 0; }
int db_result_cols(const struct db_result *r) { return r->status == DB_OK && r->pg ? PQnfields(r->pg) : 0; }
int db_result_col(const struct db_result *r, const char *name) { return r->pg ? PQfnumber(r->pg, name) : -1; }

bool db_result_isnull(const struct db_result *r, int row, int col)
{
    return PQgetisnull(r->pg, row, col);
}

const char *db_result_value(const struct db_result *r, int row, int col)
{
    return PQgetvalue(r->pg, row, col);
}

int64_t db_result_int64(const struct db_result *r, int row, int col)
{
    return strtoll(PQgetvalue(r->pg, row, col), NULL, 10);
}

int *db_result_rows_by_index(const struct db_result *r, int col, size_t n)
{
    int *row_of = malloc(sizeof *row_of * (n ? n : 1));
    if (!row_of) abort();
    for (size_t i = 0; i < n; i++) row_of[i] = -1;
    for (int row = 0; row < db_result_rows(r); row++) {
        if (db_result_isnull(r, row, col)) continue;
        long long idx = db_result_int64(r, row, col);
        if (idx >= 0 && (unsigned long long)idx < n && row_of[idx] < 0) row_of[idx] = row;
    }
    return row_of;
}

bool db_result_bool(const struct db_result *r, int row, int col)
{
    return PQgetvalue(r->pg, row, col)[0] == 't';
}

size_t db_result_length(const struct db_result *r, int row, int col)
{
    return (size_t)PQgetlength(r->pg, row, col);
}

struct db_kept *db_result_keep(const struct db_result *r)
{
    if (!r->owner || !*r->owner) return NULL;
    struct db_kept *k = malloc(sizeof *k);
    if (!k) abort();
    k->pg = *r->owner;
    *r->owner = NULL;
    return k;
}

const char *db_kept_value(const struct db_kept *k, int row, int col) { return PQgetvalue(k->pg, row, col); }
size_t db_kept_length(const struct db_kept *k, int row, int col) { return (size_t)PQgetlength(k->pg, row, col); }

void db_kept_free(struct db_kept *k)
{
    if (!k) return;
    PQclear(k->pg);
    free(k);
}
