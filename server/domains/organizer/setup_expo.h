/* setup_expo.h — creating and editing categories, companies and booths (setup_expo.c). */
#ifndef BOOTHD_SETUP_EXPO_H
#define BOOTHD_SETUP_EXPO_H

struct request;

void setup_handle_category(struct request *r);  /* organizers */
void setup_handle_company(struct request *r);   /* organizers */
void setup_handle_booth(struct request *r);     /* organizers */

#endif
