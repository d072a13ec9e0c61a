/* calendar.h — ICS downloads of the meetings domain (see calendar.c). */
#ifndef BOOTHD_MEETINGS_CALENDAR_H
#define BOOTHD_MEETINGS_CALENDAR_H

struct app;
struct http_reply;

/* path: "/meetings.ics" (every accepted meeting) or "/meetings/<id>.ics"; authorization:
 * the request's Authorization header, "Bearer <token>". Finishes h (now or later). */
void calendar_download(struct app *app, struct http_reply *h, const char *path, const char *authorization);

#endif
