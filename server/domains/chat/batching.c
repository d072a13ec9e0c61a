/* batching.c — see batching.h. */
#include "domains/chat/batching.h"

size_t chat_batch_take(size_t pending, unsigned inflight, bool batching)
{
    if (!batching) return pending ? 1 : 0;
    if (inflight >= CHAT_BATCH_INFLIGHT) return 0;
    return pending < CHAT_BATCH_MAX ? pending : CHAT_BATCH_MAX;
}
