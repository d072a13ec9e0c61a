/* presence_write.c — see presence_write.h. */
#include "domains/presence/presence_write.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/app.h"
#include "core/batchq.h"
#include "domains/chat/chat_sql.h"
#include "domains/presence/join_batching.h"
#include "domains/presence/presence_sql.h"
#include "util/log.h"
#include "util/pgarray.h"

/* One statement, one transaction for a whole batch (two batches may commit at once, never
 * with operations of the same session: count()). $1 node; enters $2..$6 (position in the
 * batch, session key, booth, account, account role) and $9..$10 (since, limit of the read);
 * leaves $7..$8 (session key, booth or 0 for all). A batch holds at most one operation per
 * session, so the deletes and inserts below never touch the same row and their order inside
 * the statement does not matter.
 * - lk locks the entered booths FOR KEY SHARE in id order before anything is inserted.
 *   chat_append() locks the booths' chat counters (booth_chat_seq), not the booths, and its
 *   foreign-key checks take FOR KEY SHARE too: joins do not wait for chat batches. Booth
 *   edits lock FOR UPDATE, one booth at a time, which does conflict.
 * - A leave's open visit is found by (node, session): visits_open_idx (schema version 5).
 *   With an index on the node alone, every leave read all open visits of the node. Planned
 *   with statistics from when the tables were small, the join still read the node's open
 *   visits by node first and probed l for each, in every batch, leaves or not (11,600 rows
 *   per batch: 2 ms of a 4-enter batch at 1,500 joins/s). So a batch without leaves skips
 *   both leave parts (`cardinality($7) > 0`, a one-time filter), and
 *   - each leave's open visits are found by one probe of visits_open_idx (node, session) in a
 *     LATERAL subquery that OFFSET 0 keeps apart, and updated by id: no plan can read the node's
 *     open visits whatever the statistics say. They say little: visits keeps the history of
 *     every node that ever ran, so any one node looks rare in it. (A filter `session_id =
 *     ANY($7)` on the node's visits, the earlier form, is a linear search of the array per row
 *     in the generic plan this statement runs with: 270 ms for a batch of 500 leaves.) The
 *     update tests left_at again only through coalesce: as a condition, `left_at IS NULL`
 *     matched visits_open_idx's predicate and the plan read that whole index beside the ids
 *     (a BitmapAnd); a visit another transaction closed in between keeps its left_at.
 *   - presence rows are deleted by a join with l: presence holds live nodes only, so its
 *     statistics are fair, and at worst the node's rows are read once per batch, not once per
 *     leave.
 * - A visit is written only with a new presence row (as before batching): a re-enter keeps
 *   its row and its visit.
 * - A visitor may not enter an archived booth (its staff and organizers may): nothing is
 *   written for it, and `refused` says why.
 * - The two tables have no foreign keys to booths and accounts (schema version 7: they were
 *   40 % of this statement's time). lk finds the booth, and `found` also needs the account,
 *   which an operator may have deleted by hand while its session was on (schema.sql,
 *   presence_visits_hold(), says how such a delete and this statement keep out of each
 *   other's way).
 * - Each enter also gets what booth.enter answers with, read in this same statement (one
 *   round trip and one batch wait per join instead of two, issue 15): the booth's last_seq
 *   and messages (one snapshot, so they agree) and its counts as they are once this commits.
 *   The statement's snapshot does not see its own inserts (ins) and still sees the rows it
 *   deletes (d), so c counts the snapshot's rows without d's plus ins's
 *   (SQL_PRESENCE_COUNT_AFTER), once per booth of the batch (MATERIALIZED; a crowd entering
 *   one booth puts a hundred of its enters in a batch), each booth through its index: one
 *   scan of presence for all the batch's booths was a scan of the whole table in the generic
 *   plan (planned while the table was small), 20-40 ms per batch at 19,000 rows. ins and d
 *   come to each booth as arrays (ia, da: grouped once), not as CTE scans filtered per booth
 *   (booths x rows of the batch: 15 µs of PostgreSQL's CPU per join).
 *   Staff and organizers read hidden messages as they are.
 * Returns one row per enter (idx, found, role, inserted, refused and the read) and one per
 * booth that lost a presence row (left_booth). */
