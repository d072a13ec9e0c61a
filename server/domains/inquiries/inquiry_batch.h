/* inquiry_batch.h — group commit for inquiry.send, with the booth chat's batching rule.
 *
 * Messages arriving while batches commit wait and go together in the next one: one
 * inquiry_append() call (one transaction, thread rows locked in id order, gapless per-thread
 * seq, authorization of every element before its write, one NOTIFY) per batch. How many a
 * batch takes and whether one may start is chat_batch_take() (domains/chat/chat_batch.h),
 * the same decision and limits (CHAT_BATCH_MAX, CHAT_BATCH_INFLIGHT, --chat-batching) as
 * booth chat. Each request is answered only after its batch's COMMIT result arrived;
 * delivery to the thread's sessions then comes from the NOTIFY (inquiry_feed.h).
 *
 * Why not chat_batch itself: it is bound to chat_append() and the chat feed's rooms, and is
 * being reshaped into the chat room module; its pure decision function is what is shared.
 * Owned by the inquiries domain. */
#ifndef BOOTHD_INQUIRY_BATCH_H
#define BOOTHD_INQUIRY_BATCH_H

#include <stdint.h>

struct app;
struct inquiry_batch;
struct request;

struct inquiry_batch *inquiry_batch_new(struct app *app);
/* Closes its handle; freed when it has closed (every request was answered by then). */
void inquiry_batch_free(struct inquiry_batch *b);
/* Takes ownership of `text` (cleaned, malloc'ed); client_msg_id is borrowed from r. */
void inquiry_batch_submit(struct inquiry_batch *b, struct request *r, int64_t thread_id, char *text,
                          const char *client_msg_id);

#endif
