/* presence_write.h — this node's writes of presence rows and visits, grouped: every enter
 * and leave asked for during a loop turn goes in ONE statement (one transaction, one
 * commit, one WAL flush) at the end of the turn, instead of one commit each. Up to two
 * batches commit at once, but the operations of one session apply in the order they were
 * asked for: a batch takes at most one operation per session, and none of a session whose
 * batch is still committing (join_batching.h, presence_batch_cut).
 *
 * - An enter inserts the presence row (ON CONFLICT DO NOTHING: a re-enter keeps its row) and,
 *   when the row is new, the visit row, and reads in the same statement what booth.enter
 *   answers with (the booth's last seq, its messages, its counts with this row): one round
 *   trip per join. Its callback runs after the COMMIT result with what the caller answers
 *   from (booth found, role, row new, the read), or with the failure.
 * - A leave (one booth, or booth 0 = every booth of the session) deletes the rows and sets
 *   left_at of the open visits. Fire and forget, with no deadline: a leave whose batch
 *   failed is tried again first (PRESENCE_LEAVE_TRIES); one that keeps failing marks
 *   presence stale and the heartbeat reconciles (node.c).
 * Booths whose presence changed, and leaves that kept failing, are reported to the owner
 * through struct presence_write_events (presence.c announces the booths every 100 ms and
 * reconciles at the next heartbeat), so this file does not call back into presence.c.
 *
 * Owned by the presence domain (created and freed with it). */
#ifndef BOOTHD_PRESENCE_WRITE_H
#define BOOTHD_PRESENCE_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

struct app;
struct presence_writer;

/* The presence table's session_id for a session (unique within its node_id). */
void presence_session_key(uint64_t session_id, char *out, size_t len);

/* An enter: the row to write and what to read with it. */
struct presence_enter_req {
    uint64_t session_id;
    int64_t booth_id, account_id;
    const char *account_role;   /* 'visitor' | 'exhibitor' | 'organizer' (a static string) */
    int64_t since;              /* the read: the messages after this seq, or -1: the latest */
    int limit;                  /* at most this many */
};

struct presence_entered {
    enum db_status status;      /* DB_OK, or why it was not written */
    bool booth_found;
    bool inserted;              /* a new presence row (and visit) was written */
    bool archived_refused;      /* a visitor at an archived booth: nothing written */
    const char *role;           /* 'visitor' | 'staff' | 'organizer' (valid during the callback) */
    /* The read, in the same statement (found and not refused; read false: the booth has no
     * chat counter, i.e. it was being deleted). */
    bool read;
    int64_t last_seq;           /* the booth's last chat seq; messages stop there */
    int64_t visitors_now, staff_online;     /* the counts once this batch committed */
    const char *messages;       /* JSON array text (valid during the callback) */
    int64_t n_messages;
};
typedef void (*presence_entered_fn)(void *arg, const struct presence_entered *res);

/* What the writer tells its owner, after a batch's result. */
struct presence_write_events {
    void (*changed)(void *arg, int64_t booth_id);   /* a commit changed who is in booth_id */
    void (*failed)(void *arg);      /* a leave kept failing: its rows stay until reconciled */
    void *arg;
};

struct presence_writer *presence_writer_new(struct app *app, struct presence_write_events events);
/* Pending operations are dropped (stop waits for the database first); frees itself once
 * its handles closed. */
void presence_writer_free(struct presence_writer *w);
/* submitted_ms: when the request arrived (uv_now clock), for the deadline. cb runs exactly
 * once, later. */
void presence_writer_enter(struct presence_writer *w, const struct presence_enter_req *req, uint64_t submitted_ms,
                           presence_entered_fn cb, void *arg);
void presence_writer_leave(struct presence_writer *w, uint64_t session_id, int64_t booth_id);

/* Runs run(arg) once no batch of this writer is committing, and starts no batch until the
 * caller says presence_writer_exclusive_done: for a statement over ALL of this node's rows
 * (node.c clears them at start, after an outage and at stop). Run beside a batch, the two
 * updated the same visits in different orders and deadlocked: PostgreSQL broke the tie
 * after deadlock_timeout (1 s) by failing one of them: at the stop after 7 of 18 joins
 * benchmark runs, its sessions leaving (issue 15). At most one waits; a final one supersedes a waiting one.
 * final: the node is stopping. Its statement clears every row of the node, so the leaves
 * still queued are dropped, later ones are ignored, and no batch starts again. */
typedef void (*presence_exclusive_fn)(void *arg);
void presence_writer_exclusive(struct presence_writer *w, bool final, presence_exclusive_fn run, void *arg);
void presence_writer_exclusive_done(struct presence_writer *w);

#endif
