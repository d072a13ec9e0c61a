/* presence.h — who is in which booth, kept in PostgreSQL (table presence, one row per
 * node/session/booth) so every node counts the same. Changes are announced with
 * NOTIFY PRESENCE_CHANNEL: a node collects the booths whose presence it changed and announces
 * them in one notification per PRESENCE_DEBOUNCE_MS ({"n":node_id,"b":[booth ids]}; node
 * reaping sends '<booth_id>'). Each node debounces what it hears (PRESENCE_DEBOUNCE_MS),
 * reads the counts of the booths it has members in, and sends presence.changed
 * {booth_id, visitors_now, staff_online} to those members; after a recount that reached many
 * members it waits longer, up to PRESENCE_RECOUNT_MAX_MS (recount_pacing.h). The announcement
 * follows the commit by up to PRESENCE_DEBOUNCE_MS and is not in its transaction: if a node
 * dies in between, the other nodes recount on the next change of that booth (or on the reap).
 *
 * The presence domain also runs this node's registration and heartbeat (node.h).
 * Its state is created by presence_domain.create and reached as app->presence. */
#ifndef BOOTHD_PRESENCE_H
#define BOOTHD_PRESENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/domain.h"
#include "domains/presence/presence_sql.h"
#include "domains/presence/presence_write.h"
#include "domains/presence/recount_pacing.h"

/* booth ids per announcement: 400 ids of up to 16 digits and a comma, plus the node id, stay
 * under the 8000 bytes a NOTIFY payload may have */
#define PRESENCE_ANNOUNCE_MAX 400

struct presence;
struct session;

extern const struct domain presence_domain;

/* The session entered req->booth_id: writes its presence row and visit in this turn's batch
 * and reads what booth.enter answers with (presence_write.h); cb runs after the batch's
 * COMMIT result, or with the failure. */
void presence_enter(struct presence *p, const struct presence_enter_req *req, uint64_t submitted_ms,
                    presence_entered_fn cb, void *arg);
/* The session left one booth (booth_id > 0) or all of them (booth_id = 0, socket closed):
 * deletes its rows, closes its visits, notifies, in this turn's batch after every write
 * asked for before. Fire and forget: if the database is away, the rows are reconciled on
 * the next heartbeat. */
void presence_leave(struct presence *p, uint64_t session_id, int64_t booth_id);
/* A presence write failed or was dropped: the next heartbeat reconciles this node's rows. */
void presence_mark_stale(struct presence *p);
/* Our node row was re-created (we were reaped during an outage): re-insert every local
 * session's presence. */
void presence_restore_all(struct presence *p);
/* Whether a presence write failed since the last call (the heartbeat then reconciles). */
bool presence_take_stale(struct presence *p);
/* This node committed a presence change in booth_id: recount locally and tell the other
 * nodes (batched). */
void presence_changed(struct presence *p, int64_t booth_id);

#endif
