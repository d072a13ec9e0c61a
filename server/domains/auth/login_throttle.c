/* login_throttle.c — see login_throttle.h. */
#include "domains/auth/login_throttle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/app.h"
#include "core/request.h"
#include "core/session.h"
#include "db/db.h"
#include "util/log.h"
#include "util/throttle.h"

/* Both keys of an attempt, built in SQL from $1 (the e-mail as given) and $2 (the address). */
#define SQL_KEYS "(VALUES ('account', 'account:' || lower($1)), ('address', 'address:' || $2)) k(kind, key)"

/* Both counts, and the clock they are measured with (one clock for every node). */
static struct db_stmt q_check = DB_STMT("login_throttle_check",
    "SELECT k.kind, coalesce(t.failures, 0) AS failures,"
    " coalesce((extract(epoch FROM t.last_failure_at) * 1000)::bigint, 0) AS last_ms,"
    " (extract(epoch FROM clock_timestamp()) * 1000)::bigint AS now_ms"
    " FROM " SQL_KEYS " LEFT JOIN login_throttle t ON t.key = k.key");

/* One more failure on both keys; a count whose last failure is older than its window ($3 for
 * the account, $4 for the address, seconds) starts again at 1 (throttle_next_failures). */
static struct db_stmt q_count = DB_STMT("login_throttle_count",
    "INSERT INTO login_throttle AS t (key, failures, last_failure_at)"
    " SELECT key, 1, clock_timestamp() FROM " SQL_KEYS
    " ON CONFLICT (key) DO UPDATE SET"
    "  failures = CASE WHEN t.last_failure_at < clock_timestamp() - make_interval(secs =>"
    "    CASE WHEN t.key LIKE 'account:%' THEN $3::float8 ELSE $4::float8 END)"
    "   THEN 1 ELSE least(t.failures + 1, 1000000) END,"
    "  last_failure_at = clock_timestamp()"
    " RETURNING split_part(t.key, ':', 1) AS kind, t.failures");

static struct db_stmt q_success = DB_STMT("login_throttle_success",
    "WITH a AS (DELETE FROM login_throttle WHERE key = 'account:' || lower($1))"
    " UPDATE login_throttle SET failures = greatest(failures - 1, 0) WHERE key = 'address:' || $2");

struct attempt {
    struct request *r;
    char email[256];
    login_throttle_fn cb;
    void *arg;
};

static const struct throttle_policy *policy_of(const char *kind)
{
    static const struct throttle_policy account = THROTTLE_ACCOUNT, address = THROTTLE_ADDRESS;
    return strcmp(kind, "account") == 0 ? &account : &address;
}

static void finish(struct attempt *a, int go)
{
    login_throttle_fn cb = a->cb;
    void *arg = a->arg;
    free(a);
    cb(arg, go);
}

static void on_counted(void *arg, const struct db_result *res)
{
    struct attempt *a = arg;
    if (db_result_status(res) != DB_OK) { request_db_error(a->r, res); finish(a, 0); return; }
    int kind = db_result_col(res, "kind"), failures = db_result_col(res, "failures");
    for (int i = 0; i < db_result_rows(res); i++) {
        const char *k = db_result_value(res, i, kind);
        int64_t n = db_result_int64(res, i, failures);
        if (n == (int64_t)policy_of(k)->free_failures + 1)
            log_warn("auth: sign-ins %s %s are slowed down from now on: %lld failures in a row",
                     strcmp(k, "account") == 0 ? "to one account from" : "from the address",
                     a->r->s->peer, (long long)n);
    }
    finish(a, 1);
}

static void on_checked(void *arg, const struct db_result *res)
{
    struct attempt *a = arg;
    struct request *r = a->r;
    if (db_result_status(res) != DB_OK) { request_db_error(r, res); finish(a, 0); return; }
    int kind = db_result_col(res, "kind"), failures = db_result_col(res, "failures");
    int last = db_result_col(res, "last_ms"), now = db_result_col(res, "now_ms");
    uint64_t wait_ms = 0;
    for (int i = 0; i < db_result_rows(res); i++) {
        uint64_t w = 0;
        int64_t n = db_result_int64(res, i, failures);
        throttle_check(policy_of(db_result_value(res, i, kind)), n > UINT32_MAX ? UINT32_MAX : (uint32_t)n,
                       db_result_int64(res, i, last), db_result_int64(res, i, now), &w);
        if (w > wait_ms) wait_ms = w;
    }
    if (wait_ms) {
        log_debug("session %llu: sign-in refused for %llu ms (throttled)", (unsigned long long)r->s->id,
                  (unsigned long long)wait_ms);
        char msg[160];
        snprintf(msg, sizeof msg, "too many failed sign-ins; try again in %llu s",
                 (unsigned long long)((wait_ms + 999) / 1000));
        request_retry_later(r, wait_ms, msg);
        finish(a, 0);
        return;
    }
    char account_window[24], address_window[24];
    snprintf(account_window, sizeof account_window, "%llu", (unsigned long long)(THROTTLE_ACCOUNT.window_ms / 1000));
    snprintf(address_window, sizeof address_window, "%llu", (unsigned long long)(THROTTLE_ADDRESS.window_ms / 1000));
    const char *p[] = {a->email, r->s->peer, account_window, address_window};
    if (request_query(r, &q_count, 4, p, on_counted, a)) finish(a, 0);
}

int login_throttle_begin(struct request *r, const char *email, login_throttle_fn cb, void *arg)
{
    struct attempt *a = calloc(1, sizeof *a);
    if (!a) abort();
    a->r = r;
    snprintf(a->email, sizeof a->email, "%s", email);
    a->cb = cb;
    a->arg = arg;
    const char *p[] = {a->email, r->s->peer};
    if (request_query(r, &q_check, 2, p, on_checked, a)) { free(a); return -1; }
    return 0;
}

static void on_success_done(void *arg, const struct db_result *res)
{
    (void)arg;
    if (db_result_status(res) != DB_OK)
        log_warn("auth: could not clear the failed sign-ins of a successful one: %s", db_result_message(res));
}

void login_throttle_success(struct app *app, const char *email, const char *addr)
{
    const char *p[] = {email, addr};
    if (db_query(app->db, &q_success, 2, p, on_success_done, NULL))
        log_warn("auth: could not clear the failed sign-ins of a successful one (database busy)");
}
