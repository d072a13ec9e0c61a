/* inquiry_desk.c — see inquiry_desk.h. */
#include "domains/inquiries/inquiry_desk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/app.h"
#include "core/config.h"
#include "core/protocol.h"
#include "core/session.h"
#include "db/db.h"
#include "domains/presence/presence.h"
#include "util/log.h"
#include "util/pgarray.h"

static struct db_stmt q_presence_set = DB_STMT("inquiry_desk_presence_set",
    "WITH d AS (DELETE FROM presence WHERE node_id = $1 AND session_id = $2 AND booth_id <> ALL ($4::bigint[])"
    "   RETURNING booth_id),"
    " i AS (INSERT INTO presence (node_id, session_id, booth_id, account_id, role)"
    "   SELECT $1, $2, b, $3, 'staff' FROM unnest($4::bigint[]) AS b"
    /* no foreign keys to booths and accounts (schema.sql, presence_visits_hold()) */
    "   WHERE EXISTS (SELECT 1 FROM booths x WHERE x.id = b) AND EXISTS (SELECT 1 FROM accounts x WHERE x.id = $3)"
    "   ON CONFLICT DO NOTHING RETURNING booth_id)"
    " SELECT booth_id FROM d UNION SELECT booth_id FROM i");

/* Re-inserts every desk row of this node that is missing (after a reap). */
static struct db_stmt q_presence_refresh = DB_STMT("inquiry_desk_presence_refresh",
    "INSERT INTO presence (node_id, session_id, booth_id, account_id, role)"
    " SELECT $1, s, b, a, 'staff' FROM unnest($2::text[], $3::bigint[], $4::bigint[]) AS u(s, b, a)"
    " WHERE EXISTS (SELECT 1 FROM nodes WHERE node_id = $1)"
    "   AND EXISTS (SELECT 1 FROM booths x WHERE x.id = b) AND EXISTS (SELECT 1 FROM accounts x WHERE x.id = a)"
    " ON CONFLICT DO NOTHING RETURNING booth_id");

/* Which of the node's signed-in accounts are buyers with a thread ($1: their ids). */
static struct db_stmt q_buyers_with_threads = DB_STMT("inquiry_desk_buyers_with_threads",
    "SELECT DISTINCT buyer_id FROM inquiry_threads WHERE buyer_id = ANY ($1::bigint[])");

struct desk_entry {
    struct session *s;
    int64_t account_id;             /* who opened it: events stop if the session's identity changes */
    int64_t booths[INQUIRY_DESK_MAX_BOOTHS];
    size_t n;
    bool staff;                     /* wrote presence rows */
    bool all;                       /* an organizer's desk of every booth (booths unused) */
};

struct inquiry_desk {
    struct app *app;
    struct desk_entry *e;
    size_t n, cap;
    uv_timer_t refresh;
    bool refreshing;                /* one refresh query at a time */
    /* Desks closed while a refresh was in flight: their rows are deleted after it, or the
     * refresh's insert could land after the delete and leave a row nobody removes. */
    char (*closed)[48];
    int64_t *closed_acct;
    size_t n_closed, cap_closed;
    /* Team removals heard lately (inquiry_desk_removed_since), oldest first. */
    struct removal { int64_t account_id, booth_id; uint64_t at_ms; } *removed;
    size_t n_removed, cap_removed;
};

static void on_refresh(uv_timer_t *t);

struct inquiry_desk *inquiry_desk_new(struct app *app)
{
    struct inquiry_desk *d = calloc(1, sizeof *d);
    if (!d) abort();
    d->app = app;
    uv_timer_init(&app->loop, &d->refresh);
    d->refresh.data = d;
    uv_unref((uv_handle_t *)&d->refresh);
    uv_timer_start(&d->refresh, on_refresh, INQUIRY_DESK_REFRESH_MS, INQUIRY_DESK_REFRESH_MS);
    return d;
}

