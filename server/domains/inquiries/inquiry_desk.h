/* inquiry_desk.h — who gets the events of an inquiry thread on this node, and the desk's
 * presence.
 *
 * A thread's events go to exactly two groups of local sessions:
 *   - the buyer's side: every open session signed in as the thread's buyer (the account
 *     index of core/session.h, so other tabs and devices follow);
 *   - the booth's side: the sessions that opened the desk for that booth (inquiry.desk),
 *     which was allowed only to its staff and to organizers, and the organizers' desks
 *     opened for every booth (inquiry.desk {all}).
 * Nobody else: no broadcast, no room anyone can join. A desk entry remembers the account it
 * was opened by; a session that signed out or in as someone else meanwhile gets nothing.
 * A staff member removed from a booth's team leaves that booth's desk at once
 * (inquiry_desk_drop_booth, called by the exhibitor domain on its removal notification, on
 * every node), so nothing of the booth reaches them after the removal committed.
 *
 * Presence: a desk session of a staff member writes one presence row per booth with role
 * 'staff' (session key "<session>:desk", so it never collides with the row booth.enter
 * writes), so staff on the desk count in staff_online on every node (presence.h). The rows
 * go when the desk closes or the session ends. If this node was reaped meanwhile (its rows
 * went with its `nodes` row after a database outage), a refresh every
 * INQUIRY_DESK_REFRESH_MS writes them again, so the desk shows as online again on its own.
 *
 * The registry is a plain array scanned per event: a node holds tens of desk sessions, not
 * thousands. Owned by the inquiries domain. */
#ifndef BOOTHD_INQUIRY_DESK_H
#define BOOTHD_INQUIRY_DESK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/outmsg.h"

#define INQUIRY_DESK_MAX_BOOTHS 32
#define INQUIRY_DESK_REFRESH_MS 5000
#define INQUIRY_DESK_REMOVED_MS 60000    /* far above any query's life (statement_timeout 15 s) */

struct app;
struct inquiry_desk;
struct session;

struct inquiry_desk *inquiry_desk_new(struct app *app);
/* Closes its refresh timer; freed when the timer has closed. */
void inquiry_desk_free(struct inquiry_desk *d);

/* Files s (signed in as s->account_id) as the desk of `booths` (checked by the caller),
 * replacing what it had. staff: write presence rows for them (organizers do not count as
 * staff). all: the desk of every booth (an organizer's; booths and staff are then ignored).
 * n <= INQUIRY_DESK_MAX_BOOTHS. */
void inquiry_desk_open(struct inquiry_desk *d, struct session *s, const int64_t *booths, size_t n, bool staff,
                       bool all);
/* The session closed (or closed its desk): drops its entry and its presence rows. */
void inquiry_desk_close(struct inquiry_desk *d, struct session *s);

/* Queues m to the sessions of thread (booth_id, buyer_id): the buyer's sessions unless
 * booth_side_only, and the desks of booth_id. Each session at most once. Returns how many. */
unsigned inquiry_desk_deliver(struct inquiry_desk *d, int64_t booth_id, int64_t buyer_id, bool booth_side_only,
                              struct outmsg *m);

/* The account no longer staffs booth_id (team removal committed): its desks on this node
 * stop covering that booth now (and its desk presence row there goes). Organizers' desks of
 * every booth are not touched: organizers may read every booth's inquiries. */
void inquiry_desk_drop_booth(struct inquiry_desk *d, int64_t account_id, int64_t booth_id);

/* Whether this node heard of account_id's removal from booth_id's team at or after since_ms
 * (loop clock), within the last INQUIRY_DESK_REMOVED_MS: a staff check sent before the
 * removal was heard may have read the old team, so an inquiry.desk whose answer crosses the
 * removal must not open that booth. */
bool inquiry_desk_removed_since(const struct inquiry_desk *d, int64_t account_id, int64_t booth_id, uint64_t since_ms);

/* After the LISTEN connection came back: sends inquiry.resync to the sessions that hold
 * inquiry state, so they re-read what they may have missed: every open desk at once, and the
 * sessions of buyers who have at least one thread (one query over this node's signed-in
 * accounts; when it fails, every signed-in session, as the safe side). Each session at most
 * once; other sessions hear nothing. */
void inquiry_desk_resync(struct inquiry_desk *d);

#endif
