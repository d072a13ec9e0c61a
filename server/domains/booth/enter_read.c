/* enter_read.c — see enter_read.h. */
#include "domains/booth/enter_read.h"

#include <stdlib.h>

#include "core/app.h"
#include "core/batchq.h"
#include "domains/chat/chat_sql.h"
#include "domains/presence/join_batching.h"
#include "domains/presence/presence_sql.h"
#include "util/log.h"
#include "util/pgarray.h"

/* $1 booths, $2 since (-1 none), $3 limits, $4 privileged (staff and organizers see hidden
 * messages as they are), one element each; idx = position. */
static struct db_stmt q_read = DB_STMT("booth_enter_read",
    /* The counts once per booth of the batch (MATERIALIZED: computed once, whatever the plan),
     * not once per element: each reads the booth's presence rows, and a crowd entering one
     * booth puts a hundred of its enters in every batch (4,000 at once into one booth: 114 ms
     * per batch, and enters answered unavailable, issue 15). */
    "WITH c(booth, visitors_now, staff_online) AS MATERIALIZED (SELECT d.booth, " SQL_PRESENCE_COUNTS("d.booth")
    "   FROM (SELECT DISTINCT booth FROM unnest($1::bigint[]) AS x(booth)) d)"
    " SELECT u.ord - 1 AS idx, bb.last_seq, c.visitors_now, c.staff_online, m.messages, m.n"
    " FROM unnest($1::bigint[], $2::bigint[], $3::int[], $4::boolean[]) WITH ORDINALITY AS u(booth, since, lim, priv, ord)"
    " JOIN LATERAL (SELECT last_seq FROM booth_chat_seq WHERE booth_id = u.booth) bb ON true"
    " JOIN c ON c.booth = u.booth"
    " CROSS JOIN LATERAL " SQL_ENTER_MESSAGES("u.booth", "u.since", "u.lim", "bb.last_seq", "u.priv") " m");
enum { C_IDX };

struct item {
    int64_t booth_id, since;
    int limit;
    bool privileged;
    enter_read_fn cb;
    void *arg;
};

struct batch {
    struct enter_reads *er;
    struct item *items;
    size_t n;
};

struct enter_reads {
    struct app *app;
    struct batchq q;                /* of struct item */
    unsigned inflight;
};

static void on_read(void *arg, const struct db_result *res)
{
    struct batch *b = arg;
    struct enter_reads *er = b->er;
    er->inflight--;
    enum db_status st = db_result_status(res);
    if (st != DB_OK) {
        if (st == DB_ERR_QUERY) log_error("booth: booth_enter_read failed: %s", db_result_message(res));
        for (size_t i = 0; i < b->n; i++) b->items[i].cb(b->items[i].arg, st, NULL, -1);
    } else {
        int *row_of = db_result_rows_by_index(res, C_IDX, b->n);
        for (size_t i = 0; i < b->n; i++) b->items[i].cb(b->items[i].arg, DB_OK, res, row_of[i]);
        free(row_of);
    }
    free(b->items);
    free(b);
    batchq_schedule(&er->q);
}

static void send_batch(void *arg, void *batch_items, size_t n)
{
    struct enter_reads *er = arg;
    struct item *items = batch_items;
    struct pgarray booths = {0}, since = {0}, lim = {0}, priv = {0};
    for (size_t i = 0; i < n; i++) {
        pgarray_add_int(&booths, items[i].booth_id);
        pgarray_add_int(&since, items[i].since);
        pgarray_add_int(&lim, items[i].limit);
        pgarray_add_text(&priv, items[i].privileged ? "t" : "f");
    }
    const char *p[] = {pgarray_text(&booths), pgarray_text(&since), pgarray_text(&lim), pgarray_text(&priv)};
    struct batch *b = malloc(sizeof *b);
    if (!b) abort();
    *b = (struct batch){er, items, n};
    er->inflight++;
    int rc = db_query(er->app->db, &q_read, 4, p, on_read, b);
    pgarray_free(&booths); pgarray_free(&since); pgarray_free(&lim); pgarray_free(&priv);
    if (rc) {
        er->inflight--;
        for (size_t i = 0; i < n; i++) items[i].cb(items[i].arg, (enum db_status)rc, NULL, -1);
        free(items);
        free(b);
    }
}

static size_t count(void *arg)
{
    struct enter_reads *er = arg;
    return join_batch_take(batchq_len(&er->q), er->inflight, ENTER_READ_INFLIGHT, ENTER_READ_BATCH_MAX);
}

static void flush(void *arg) { batchq_drain(&((struct enter_reads *)arg)->q, count, send_batch); }

static void expire(void *arg, void *item)
{
    (void)arg;
    struct item *it = item;
    it->cb(it->arg, DB_ERR_UNAVAILABLE, NULL, -1);
}

void enter_read_submit(struct enter_reads *er, int64_t booth_id, int64_t since, int limit, bool privileged,
                       uint64_t submitted_ms, enter_read_fn cb, void *arg)
{
    struct item it = {booth_id, since, limit, privileged, cb, arg};
    batchq_push(&er->q, &it, submitted_ms);
}

struct enter_reads *enter_reads_new(struct app *app)
{
    struct enter_reads *er = calloc(1, sizeof *er);
    if (!er) abort();
    er->app = app;
    batchq_init(&er->q, &app->loop, sizeof(struct item), flush, join_pending_expired, expire, er);
    return er;
}

static void on_closed(void *arg) { free(arg); }

void enter_reads_free(struct enter_reads *er) { batchq_close(&er->q, on_closed); }