static struct db_stmt q_apply = DB_STMT_GENERIC("presence_apply",
    "WITH e AS (SELECT * FROM unnest($2::int[], $3::text[], $4::bigint[], $5::bigint[], $6::text[], $9::bigint[], $10::int[])"
    "   AS e(idx, sid, booth, acc, arole, since, lim)),"
    " l AS (SELECT * FROM unnest($7::text[], $8::bigint[]) AS l(sid, booth)),"
    " lk AS MATERIALIZED (SELECT b.id, b.archived_at IS NOT NULL AS archived FROM booths b"
    "   WHERE b.id IN (SELECT booth FROM e) ORDER BY b.id FOR KEY SHARE),"
    " r0 AS MATERIALIZED (SELECT e.idx, e.sid, e.booth, e.acc, e.since, e.lim,"
    "   lk.id IS NOT NULL AND EXISTS (SELECT 1 FROM accounts a WHERE a.id = e.acc) AS found, coalesce(lk.archived, false) AS archived,"
    "   " SQL_BOOTH_ROLE("e.arole", "e.booth", "e.acc") " AS role FROM e LEFT JOIN lk ON lk.id = e.booth),"
    " r AS MATERIALIZED (SELECT r0.*, r0.archived AND r0.role = 'visitor' AS refused FROM r0),"
    " d AS (DELETE FROM presence p USING l WHERE cardinality($7::text[]) > 0 AND p.node_id = $1"
    "   AND p.session_id = l.sid AND (l.booth = 0 OR p.booth_id = l.booth) RETURNING p.booth_id, p.account_id, p.role),"
    " vl AS (UPDATE visits v SET left_at = coalesce(v.left_at, now()) WHERE cardinality($7::text[]) > 0 AND v.id = ANY (ARRAY("
    "   SELECT lv.id FROM l CROSS JOIN LATERAL (SELECT o.id FROM visits o WHERE o.node_id = $1 AND o.session_id = l.sid"
    "     AND o.left_at IS NULL AND (l.booth = 0 OR o.booth_id = l.booth) OFFSET 0) lv))),"
    " ins AS (INSERT INTO presence (node_id, session_id, booth_id, account_id, role)"
    "   SELECT $1, r.sid, r.booth, r.acc, r.role FROM r WHERE r.found AND NOT r.refused ORDER BY r.booth"
    "   ON CONFLICT DO NOTHING RETURNING session_id, booth_id, account_id, role),"
    " v AS (INSERT INTO visits (account_id, booth_id, node_id, session_id)"
    "   SELECT i.account_id, i.booth_id, $1, i.session_id FROM ins i),"
    " ia AS (SELECT i.booth_id, array_agg(i.account_id) FILTER (WHERE i.role = 'visitor') AS v,"
    "   array_agg(i.account_id) FILTER (WHERE i.role = 'staff') AS s FROM ins i GROUP BY i.booth_id),"
    " da AS (SELECT g.booth_id, array_agg(g.account_id) FILTER (WHERE g.role = 'visitor') AS v,"
    "   array_agg(g.account_id) FILTER (WHERE g.role = 'staff') AS s FROM d g GROUP BY g.booth_id),"
    " c(booth, visitors_now, staff_online) AS MATERIALIZED (SELECT cb.booth,"
    "   " SQL_PRESENCE_COUNT_AFTER("cb.booth", "visitor", "da.v", "ia.v") ","
    "   " SQL_PRESENCE_COUNT_AFTER("cb.booth", "staff", "da.s", "ia.s")
    "   FROM (SELECT DISTINCT r.booth FROM r WHERE r.found AND NOT r.refused) cb"
    "   LEFT JOIN ia ON ia.booth_id = cb.booth LEFT JOIN da ON da.booth_id = cb.booth)"
    " SELECT r.idx, r.found, r.role, i.booth_id IS NOT NULL AS inserted, NULL::bigint AS left_booth, r.refused,"
    "   rd.last_seq, coalesce(c.visitors_now, 0), coalesce(c.staff_online, 0), rd.messages, rd.n"
    "   FROM r LEFT JOIN ins i ON i.session_id = r.sid AND i.booth_id = r.booth"
    "   LEFT JOIN c ON c.booth = r.booth"
    "   LEFT JOIN LATERAL (SELECT bb.last_seq, m.messages, m.n FROM booth_chat_seq bb"
    "     CROSS JOIN LATERAL " SQL_ENTER_MESSAGES("r.booth", "r.since", "r.lim", "bb.last_seq", "r.role IN ('staff', 'organizer')") " m"
    "     WHERE bb.booth_id = r.booth AND r.found AND NOT r.refused) rd ON true"
    " UNION ALL SELECT DISTINCT NULL::int, NULL::boolean, NULL::text, NULL::boolean, d.booth_id, NULL::boolean,"
    "   NULL::bigint, NULL::bigint, NULL::bigint, NULL::text, NULL::bigint FROM d");
