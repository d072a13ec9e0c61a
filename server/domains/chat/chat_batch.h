/* chat_batch.h — group commit for chat.send. Messages that arrive while a batch is being
 * committed wait and go together in the next one: one chat_append() call (one
 * transaction, booth rows locked in id order, gapless per-booth seq, one NOTIFY) per
 * batch, never one commit per message under load. Each request is answered only after its
 * batch's COMMIT result arrived; the committed messages then go to this node's rooms from
 * the result (chat_feed_committed). With batching off (benchmark comparison), every
 * message is its own call.
 *
 * The batching decisions (how many to take, whether another batch may start) are the pure
 * chat_batch_take() in batching.h, unit-tested. Owned by the chat domain. */
#ifndef BOOTHD_CHAT_BATCH_H
#define BOOTHD_CHAT_BATCH_H

#include <stdint.h>

struct app;
struct chat_batch;
struct chat_feed;
struct request;

struct chat_batch *chat_batch_new(struct app *app, struct chat_feed *feed);
/* Closes its handle; freed when it has closed. Pending requests were answered by then
 * (the stop waits for the database), so none is left. */
void chat_batch_free(struct chat_batch *b);
/* Takes ownership of `text` (cleaned, malloc'ed); client_msg_id is borrowed from r. */
void chat_batch_submit(struct chat_batch *b, struct request *r, int64_t booth_id, char *text,
                       const char *client_msg_id);

#endif
