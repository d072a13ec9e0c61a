/* enter_read.h — booth.enter's read on its own, grouped: an enter reads its messages with its
 * presence row (presence_write.h); only when a moderator hid a message while that statement
 * was out does it read again here. For every such enter of a loop turn, ONE statement at the
 * end of the turn reads each booth's last_seq, its counts (which include the rows committed)
 * and the messages the page needs (the last `limit`, or those after since_seq), each element
 * in one snapshot so the messages and last_seq agree. A read commits nothing.
 *
 * Owned by the booth domain. */
#ifndef BOOTHD_ENTER_READ_H
#define BOOTHD_ENTER_READ_H

#include <stdbool.h>
#include <stdint.h>

#include "db/db.h"

struct app;
struct enter_reads;

/* The columns of a row handed to enter_read_fn (column 0 is the element's index). */
enum { ER_LAST_SEQ = 1, ER_VISITORS, ER_STAFF, ER_MESSAGES, ER_COUNT };

/* status DB_OK: row `row` of res answers the element (row -1: the booth is gone); else the
 * read failed or was not sent in time (res NULL). Runs exactly once per submit, later. */
typedef void (*enter_read_fn)(void *arg, enum db_status status, const struct db_result *res, int row);

struct enter_reads *enter_reads_new(struct app *app);
void enter_reads_free(struct enter_reads *er);
/* since -1: the last `limit` messages; else those after since (up to limit). privileged: hidden
 * messages as they are (staff, organizers), else as placeholders. submitted_ms: the request's
 * arrival (uv_now clock), for the deadline (join_batching.h). */
void enter_read_submit(struct enter_reads *er, int64_t booth_id, int64_t since, int limit, bool privileged,
                       uint64_t submitted_ms, enter_read_fn cb, void *arg);

#endif