enum { C_IDX, C_FOUND, C_ROLE, C_INSERTED, C_LEFT_BOOTH, C_REFUSED, C_LAST_SEQ, C_VISITORS, C_STAFF, C_MESSAGES, C_N };

struct op {
    bool enter;
    uint8_t tries;                  /* leave: batches it failed in so far */
    uint64_t session_id;
    int64_t booth_id;               /* leave: 0 = every booth of the session */
    int64_t account_id;             /* enter only */
    int64_t since;                  /* enter only: the read's since_seq (-1 none) */
    int limit;                      /* enter only: at most this many messages */
    const char *account_role;       /* enter only; a static string */
    presence_entered_fn cb;         /* enter only */
    void *arg;
};

struct batch {
    struct presence_writer *w;
    struct op *ops;
    size_t n;
};

struct presence_writer {
    struct app *app;
    struct presence_write_events ev;
    struct batchq q;                /* of struct op */
    unsigned inflight;
    struct batch *running[PRESENCE_BATCH_INFLIGHT];     /* the batches committing (NULL: free slot) */
    /* presence_writer_exclusive: one waiting for the batches to finish, or running */
    presence_exclusive_fn excl_run;
    void *excl_arg;
    bool excl_waiting, excl_running, excl_final;
    bool stopped;               /* a final exclusive started: leaves are no longer written */
};

static void set_running(struct presence_writer *w, struct batch *from, struct batch *to)
{
    for (unsigned i = 0; i < PRESENCE_BATCH_INFLIGHT; i++)
        if (w->running[i] == from) { w->running[i] = to; return; }
}

static void entered_fail(const struct op *o, enum db_status status)
{
    o->cb(o->arg, &(struct presence_entered){.status = status});
}

static void op_fail(struct presence_writer *w, const struct op *o, enum db_status status)
{
    if (o->enter) entered_fail(o, status);
    else w->ev.failed(w->ev.arg);       /* the rows stay until the heartbeat reconciles */
}

static void flush(void *arg);

/* The node is stopping and its final statement clears every row of the node: the queued
 * leaves need no statement of their own, and the queued enters are answered now. */
static void drop_queued(struct presence_writer *w)
{
    size_t n = batchq_len(&w->q);
    if (!n) return;
    struct op *all = malloc(sizeof *all * n);
    if (!all) abort();
    batchq_take(&w->q, n, all);
    for (size_t i = 0; i < n; i++)
        if (all[i].enter) entered_fail(&all[i], DB_ERR_CLOSED);
    free(all);
}

static void maybe_run_exclusive(struct presence_writer *w)
{
    if (!w->excl_waiting || w->excl_running || w->inflight) return;
    w->excl_waiting = false;
    w->excl_running = true;
    if (w->excl_final) {
        w->stopped = true;
        drop_queued(w);
    }
    w->excl_run(w->excl_arg);
}

void presence_writer_exclusive(struct presence_writer *w, bool final, presence_exclusive_fn run, void *arg)
{
    if (w->stopped || (w->excl_waiting && w->excl_final)) return;
    w->excl_run = run;
    w->excl_arg = arg;
    w->excl_final = final;
    w->excl_waiting = true;
    maybe_run_exclusive(w);
}

void presence_writer_exclusive_done(struct presence_writer *w)
{
    w->excl_running = false;
    if (w->excl_waiting) maybe_run_exclusive(w);
    else if (!w->stopped) batchq_schedule(&w->q);
}

