/* announce.h — expo-wide announcements (announce.c): the handlers the organizer domain routes
 * and what a notification on ANNOUNCE_CHANNEL does on this node. */
#ifndef BOOTHD_ANNOUNCE_H
#define BOOTHD_ANNOUNCE_H

struct app;
struct request;

void announce_handle_publish(struct request *r);    /* organizers */
void announce_handle_retract(struct request *r);    /* organizers */
void announce_handle_history(struct request *r);    /* organizers: every one, retracted too */
void announce_handle_list(struct request *r);       /* anyone: the active ones */

/* payload "p<id>" or "r<id>": sends the event to every open session of this node. */
void announce_on_notify(struct app *app, const char *payload);

#endif
