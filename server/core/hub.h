/* hub.h — booth rooms of this node: booth id -> the local sessions inside, and fan-out of
 * one serialized, ref-counted payload to all of them.
 *
 * The hub does not own sessions: a session is removed from its rooms when it closes
 * (hub_session_gone, called by the transport before session_closed). Cross-node delivery
 * is driven by the chat/presence modules from PostgreSQL NOTIFY; the hub only knows the
 * local members. */
#ifndef BOOTHD_HUB_H
#define BOOTHD_HUB_H

#include <stdbool.h>
#include <stdint.h>

#include "util/outmsg.h"

struct hub;
struct session;

struct hub *hub_new(void);
void hub_free(struct hub *h);

/* Returns 0, or -1 when the session is already in SESSION_MAX_BOOTHS rooms. */
int hub_join(struct hub *h, int64_t booth_id, struct session *s);
void hub_leave(struct hub *h, int64_t booth_id, struct session *s);
void hub_session_gone(struct hub *h, struct session *s);

/* Queues m to every local member of the booth (each gets a reference). Returns the number
 * of sessions it was queued to. */
unsigned hub_publish(struct hub *h, int64_t booth_id, struct outmsg *m);
unsigned hub_room_size(const struct hub *h, int64_t booth_id);

/* Chat delivery, in seq order. Each room remembers the highest seq this node delivered
 * (its cursor; -1 = unknown, set by the first member's booth.enter) and the last
 * HUB_RING messages, so a member that joins slightly behind the room can be caught up
 * without the database. Members only get messages above their own seq
 * (struct session_booth.seq), so nothing is repeated. */
#define HUB_RING 128
int64_t hub_room_seq(const struct hub *h, int64_t booth_id);      /* -1 when no room/unknown */
void hub_room_set_seq(struct hub *h, int64_t booth_id, int64_t seq);
/* Delivers chat message `seq` (m is its chat.message event) to every member below it and
 * records it in the ring; advances the cursor. Returns the number of recipients. */
unsigned hub_deliver_chat(struct hub *h, int64_t booth_id, int64_t seq, struct outmsg *m);
/* Sends s the ring's messages above its seq up to the room cursor. Returns false when the
 * ring no longer holds all of them (the caller then reads them from the table). */
bool hub_catch_up(struct hub *h, int64_t booth_id, struct session *s);

/* Visits the booth ids that have at least one local member. */
typedef void (*hub_room_fn)(int64_t booth_id, unsigned members, void *arg);
void hub_foreach_room(const struct hub *h, hub_room_fn fn, void *arg);

#endif
