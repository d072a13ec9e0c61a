/* chat_batch.h — group commit for chat.send. Messages that arrive while a batch is being
 * committed wait and go together in the next one: one chat_append() call (one
 * transaction, booth rows locked in id order, gapless per-booth seq, one NOTIFY) per
 * batch, never one commit per message under load. Each request is answered only after its
 * batch's COMMIT result arrived. With batching off (benchmark comparison), every message
 * is its own call. */
#ifndef BOOTHD_CHAT_BATCH_H
#define BOOTHD_CHAT_BATCH_H

#include <stdint.h>

#define CHAT_BATCH_MAX 500
#define CHAT_BATCH_INFLIGHT 2

struct app;
struct request;

void chat_batch_init(struct app *app);
void chat_batch_free(void);
/* Takes ownership of `text` (cleaned, malloc'ed); client_msg_id is borrowed from r. */
void chat_batch_submit(struct request *r, int64_t booth_id, char *text, const char *client_msg_id);

#endif