static void on_refresh_closed(uv_handle_t *h)
{
    struct inquiry_desk *d = h->data;
    free(d->e);
    free(d->closed);
    free(d->closed_acct);
    free(d->removed);
    free(d);
}

void inquiry_desk_free(struct inquiry_desk *d)
{
    uv_timer_stop(&d->refresh);
    uv_close((uv_handle_t *)&d->refresh, on_refresh_closed);
}

static void desk_key(const struct session *s, char *out, size_t len)
{
    char sid[32];
    presence_session_key(s->id, sid, sizeof sid);
    snprintf(out, len, "%s:desk", sid);
}

static void on_presence_set(void *arg, const struct db_result *res)
{
    struct inquiry_desk *d = arg;
    if (db_result_status(res) != DB_OK) {
        log_warn("inquiries: desk presence update failed: %s", db_result_message(res));
        return;
    }
    for (int i = 0; i < db_result_rows(res); i++) presence_changed(d->app->presence, db_result_int64(res, i, 0));
}

/* Makes the desk presence rows of session key `key` exactly `booths` (none: n = 0). */
static void presence_set(struct inquiry_desk *d, const char *key, int64_t account_id,
                         const int64_t *booths, size_t n)
{
    char acct[24];
    snprintf(acct, sizeof acct, "%lld", (long long)account_id);
    struct pgarray arr = {0};
    for (size_t i = 0; i < n; i++) pgarray_add_int(&arr, booths[i]);
    const char *p[] = {d->app->cfg->node_id, key, acct, pgarray_text(&arr)};
    if (db_query(d->app->db, &q_presence_set, 4, p, on_presence_set, d))
        log_warn("inquiries: desk presence not written (database busy)");
    pgarray_free(&arr);
}

static void on_refreshed(void *arg, const struct db_result *res)
{
    struct inquiry_desk *d = arg;
    d->refreshing = false;
    for (size_t i = 0; i < d->n_closed; i++) presence_set(d, d->closed[i], d->closed_acct[i], NULL, 0);
    d->n_closed = 0;
    if (db_result_status(res) != DB_OK) return;   /* the next tick tries again */
    for (int i = 0; i < db_result_rows(res); i++) presence_changed(d->app->presence, db_result_int64(res, i, 0));
}

static void on_refresh(uv_timer_t *t)
{
    struct inquiry_desk *d = t->data;
    if (d->refreshing || !d->app->db) return;
    struct pgarray keys = {0}, booths = {0}, accts = {0};
    for (size_t i = 0; i < d->n; i++) {
        const struct desk_entry *e = &d->e[i];
        if (!e->staff || !session_is_open(e->s) || e->s->account_id != e->account_id) continue;
        char key[48];
        desk_key(e->s, key, sizeof key);
        for (size_t k = 0; k < e->n; k++) {
            pgarray_add_text(&keys, key);
            pgarray_add_int(&booths, e->booths[k]);
            pgarray_add_int(&accts, e->account_id);
        }
    }
    if (keys.n) {
        const char *p[] = {d->app->cfg->node_id, pgarray_text(&keys), pgarray_text(&booths), pgarray_text(&accts)};
        d->refreshing = db_query(d->app->db, &q_presence_refresh, 4, p, on_refreshed, d) == 0;
    }
    pgarray_free(&keys);
    pgarray_free(&booths);
    pgarray_free(&accts);
}

static struct desk_entry *find(struct inquiry_desk *d, const struct session *s)
{
    for (size_t i = 0; i < d->n; i++) if (d->e[i].s == s) return &d->e[i];
    return NULL;
}

