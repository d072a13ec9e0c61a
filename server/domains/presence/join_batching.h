/* join_batching.h — the group-commit decisions of the join path (auth.resume lookups, the
 * presence writes of booth.enter / booth.leave / closed sockets, the reads booth.enter
 * answers with), pure (no loop, no database) so they are unit-tested on their own. The code
 * that carries the batches is auth/resume_batch.c, presence/presence_write.c and
 * booth/enter_read.c; core/batchq.h holds their pending items.
 *
 * The pattern is chat's (chat/batching.h): what arrives during one loop turn goes in one
 * statement at the end of the turn; a request is answered only after its batch's result
 * (for writes: its COMMIT) arrived. */
#ifndef BOOTHD_JOIN_BATCHING_H
#define BOOTHD_JOIN_BATCHING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

#define RESUME_BATCH_MAX 1000       /* token hashes per lookup */
#define RESUME_BATCH_INFLIGHT 2     /* lookups running at once (reads: they cannot conflict) */
#define ENTER_READ_BATCH_MAX 500    /* booth.enter answers per read */
#define ENTER_READ_INFLIGHT 2
#define PRESENCE_BATCH_MAX 500    /* presence enters + leaves per presence_apply() call */
/* Two presence batches may commit at once (each waits for its own WAL flush), but never two
 * with an operation of the same session: the operations of one session apply in the order
 * they were asked for, so a leave never overtakes the enter of the same session. Batches of
 * different sessions touch different rows (and both lock booths only FOR KEY SHARE, which do
 * not conflict). */
#define PRESENCE_BATCH_INFLIGHT 2
/* A leave whose batch failed is tried again, at the head of the queue, up to this many
 * batches in all; then presence is marked stale and the heartbeat reconciles. */
#define PRESENCE_LEAVE_TRIES 3

/* How many pending items the next batch takes: 0 when none may start now (nothing pending,
 * or `max_inflight` batches running), else up to `max`. */
size_t join_batch_take(size_t pending, unsigned inflight, unsigned max_inflight, size_t max);

/* For the presence writes: how many of the pending operations, whose sessions are
 * sessions[0..pending-1] in the order they were asked for, go into one batch of at most
 * `max`: the batch ends before the first operation of a session that already has one in it
 * or in a batch still committing (busy[0..n_busy-1], sorted ascending). Within a batch the
 * statement applies the leaves before the enters; with one operation per session that order
 * cannot matter, and the next operation of that session waits for a later batch. Returns 0
 * when the first pending operation's session is busy. */
size_t presence_batch_cut(const uint64_t *sessions, size_t pending, size_t max, const uint64_t *busy, size_t n_busy);

/* Every auth.resume and booth.enter is answered within JOIN_ANSWER_MS, also while the
 * database is away. A batch sent to the pool may wait DB_QUEUE_TIMEOUT_MS for a connection
 * before it fails, so an item is sent only while it is younger than JOIN_PENDING_MAX_MS
 * (counted from the request's arrival, also for booth.enter's read again after a hide);
 * older ones are answered `unavailable` (nothing was written for them, or what was
 * written is taken back). */
#define JOIN_ANSWER_MS 5000
#define JOIN_PENDING_MAX_MS (JOIN_ANSWER_MS - DB_QUEUE_TIMEOUT_MS - 500)
_Static_assert(JOIN_PENDING_MAX_MS >= 1000, "the pending deadline leaves room for a batch's own wait");

/* True when an item submitted at submitted_ms must no longer be sent at now_ms. */
bool join_pending_expired(uint64_t submitted_ms, uint64_t now_ms);

/* last_used_at of tokens is written in the background (auth/resume_batch.c): at most once
 * per AUTH_TOUCH_EVERY_MS, for at most AUTH_TOUCH_MAX tokens per statement. */
#define AUTH_TOUCH_EVERY_MS 1000
#define AUTH_TOUCH_MAX 5000

#endif
