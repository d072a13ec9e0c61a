/* chat_feed.h — live chat delivery to this node's booth rooms, always from the table in
 * seq order. A booth becomes "dirty" up to some seq when a NOTIFY on boothd_chat names it
 * (from any node, ours included) or when our own batch commits; one fetch at a time reads
 * every dirty booth's messages above the room cursor and hands them to the hub. After the
 * LISTEN connection reconnects, every room is marked dirty without an upper bound, so a
 * notification lost while it was away skips nothing. */
#ifndef BOOTHD_CHAT_FEED_H
#define BOOTHD_CHAT_FEED_H

#include <stdint.h>

struct app;

void chat_feed_init(struct app *app);
void chat_feed_free(void);
/* hi = INT64_MAX: everything above the cursor. */
void chat_feed_mark(int64_t booth_id, int64_t hi);
void chat_feed_mark_all(void);
struct session;
/* The session is further behind its room than the room's ring covers (it entered while
 * many messages arrived): pauses its live delivery, reads what it lacks above its seq from
 * the table, sends it in order, then resumes from the ring. */
void chat_feed_catch_up_session(struct session *s, int64_t booth_id);

/* Parses a boothd_chat payload: {"b":[[booth_id,max_seq],...]} or {"b":"all"}. */
void chat_feed_on_notify(const char *payload);

#endif