static void on_applied(void *arg, const struct db_result *res)
{
    struct batch *b = arg;
    struct presence_writer *w = b->w;
    w->inflight--;
    set_running(w, b, NULL);
    enum db_status st = db_result_status(res);
    if (st != DB_OK) {
        if (st == DB_ERR_QUERY) log_error("presence: presence_apply failed: %s", db_result_message(res));
        else log_warn("presence: a batch of %zu writes failed (%s); reconciling later", b->n, db_result_message(res));
        /* The enters are answered; the leaves (no request waits for them) go back to the head
         * of the queue and are tried again, before anything asked for later: only when
         * they keep failing is presence marked stale (the heartbeat's reconcile also ends
         * the open visits of sessions still inside, so it is the last resort). */
        size_t n_retry = 0;
        for (size_t i = 0; i < b->n; i++) {
            struct op *o = &b->ops[i];
            if (!o->enter && st != DB_ERR_CLOSED && ++o->tries < PRESENCE_LEAVE_TRIES) b->ops[n_retry++] = *o;
            else op_fail(w, o, st);
        }
        if (n_retry) batchq_unshift(&w->q, b->ops, n_retry, BATCHQ_NO_DEADLINE);
    } else {
        for (int row = 0; row < db_result_rows(res); row++)
            if (db_result_isnull(res, row, C_IDX)) w->ev.changed(w->ev.arg, db_result_int64(res, row, C_LEFT_BOOTH));
        int *row_of = db_result_rows_by_index(res, C_IDX, b->n);
        for (size_t i = 0; i < b->n; i++) {
            const struct op *o = &b->ops[i];
            if (!o->enter) continue;
            int row = row_of[i];
            if (row < 0) { entered_fail(o, DB_ERR_QUERY); continue; }
            struct presence_entered e = {.status = DB_OK, .booth_found = db_result_bool(res, row, C_FOUND),
                                         .inserted = db_result_bool(res, row, C_INSERTED),
                                         .archived_refused = db_result_bool(res, row, C_REFUSED),
                                         .role = db_result_value(res, row, C_ROLE)};
            if (e.booth_found && !e.archived_refused && !db_result_isnull(res, row, C_LAST_SEQ)) {
                e.read = true;
                e.last_seq = db_result_int64(res, row, C_LAST_SEQ);
                e.visitors_now = db_result_int64(res, row, C_VISITORS);
                e.staff_online = db_result_int64(res, row, C_STAFF);
                e.messages = db_result_value(res, row, C_MESSAGES);
                e.n_messages = db_result_int64(res, row, C_N);
            }
            if (e.inserted) w->ev.changed(w->ev.arg, o->booth_id);
            o->cb(o->arg, &e);
        }
        free(row_of);
    }
    free(b->ops);
    free(b);
    /* the next batch at once (not at the end of the turn): the stop waits for the pool to
     * be idle, so there is no moment without a query while operations wait. An exclusive
     * statement waiting for this batch goes first, in this same call for the same reason. */
    maybe_run_exclusive(w);
    flush(w);
}

void presence_session_key(uint64_t session_id, char *out, size_t len)
{
    snprintf(out, len, "%llu", (unsigned long long)session_id);
}

static const char *session_key(uint64_t id, char buf[32])
{
    presence_session_key(id, buf, 32);
    return buf;
}

