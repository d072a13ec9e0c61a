/* batching.c — see batching.h. */
#include "domains/chat/batching.h"

size_t chat_batch_take(size_t pending, unsigned inflight, bool batching, uint64_t oldest_wait_ms)
{
    if (!batching) return pending ? 1 : 0;
    if (inflight >= CHAT_BATCH_INFLIGHT) return 0;
    if (inflight > 0 && pending < CHAT_BATCH_SECOND_MIN && oldest_wait_ms < CHAT_BATCH_SECOND_WAIT_MS) return 0;
    return pending < CHAT_BATCH_MAX ? pending : CHAT_BATCH_MAX;
}

uint64_t chat_batch_second_due_ms(size_t pending, unsigned inflight, bool batching, uint64_t oldest_wait_ms)
{
    if (!batching || !pending || inflight == 0 || inflight >= CHAT_BATCH_INFLIGHT) return 0;
    if (pending >= CHAT_BATCH_SECOND_MIN || oldest_wait_ms >= CHAT_BATCH_SECOND_WAIT_MS) return 0;
    return CHAT_BATCH_SECOND_WAIT_MS - oldest_wait_ms;
}

bool chat_pending_expired(uint64_t submitted_ms, uint64_t now_ms)
{
    return now_ms >= submitted_ms && now_ms - submitted_ms > CHAT_PENDING_MAX_MS;
}
