/* batching.h — the group-commit decisions of chat_batch.c, pure (no loop, no database) so
 * they are unit-tested on their own. */
#ifndef BOOTHD_CHAT_BATCHING_H
#define BOOTHD_CHAT_BATCHING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

#define CHAT_BATCH_MAX 500          /* messages per chat_append() call */
#define CHAT_BATCH_INFLIGHT 2       /* calls committing at once, at most */
/* A second call starts beside a committing one only for a backlog this big. Each call costs
 * PostgreSQL about 1 ms of CPU however few messages it carries, and two calls of the same
 * booths wait for each other's row locks anyway: starting the second at once split a
 * moderate stream into calls of 1-3 messages, and PostgreSQL became the busiest process of
 * the ingest benchmark (98 % CPU at 1,000 msgs/s). Waiting for the commit lets the next call
 * carry what arrived meanwhile (72 % at 1,000 msgs/s, lower ack p99 up to 4,000 msgs/s);
 * under a real backlog the second call still overlaps the first's commit (issue 15). */
#define CHAT_BATCH_SECOND_MIN 100
/* ... or once the oldest pending message has waited this long. A moderate stream still waits
 * for the commit (its batches stay tens of messages), but at thousands of messages a second
 * a message no longer waits for 100 others: ingest at 5,000 msgs/s, 9 interleaved pairs,
 * ack p99 median 56 -> 38 ms (issue 15, docs/benchmarks.md item 27). */
#define CHAT_BATCH_SECOND_WAIT_MS 5

/* How many pending messages the next batch takes: 0 when none may start now (nothing
 * pending, CHAT_BATCH_INFLIGHT batches committing, or one committing while fewer than
 * CHAT_BATCH_SECOND_MIN are pending and the oldest has waited less than
 * CHAT_BATCH_SECOND_WAIT_MS), else up to CHAT_BATCH_MAX. oldest_wait_ms: how long the first
 * pending message has waited. With batching off (the benchmark's comparison) every message is
 * its own call and never waits. */
size_t chat_batch_take(size_t pending, unsigned inflight, bool batching, uint64_t oldest_wait_ms);
/* While one batch commits and messages wait: in how many ms the oldest may start the second
 * (0: now, or nothing to wait for). */
uint64_t chat_batch_second_due_ms(size_t pending, unsigned inflight, bool batching, uint64_t oldest_wait_ms);

/* Every chat.send is answered within CHAT_ANSWER_MS, also while the database is away. A batch
 * sent to the pool may wait DB_QUEUE_TIMEOUT_MS for a connection before it fails, so a message
 * still pending (behind CHAT_BATCH_INFLIGHT batches that wait) after CHAT_PENDING_MAX_MS is
 * answered `unavailable` instead of being sent late: it was not stored, and the client's
 * retry with the same client_msg_id is safe. (Once it waited behind two 3-s batches and was
 * answered after 6 s.) */
#define CHAT_ANSWER_MS 5000
#define CHAT_PENDING_MAX_MS (CHAT_ANSWER_MS - DB_QUEUE_TIMEOUT_MS - 500)
_Static_assert(CHAT_PENDING_MAX_MS >= 1000, "the pending deadline leaves room for a batch's own wait");

/* True when a message submitted at submitted_ms must no longer wait to be sent at now_ms. */
bool chat_pending_expired(uint64_t submitted_ms, uint64_t now_ms);

#endif
