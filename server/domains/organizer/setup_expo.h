/* setup_expo.h — the organizer console's Set-up section (setup_expo.c): creating and editing
 * categories, companies and booths, archiving booths, the list of all three, and what a node
 * does with a HALL_CHANNEL notification. */
#ifndef BOOTHD_SETUP_EXPO_H
#define BOOTHD_SETUP_EXPO_H

struct app;
struct request;

void setup_handle_category(struct request *r);  /* organizers */
void setup_handle_company(struct request *r);   /* organizers */
void setup_handle_booth(struct request *r);     /* organizers */
void setup_handle_archive(struct request *r);   /* organizers */
void setup_handle_list(struct request *r);      /* organizers */

/* Sends hall.changed to every open session of this node (payload: booth id or ""). */
void setup_on_hall_notify(struct app *app, const char *payload);

#endif
