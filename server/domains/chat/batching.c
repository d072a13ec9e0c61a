/* batching.c — see batching.h. */
#include "domains/chat/batching.h"

size_t chat_batch_take(size_t pending, unsigned inflight, bool batching)
{
    if (!batching) return pending ? 1 : 0;
    if (inflight >= CHAT_BATCH_INFLIGHT) return 0;
    if (inflight > 0 && pending < CHAT_BATCH_SECOND_MIN) return 0;
    return pending < CHAT_BATCH_MAX ? pending : CHAT_BATCH_MAX;
}

bool chat_pending_expired(uint64_t submitted_ms, uint64_t now_ms)
{
    return now_ms >= submitted_ms && now_ms - submitted_ms > CHAT_PENDING_MAX_MS;
}
