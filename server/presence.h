/* presence.h — who is in which booth, kept in PostgreSQL (table presence, one row per
 * node/session/booth) so every node counts the same. Changes are announced with
 * NOTIFY boothd_presence '<booth_id>'; each node debounces them (PRESENCE_DEBOUNCE_MS),
 * reads the counts of the booths it has members in, and sends presence.changed
 * {booth_id, visitors_now, staff_online} to those members. */
#ifndef BOOTHD_PRESENCE_H
#define BOOTHD_PRESENCE_H

#include <stddef.h>
#include <stdint.h>

#define PRESENCE_DEBOUNCE_MS 100

struct app;
struct session;

void presence_init(struct app *app);
void presence_free(void);
/* The session left one booth (booth_id > 0) or all of them (booth_id = 0, socket closed):
 * deletes its rows, closes its visits, notifies. Fire and forget: if the database is
 * away, the rows are reconciled on the next heartbeat. */
void presence_leave(struct app *app, uint64_t session_id, int64_t booth_id);
/* Our node row was re-created (we were reaped during an outage): re-insert every local
 * session's presence. */
void presence_restore_all(struct app *app);
void presence_on_notify(const char *payload);
void presence_mark(int64_t booth_id);
void presence_mark_all(void);
/* "node:session" key used in the presence table. */
void presence_session_key(struct app *app, uint64_t session_id, char *out, size_t len);

#endif
