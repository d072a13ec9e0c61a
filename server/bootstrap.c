/* bootstrap.c — see bootstrap.h. */
#include "bootstrap.h"

#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "db.h"
#include "log.h"
#include "password.h"

extern const char embedded_schema_sql[];
extern const char embedded_demo_sql[];

#define MAX_APPLY_ATTEMPTS 5

static struct db_stmt q_inspect = DB_STMT("bootstrap_inspect",
    "SELECT to_regclass('public.schema_version') IS NOT NULL,"
    " (SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
    "   WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p'))");
static struct db_stmt q_version = DB_STMT("bootstrap_version", "SELECT max(version) FROM schema_version");
static struct db_stmt q_booths = DB_STMT("bootstrap_booths", "SELECT count(*) FROM booths");

struct boot {
    struct app *app;
    uv_timer_t retry;
    unsigned backoff_ms;
    int apply_attempts;
    bool waiting_logged;
};

static void inspect(struct boot *b);

static void on_retry(uv_timer_t *t) { inspect(t->data); }
static void on_retry_closed(uv_handle_t *h) { free(h->data); }

static void finish(struct boot *b)
{
    struct app *app = b->app;
    uv_close((uv_handle_t *)&b->retry, on_retry_closed);
    app_on_database_ready(app);
}

static void fail(struct boot *b, int code)
{
    struct app *app = b->app;
    uv_close((uv_handle_t *)&b->retry, on_retry_closed);
    app_fail(app, code);
}

static void retry_later(struct boot *b, const char *why)
{
    if (b->app->stopping) { fail(b, 1); return; }
    b->backoff_ms = b->backoff_ms ? b->backoff_ms * 2 : 250;
    if (b->backoff_ms > 5000) b->backoff_ms = 5000;
    if (!b->waiting_logged || b->backoff_ms == 5000) {
        log_warn("bootstrap: waiting for PostgreSQL (%s); retrying in %u ms", why, b->backoff_ms);
        b->waiting_logged = true;
    }
    uv_timer_start(&b->retry, on_retry, b->backoff_ms, 0);
}

/* A database error that is not "unavailable" is permanent for this binary. */
static bool transient(const struct db_result *r)
{
    return db_result_status(r) != DB_ERR_QUERY;
}

static void on_demo_loaded(void *arg, const struct db_result *r)
{
    struct boot *b = arg;
    if (db_result_status(r) != DB_OK) {
        if (transient(r)) { retry_later(b, db_result_message(r)); return; }
        log_error("bootstrap: loading the demo expo failed: %s", db_result_message(r));
        fail(b, 1);
        return;
    }
    log_info("bootstrap: demo expo loaded");
    finish(b);
}

static void on_demo_hash(void *arg, const char *encoded)
{
    struct boot *b = arg;
    if (!encoded) {
        log_error("bootstrap: hashing the demo password failed");
        fail(b, 1);
        return;
    }
    snprintf(b->app->demo_password_hash, sizeof b->app->demo_password_hash, "%s", encoded);
    db_script(b->app->db, embedded_demo_sql, "boothd.demo_password_hash", encoded, on_demo_loaded, b);
}

static void on_booths(void *arg, const struct db_result *r)
{
    struct boot *b = arg;
    if (db_result_status(r) != DB_OK) {
        if (transient(r)) { retry_later(b, db_result_message(r)); return; }
        log_error("bootstrap: counting booths failed: %s", db_result_message(r));
        fail(b, 1);
        return;
    }
    if (db_result_int64(r, 0, 0) > 0) {
        log_info("bootstrap: --demo: the database already has booths; not loading the demo expo");
        finish(b);
        return;
    }
    log_info("bootstrap: loading the demo expo");
    password_hash(&b->app->loop, "demo1234", on_demo_hash, b);
}

static void schema_ready(struct boot *b)
{
    if (!b->app->cfg->demo) { finish(b); return; }
    db_query(b->app->db, &q_booths, 0, NULL, on_booths, b);
}

static void on_version(void *arg, const struct db_result *r)
{
    struct boot *b = arg;
    if (db_result_status(r) != DB_OK) {
        if (transient(r)) { retry_later(b, db_result_message(r)); return; }
        log_error("bootstrap: reading schema_version failed: %s", db_result_message(r));
        fail(b, 1);
        return;
    }
    long have = db_result_isnull(r, 0, 0) ? -1 : (long)db_result_int64(r, 0, 0);
    if (have != BOOTHD_SCHEMA_VERSION) {
        log_error("bootstrap: the database has schema version %ld but this boothd needs version %d; "
                  "refusing to start (use a matching boothd or migrate the database)",
                  have, BOOTHD_SCHEMA_VERSION);
        fail(b, 1);
        return;
    }
    log_info("bootstrap: schema version %d", BOOTHD_SCHEMA_VERSION);
    schema_ready(b);
}

static void on_applied(void *arg, const struct db_result *r)
{
    struct boot *b = arg;
    if (db_result_status(r) == DB_OK) {
        log_info("bootstrap: applied schema version %d to the empty database", BOOTHD_SCHEMA_VERSION);
        schema_ready(b);
        return;
    }
    if (transient(r)) { retry_later(b, db_result_message(r)); return; }
    /* Another node may have applied it at the same moment: inspect again. */
    if (++b->apply_attempts >= MAX_APPLY_ATTEMPTS) {
        log_error("bootstrap: applying schema.sql failed: %s", db_result_message(r));
        fail(b, 1);
        return;
    }
    log_warn("bootstrap: applying schema.sql failed (%s); inspecting again", db_result_message(r));
    uv_timer_start(&b->retry, on_retry, 200, 0);
}

static void on_inspect(void *arg, const struct db_result *r)
{
    struct boot *b = arg;
    if (db_result_status(r) != DB_OK) {
        if (transient(r)) { retry_later(b, db_result_message(r)); return; }
        log_error("bootstrap: inspecting the database failed: %s", db_result_message(r));
        fail(b, 1);
        return;
    }
    bool has_version = db_result_bool(r, 0, 0);
    long tables = (long)db_result_int64(r, 0, 1);
    if (has_version) {
        db_query(b->app->db, &q_version, 0, NULL, on_version, b);
    } else if (tables == 0) {
        log_info("bootstrap: empty database; applying schema version %d", BOOTHD_SCHEMA_VERSION);
        db_script(b->app->db, embedded_schema_sql, NULL, NULL, on_applied, b);
    } else {
        log_error("bootstrap: the database has %ld tables but no boothd schema_version table; "
                  "refusing to start (point --db at an empty database or a boothd one)", tables);
        fail(b, 1);
    }
}

static void inspect(struct boot *b)
{
    if (b->app->stopping) { fail(b, 1); return; }
    db_query(b->app->db, &q_inspect, 0, NULL, on_inspect, b);
}

void bootstrap_start(struct app *app)
{
    struct boot *b = calloc(1, sizeof *b);
    if (!b) abort();
    b->app = app;
    uv_timer_init(&app->loop, &b->retry);
    b->retry.data = b;
    inspect(b);
}
