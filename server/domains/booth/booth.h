/* booth.h — the booth domain: booth.get, booth.enter, booth.leave. Entering a booth joins
 * its room on this node (core/room.h), writes the presence row and the visit, and starts the
 * member's chat delivery exactly after the messages of the reply. */
#ifndef BOOTHD_BOOTH_H
#define BOOTHD_BOOTH_H

#include <stdint.h>

#include "core/domain.h"

struct app;
struct session;

extern const struct domain booth_domain;

/* Takes s out of the booth on this node: its room and its presence row (fire and forget). */
void booth_leave(struct app *app, struct session *s, int64_t booth_id);
/* The same for every booth s is in (signing out, or in as someone else). */
void booth_leave_all(struct app *app, struct session *s);

#endif
