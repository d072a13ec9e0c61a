/* exports.h — the organizer's CSV downloads (exports.c), an http route of the organizer
 * domain: GET /organizer/export/{booths,meetings,registrations,audit}.csv. */
#ifndef BOOTHD_EXPORTS_H
#define BOOTHD_EXPORTS_H

struct app;
struct http_reply;

void exports_download(struct app *app, struct http_reply *h, const char *path, const char *authorization);

#endif
