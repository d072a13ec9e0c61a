/* chat_feed.h — live chat delivery to this node's booth rooms, in seq order.
 *
 * Two ways in:
 * - this node's own commits: chat_feed_committed() delivers a message straight from the
 *   batch result when it is the next seq of its room (the usual case: no re-read of rows
 *   this node just wrote);
 * - everything else (other nodes' commits, our own that arrived out of order): a booth
 *   becomes "dirty" up to some seq when a NOTIFY on CHAT_CHANNEL names it or a commit could
 *   not be delivered in order; one fetch at a time reads every dirty booth's messages above
 *   the room cursor from the table and hands them to the room (core/room.h).
 * After the LISTEN connection reconnects, every room is marked dirty without an upper bound,
 * so a notification lost while it was away skips nothing.
 *
 * Owned by the chat domain (created with it); other domains reach it as app->chat_feed. */
#ifndef BOOTHD_CHAT_FEED_H
#define BOOTHD_CHAT_FEED_H

#include <stdint.h>

#define CHAT_CHANNEL "boothd_chat"

struct app;
struct chat_feed;
struct member;

struct chat_feed *chat_feed_new(struct app *app);
/* Closes its handle; the feed is freed when it has closed. */
void chat_feed_free(struct chat_feed *f);

/* hi = INT64_MAX: everything above the cursor. */
void chat_feed_mark(struct chat_feed *f, int64_t booth_id, int64_t hi);
void chat_feed_mark_all(struct chat_feed *f);
/* This node committed message `seq` of booth_id; message_json is its SQL_MESSAGE_JSON. */
void chat_feed_committed(struct chat_feed *f, int64_t booth_id, int64_t seq, const char *message_json);
/* The member is further behind its room than the room's ring covers (it entered while many
 * messages arrived): CATCHING_UP while what it lacks above its seq is read from the table and
 * sent in order, then LIVE again from the ring (room_catch_up). */
void chat_feed_catch_up_member(struct chat_feed *f, struct member *m);

/* Parses a CHAT_CHANNEL payload: {"b":[[booth_id,max_seq],...]} or {"b":"all"}. */
void chat_feed_on_notify(struct chat_feed *f, const char *payload);

#endif
