/* batching.h — the group-commit decisions of chat_batch.c, pure (no loop, no database) so
 * they are unit-tested on their own. */
#ifndef BOOTHD_CHAT_BATCHING_H
#define BOOTHD_CHAT_BATCHING_H

#include <stdbool.h>
#include <stddef.h>

#define CHAT_BATCH_MAX 500          /* messages per chat_append() call */
#define CHAT_BATCH_INFLIGHT 2       /* calls committing at once */

/* How many pending messages the next batch takes: 0 when none may start now (nothing
 * pending, or CHAT_BATCH_INFLIGHT batches committing), else up to CHAT_BATCH_MAX. With
 * batching off (the benchmark's comparison) every message is its own call and never waits. */
size_t chat_batch_take(size_t pending, unsigned inflight, bool batching);

#endif
