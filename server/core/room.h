/* room.h — the booth rooms of this node: for each booth, the local sessions inside (its
 * members), the chat delivery cursor and a ring of the last ROOM_RING chat messages; fan-out
 * of one serialized, ref-counted payload to every member.
 *
 * One membership, one object: a `struct member` is created by room_join and freed by
 * room_leave; the room's member array and the session's `rooms` array both point to it, and
 * only this module writes either. A member's chat state changes only in member_transition():
 *
 *   ENTERING     joined; booth.enter is reading its first messages. Nothing is delivered.
 *        | room_entered(last_seq the reply carries)
 *        v
 *   LIVE         gets every chat message above its seq, in order, as the room delivers it.
 *        ^ \  room_entered/room_catch_up found the ring too short
 *        |  v
 *   CATCHING_UP  its missing messages are being read from the table (chat_feed); live
 *                delivery is paused, so nothing is sent twice or out of order. Back to LIVE
 *                with the seq it reached.
 *
 * The room's cursor is the highest seq this node delivered (-1 = unknown until the first
 * member's booth.enter tells). Pure: no sockets, no database; unit-tested.
 *
 * Hidden messages (moderation): a message may come in two forms, the one for everyone (a
 * placeholder without text when it is hidden) and, when it is hidden, the one for the booth's
 * staff and organizers (member_privileged: its text, marked hidden). The ring keeps both, and
 * each member gets its own. A message hidden after it entered the ring is dropped from the ring
 * (room_hidden), so a member catching up across it is read from the table, which masks it; a
 * message announced hidden before this node delivered it is remembered (room_hidden_pending),
 * so the feed does not deliver a copy it read before the hide.
 *
 * The rooms do not own sessions: the app calls rooms_session_gone() when a session closes. */
#ifndef BOOTHD_ROOM_H
#define BOOTHD_ROOM_H

#include <stdbool.h>
#include <stdint.h>

#include "util/outmsg.h"

#define ROOM_RING 128
#define ROOM_ROLE_LEN 12

struct rooms;
struct room;
struct session;

enum member_state { MEMBER_ENTERING, MEMBER_LIVE, MEMBER_CATCHING_UP };

struct member {
    struct room *room;
    struct session *s;
    int64_t booth_id;
    enum member_state state;
    int64_t seq;                    /* the last chat seq it has been sent (replies and events) */
    char role[ROOM_ROLE_LEN];       /* "visitor", "staff" or "organizer" in that booth; "" until
                                       its enter committed */
    unsigned index;                 /* its slot in room->members */
    bool reread;                    /* a message was hidden while its read (enter or catch-up)
                                       was out: what that read returned may predate the hide */
};

/* The member may read hidden messages of the booth: its staff or an organizer. */
bool member_privileged(const struct member *m);

struct rooms *rooms_new(void);
/* Frees every room and member; the sessions must be gone (rooms_session_gone) first. */
void rooms_free(struct rooms *rs);

/* A new ENTERING member of the booth's room (created on first join). Returns NULL when the
 * session is already in SESSION_MAX_BOOTHS rooms. The session must not be in that room yet. */
struct member *room_join(struct rooms *rs, int64_t booth_id, struct session *s);
/* Removes and frees the member (and the room when it was the last). */
void room_leave(struct rooms *rs, struct member *m);
/* The session closed: leaves every room it is in. */
void rooms_session_gone(struct rooms *rs, struct session *s);
/* s's membership of the booth's room, or NULL. */
struct member *room_member(const struct session *s, int64_t booth_id);

/* The one state change of a member: to `state`, having been sent everything up to `seq`. */
void member_transition(struct member *m, enum member_state state, int64_t seq);

/* Queues m to every member of the booth (each gets a reference). Returns the number of
 * sessions it was queued to. */
unsigned room_publish(struct rooms *rs, int64_t booth_id, struct outmsg *m);
unsigned room_size(const struct rooms *rs, int64_t booth_id);
int64_t room_seq(const struct rooms *rs, int64_t booth_id);       /* -1 when no room/unknown */

/* The same with m_priv for privileged members (NULL: they get m too). */
unsigned room_publish_split(struct rooms *rs, int64_t booth_id, struct outmsg *m, struct outmsg *m_priv);

/* Delivers chat message `seq` (m is its chat.message event; m_priv, when the message is hidden,
 * the event privileged members get instead, else NULL) to every LIVE member below it, records
 * it in the ring and advances the cursor. Returns the number of recipients. */
unsigned room_deliver(struct rooms *rs, int64_t booth_id, int64_t seq, struct outmsg *m, struct outmsg *m_priv);

/* Message `seq` of the booth was hidden: dropped from the ring when it is there; remembered as
 * pending when this node has not delivered it yet (until the cursor passes it); every member
 * whose read is out (ENTERING, CATCHING_UP) gets `reread` set, so its reader reads again instead
 * of sending rows that may predate the hide. */
void room_hidden(struct rooms *rs, int64_t booth_id, int64_t seq);
/* Whether `seq` was announced hidden and not delivered yet: a copy of it read before the hide
 * must not be delivered (read it again). */
bool room_hidden_pending(const struct rooms *rs, int64_t booth_id, int64_t seq);

/* booth.enter's reply carried the messages up to last_seq: the member (ENTERING) takes that
 * seq, the room learns its cursor if it had none, and the member is caught up from the ring.
 * Returns true when it is LIVE; false when the ring did not reach back far enough: it is
 * CATCHING_UP and the caller reads the rest from the table. */
bool room_entered(struct member *m, int64_t last_seq);
/* A CATCHING_UP member that has been sent everything up to seq from the table: sends what the
 * ring holds above it and goes LIVE (true), or stays CATCHING_UP (false) when the ring does
 * not reach back to seq + 1. */
bool room_catch_up(struct member *m, int64_t seq);

/* Visits the booth ids that have at least one local member. */
typedef void (*room_visit_fn)(int64_t booth_id, unsigned members, void *arg);
void rooms_foreach(const struct rooms *rs, room_visit_fn fn, void *arg);

#endif
