/* import.h — expo.import (import.c), the organizer's bulk import of exhibitors from CSV. */
#ifndef BOOTHD_IMPORT_H
#define BOOTHD_IMPORT_H

struct request;

void import_handle(struct request *r);     /* organizers */

#endif
