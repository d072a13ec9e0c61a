/* hub.h — booth rooms of this node: booth id -> the local sessions inside, and fan-out of
 * one serialized, ref-counted payload to all of them.
 *
 * The hub does not own sessions: a session is removed from its rooms when it closes
 * (hub_session_gone, called by the transport before session_closed). Cross-node delivery
 * is driven by the chat/presence modules from PostgreSQL NOTIFY; the hub only knows the
 * local members. */
#ifndef BOOTHD_HUB_H
#define BOOTHD_HUB_H

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

/* Visits the booth ids that have at least one local member. */
typedef void (*hub_room_fn)(int64_t booth_id, unsigned members, void *arg);
void hub_foreach_room(const struct hub *h, hub_room_fn fn, void *arg);

#endif