static void send_batch(void *arg, void *batch_ops, size_t n)
{
    struct presence_writer *w = arg;
    struct op *ops = batch_ops;
    struct pgarray e_idx = {0}, e_sid = {0}, e_booth = {0}, e_acc = {0}, e_role = {0}, e_since = {0}, e_lim = {0},
                   l_sid = {0}, l_booth = {0};
    char key[32];
    for (size_t i = 0; i < n; i++) {
        const struct op *o = &ops[i];
        if (o->enter) {
            pgarray_add_int(&e_idx, (int64_t)i);
            pgarray_add_text(&e_sid, session_key(o->session_id, key));
            pgarray_add_int(&e_booth, o->booth_id);
            pgarray_add_int(&e_acc, o->account_id);
            pgarray_add_text(&e_role, o->account_role);
            pgarray_add_int(&e_since, o->since);
            pgarray_add_int(&e_lim, o->limit);
        } else {
            pgarray_add_text(&l_sid, session_key(o->session_id, key));
            pgarray_add_int(&l_booth, o->booth_id);
        }
    }
    const char *p[] = {w->app->cfg->node_id, pgarray_text(&e_idx), pgarray_text(&e_sid), pgarray_text(&e_booth),
                       pgarray_text(&e_acc), pgarray_text(&e_role), pgarray_text(&l_sid), pgarray_text(&l_booth),
                       pgarray_text(&e_since), pgarray_text(&e_lim)};
    struct batch *b = malloc(sizeof *b);
    if (!b) abort();
    *b = (struct batch){w, ops, n};
    w->inflight++;
    set_running(w, NULL, b);
    int rc = db_query(w->app->db, &q_apply, 10, p, on_applied, b);
    pgarray_free(&e_idx); pgarray_free(&e_sid); pgarray_free(&e_booth); pgarray_free(&e_acc);
    pgarray_free(&e_role); pgarray_free(&e_since); pgarray_free(&e_lim); pgarray_free(&l_sid); pgarray_free(&l_booth);
    if (rc) {
        w->inflight--;
        set_running(w, b, NULL);
        for (size_t i = 0; i < n; i++) op_fail(w, &ops[i], (enum db_status)rc);
        free(ops);
        free(b);
    }
}

static int by_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Up to PRESENCE_BATCH_INFLIGHT batches at once, cut before a session's second operation
 * and before an operation of a session whose batch is still committing. */
static size_t count(void *arg)
{
    struct presence_writer *w = arg;
    if (w->excl_waiting || w->excl_running || w->stopped) return 0;
    size_t n = join_batch_take(batchq_len(&w->q), w->inflight, PRESENCE_BATCH_INFLIGHT, PRESENCE_BATCH_MAX);
    if (!n) return 0;
    uint64_t sessions[PRESENCE_BATCH_MAX], busy[PRESENCE_BATCH_MAX * PRESENCE_BATCH_INFLIGHT];
    size_t n_busy = 0;
    for (unsigned k = 0; k < PRESENCE_BATCH_INFLIGHT; k++)
        for (size_t i = 0; w->running[k] && i < w->running[k]->n; i++) busy[n_busy++] = w->running[k]->ops[i].session_id;
    qsort(busy, n_busy, sizeof *busy, by_u64);
    for (size_t i = 0; i < n; i++) sessions[i] = ((const struct op *)batchq_at(&w->q, i))->session_id;
    return presence_batch_cut(sessions, n, PRESENCE_BATCH_MAX, busy, n_busy);
}

static void flush(void *arg) { batchq_drain(&((struct presence_writer *)arg)->q, count, send_batch); }

static void expire(void *arg, void *item)
{
    struct presence_writer *w = arg;
    op_fail(w, item, DB_ERR_UNAVAILABLE);
}

void presence_writer_enter(struct presence_writer *w, const struct presence_enter_req *req, uint64_t submitted_ms,
                           presence_entered_fn cb, void *arg)
{
    struct op o = {.enter = true, .session_id = req->session_id, .booth_id = req->booth_id, .account_id = req->account_id,
                   .account_role = req->account_role, .since = req->since, .limit = req->limit, .cb = cb, .arg = arg};
    batchq_push(&w->q, &o, submitted_ms);
}

void presence_writer_leave(struct presence_writer *w, uint64_t session_id, int64_t booth_id)
{
    if (w->stopped) return;         /* the node's final statement cleared every row */
    struct op o = {.enter = false, .session_id = session_id, .booth_id = booth_id};
    batchq_push(&w->q, &o, BATCHQ_NO_DEADLINE);     /* no request waits for it */
}

struct presence_writer *presence_writer_new(struct app *app, struct presence_write_events events)
{
    struct presence_writer *w = calloc(1, sizeof *w);
    if (!w) abort();
    w->app = app;
    w->ev = events;
    batchq_init(&w->q, &app->loop, sizeof(struct op), flush, join_pending_expired, expire, w);
    return w;
}

static void on_closed(void *arg) { free(arg); }

void presence_writer_free(struct presence_writer *w)
{
    if (batchq_len(&w->q)) log_warn("presence: %zu writes dropped at stop", batchq_len(&w->q));
    batchq_close(&w->q, on_closed);
}
