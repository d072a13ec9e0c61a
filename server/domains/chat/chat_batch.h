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
struct db_stmt;
struct request;

/* A second kind of message the same group commit carries (inquiry messages). A batch holds
 * items of one kind. `stmt` takes $1 = the batch as JSON, [{idx, <target_field>: id,
 * author_id, text, client_msg_id}, ...], and returns per element the columns of chat_append's
 * statement: idx, target id, seq, duplicate, error, message JSON. Requests are answered as
 * chat's are (after the COMMIT result), an error text through `answer_error`; the kind's live
 * delivery is its own (nothing goes to the chat feed). */
struct chat_batch_kind {
    struct db_stmt *stmt;
    const char *target_field;
    void (*answer_error)(struct request *r, const char *error);
};

/* feed: where committed chat messages go; NULL for a batcher that carries only other kinds. */
struct chat_batch *chat_batch_new(struct app *app, struct chat_feed *feed);
/* Closes its handle; freed when it has closed. Pending requests were answered by then
 * (the stop waits for the database), so none is left. */
void chat_batch_free(struct chat_batch *b);
/* Takes ownership of `text` (cleaned, malloc'ed); client_msg_id is borrowed from r. */
void chat_batch_submit(struct chat_batch *b, struct request *r, int64_t booth_id, char *text,
                       const char *client_msg_id);
/* The same for a message of another kind (kind is static); target_id is its thread or room. */
void chat_batch_submit_kind(struct chat_batch *b, const struct chat_batch_kind *kind, struct request *r,
                            int64_t target_id, char *text, const char *client_msg_id);

#endif
