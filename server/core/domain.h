/* domain.h — what a domain is: one folder under server/domains/ that plugs into the app as
 * one `struct domain` (the h2o handler idea). The app (core/app.c) walks the table in
 * domains/domains.c and knows no domain by name:
 *
 *   create        at start, before the database is ready; returns the domain's state (`self`,
 *                 passed to every other hook and to its handlers as r->self). NULL = no state.
 *   start / stop  the node begins serving (database ready) / the graceful stop begins.
 *   destroy       at teardown, while the loop still runs: stop timers, close handles; the
 *                 domain frees its state from the handles' close callbacks (or at once).
 *   routes        message types it answers (each with its role set and rate class).
 *   channels      NOTIFY channels it LISTENs to; on_notify gets every notification on them.
 *   on_listen_ready  the LISTEN connection (re)connected: notifications sent while it was away
 *                 are lost, so catch up from the tables.
 *   on_session_gone  a session's transport closed (before it is marked CLOSED): drop it from
 *                 whatever the domain keeps per session.
 *   http_routes   HTTP GET paths it answers (downloads), served by net/http.c.
 *
 * Every hook is optional (NULL). Hooks run on the loop thread, in table order (destroy and
 * stop in reverse order). */
#ifndef BOOTHD_DOMAIN_H
#define BOOTHD_DOMAIN_H

#include <stddef.h>

#include "core/dispatch.h"

struct app;
struct http_reply;
struct session;

#define DOMAIN_MAX_CHANNELS 4

/* An HTTP GET path: `mount` and everything below it ("/meetings" also answers
 * "/meetings/7.ics"). fn gets the whole path and the Authorization header ("" when none)
 * and finishes the reply (core/http_reply.h). */
struct http_route {
    const char *mount;
    void (*fn)(void *self, struct http_reply *reply, const char *path, const char *authorization);
};

struct domain {
    const char *name;
    const struct route *routes;
    size_t n_routes;
    const char *channels[DOMAIN_MAX_CHANNELS];      /* NULL-terminated when fewer */
    void (*on_notify)(void *self, const char *channel, const char *payload);
    void (*on_listen_ready)(void *self);
    void (*on_session_gone)(void *self, struct session *s);
    const struct http_route *http_routes;
    size_t n_http_routes;
    void *(*create)(struct app *app);
    void (*start)(void *self);
    void (*stop)(void *self);
    void (*destroy)(void *self);
};

/* In a domain's definition: `DOMAIN_ROUTES(routes),` for a static array of struct route
 * (likewise DOMAIN_HTTP_ROUTES), so the count cannot drift from the array. */
#define DOMAIN_ROUTES(a) .routes = (a), .n_routes = sizeof(a) / sizeof((a)[0])
#define DOMAIN_HTTP_ROUTES(a) .http_routes = (a), .n_http_routes = sizeof(a) / sizeof((a)[0])

/* The table (domains/domains.c): adding a domain is one folder and one line there. */
extern const struct domain *const domains[];
extern const size_t n_domains;

#endif