void inquiry_desk_open(struct inquiry_desk *d, struct session *s, const int64_t *booths, size_t n, bool staff,
                       bool all)
{
    if (all) n = 0, staff = false;
    if (n > INQUIRY_DESK_MAX_BOOTHS) n = INQUIRY_DESK_MAX_BOOTHS;
    struct desk_entry *e = find(d, s);
    if (!e) {
        if (d->n == d->cap) {
            d->cap = d->cap ? d->cap * 2 : 16;
            d->e = realloc(d->e, sizeof *d->e * d->cap);
            if (!d->e) abort();
        }
        e = &d->e[d->n++];
        memset(e, 0, sizeof *e);
        e->s = s;
    }
    bool had_presence = e->staff && e->n;
    e->account_id = s->account_id;
    if (n) memcpy(e->booths, booths, sizeof *booths * n);   /* booths may be NULL when n is 0 */
    e->n = n;
    e->staff = staff;
    e->all = all;
    char key[48];
    desk_key(s, key, sizeof key);
    if (staff || had_presence) presence_set(d, key, s->account_id, staff ? booths : NULL, staff ? n : 0);
}

void inquiry_desk_close(struct inquiry_desk *d, struct session *s)
{
    struct desk_entry *e = find(d, s);
    if (!e) return;
    if (e->staff && e->n) {
        char key[48];
        desk_key(s, key, sizeof key);
        if (!d->refreshing) {
            presence_set(d, key, e->account_id, NULL, 0);
        } else {
            if (d->n_closed == d->cap_closed) {
                d->cap_closed = d->cap_closed ? d->cap_closed * 2 : 8;
                d->closed = realloc(d->closed, sizeof *d->closed * d->cap_closed);
                d->closed_acct = realloc(d->closed_acct, sizeof *d->closed_acct * d->cap_closed);
                if (!d->closed || !d->closed_acct) abort();
            }
            memcpy(d->closed[d->n_closed], key, sizeof key);
            d->closed_acct[d->n_closed++] = e->account_id;
        }
    }
    *e = d->e[--d->n];
}

static void remember_removal(struct inquiry_desk *d, int64_t account_id, int64_t booth_id)
{
    uint64_t now = uv_now(&d->app->loop);
    size_t old = 0;
    while (old < d->n_removed && now - d->removed[old].at_ms > INQUIRY_DESK_REMOVED_MS) old++;
    if (old) {
        memmove(d->removed, d->removed + old, sizeof *d->removed * (d->n_removed - old));
        d->n_removed -= old;
    }
    if (d->n_removed == d->cap_removed) {
        d->cap_removed = d->cap_removed ? d->cap_removed * 2 : 8;
        d->removed = realloc(d->removed, sizeof *d->removed * d->cap_removed);
        if (!d->removed) abort();
    }
    d->removed[d->n_removed++] = (struct removal){account_id, booth_id, now};
}

bool inquiry_desk_removed_since(const struct inquiry_desk *d, int64_t account_id, int64_t booth_id, uint64_t since_ms)
{
    for (size_t i = 0; i < d->n_removed; i++) {
        const struct removal *x = &d->removed[i];
        if (x->account_id == account_id && x->booth_id == booth_id && x->at_ms >= since_ms) return true;
    }
    return false;
}

void inquiry_desk_drop_booth(struct inquiry_desk *d, int64_t account_id, int64_t booth_id)
{
    remember_removal(d, account_id, booth_id);
    for (size_t i = 0; i < d->n; i++) {
        struct desk_entry *e = &d->e[i];
        if (e->all || e->account_id != account_id) continue;
        size_t k = 0;
        for (size_t j = 0; j < e->n; j++) if (e->booths[j] != booth_id) e->booths[k++] = e->booths[j];
        if (k == e->n) continue;
        e->n = k;
        /* exhibitor_team_remove turned the account's presence rows in the booth into
         * visitor rows; the desk's row is no visit, so it goes (and the booth is recounted),
         * and the refresh no longer writes it back. */
        if (e->staff && session_is_open(e->s)) {
            char key[48];
            desk_key(e->s, key, sizeof key);
            presence_set(d, key, e->account_id, e->booths, e->n);
        }
    }
}

static bool has_booth(const struct desk_entry *e, int64_t booth_id)
{
    if (e->all) return true;
    for (size_t i = 0; i < e->n; i++) if (e->booths[i] == booth_id) return true;
    return false;
}

struct to_buyer { struct outmsg *m; unsigned sent; };

static void send_to(struct session *s, void *arg)
{
    struct to_buyer *tb = arg;
    if (session_send(s, tb->m) == 0) tb->sent++;
}

unsigned inquiry_desk_deliver(struct inquiry_desk *d, int64_t booth_id, int64_t buyer_id, bool booth_side_only,
                              struct outmsg *m)
{
    struct to_buyer tb = {m, 0};
    for (size_t i = 0; i < d->n; i++) {
        struct desk_entry *e = &d->e[i];
        if (!has_booth(e, booth_id) || !session_is_open(e->s) || e->s->account_id != e->account_id) continue;
        if (!booth_side_only && e->s->account_id == buyer_id) continue;   /* the buyer pass below sends it */
        send_to(e->s, &tb);
    }
    if (!booth_side_only) sessions_foreach_of_account(d->app->sessions, buyer_id, send_to, &tb);
    return tb.sent;
}

/* ---------- inquiry.resync ---------- */

struct resync { struct inquiry_desk *d; struct outmsg *m; unsigned sent; struct pgarray accts; };

static bool on_desk(struct inquiry_desk *d, const struct session *s)
{
    const struct desk_entry *e = find(d, s);
    return e && e->account_id == s->account_id;
}

/* A session that is not a desk (those got it first). */
static void send_unless_desk(struct session *s, void *arg)
{
    struct resync *x = arg;
    if (session_is_open(s) && s->account_id && !on_desk(x->d, s) && session_send(s, x->m) == 0) x->sent++;
}

static void collect_account(struct session *s, void *arg)
{
    struct resync *x = arg;
    if (session_is_open(s) && s->account_id && !on_desk(x->d, s)) pgarray_add_int(&x->accts, s->account_id);
}

static void on_buyers(void *arg, const struct db_result *res)
{
    struct resync *x = arg;
    struct sessions *all = x->d->app->sessions;
    if (db_result_status(res) != DB_OK) {
        log_warn("inquiries: finding buyers to resync failed (%s); telling every signed-in session", db_result_message(res));
        sessions_foreach(all, send_unless_desk, x);
    } else {
        for (int i = 0; i < db_result_rows(res); i++)
            sessions_foreach_of_account(all, db_result_int64(res, i, 0), send_unless_desk, x);
    }
    log_info("inquiries: inquiry.resync sent to %u buyer sessions", x->sent);
    outmsg_unref(x->m);
    free(x);
}

void inquiry_desk_resync(struct inquiry_desk *d)
{
    struct outmsg *m = protocol_event("inquiry.resync", NULL);
    unsigned desks = 0;
    for (size_t i = 0; i < d->n; i++) {
        struct desk_entry *e = &d->e[i];
        if (session_is_open(e->s) && e->s->account_id == e->account_id && session_send(e->s, m) == 0) desks++;
    }
    struct resync *x = calloc(1, sizeof *x);
    if (!x) abort();
    x->d = d;
    x->m = m;
    sessions_foreach(d->app->sessions, collect_account, x);
    log_info("inquiries: LISTEN is back: inquiry.resync sent to %u desks; checking %zu signed-in sessions for threads",
             desks, x->accts.n);
    /* An account signed in on several sessions is listed once per session: ANY() does not mind. */
    const char *p[] = {pgarray_text(&x->accts)};
    bool none = x->accts.n == 0;
    if (none || db_query(d->app->db, &q_buyers_with_threads, 1, p, on_buyers, x)) {
        pgarray_free(&x->accts);
        if (!none) {
            log_warn("inquiries: cannot ask for buyers to resync now; telling every signed-in session");
            sessions_foreach(d->app->sessions, send_unless_desk, x);
        }
        outmsg_unref(m);
        free(x);
        return;
    }
    pgarray_free(&x->accts);
}
