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
 *   channels      NOTIFY channels it LISTENs to; on_notify gets every notification on them,
 *                 own = sent by a transaction of this process (db.h's db_notify_fn).
 *   on_listen_ready  the LISTEN connection (re)connected: notifications sent while it was away
 *                 are lost, so catch up from the tables.
 *   on_session_gone  a session's transport closed (before it is marked CLOSED): drop it from
 *                 whatever the domain keeps per session.
 *   http_routes   HTTP paths it answers: GET (downloads) and POST with a body (uploads),
 *                 served by net/http.c.
 *
 * Every hook is optional (NULL). Hooks run on the loop thread, in table order (destroy and
 * stop in reverse order). */
#ifndef BOOTHD_DOMAIN_H
#define BOOTHD_DOMAIN_H

#include <stdbool.h>
#include <stddef.h>

#include "core/dispatch.h"

struct app;
struct http_reply;
struct session;

#define DOMAIN_MAX_CHANNELS 4

/* An HTTP GET path: `mount` and everything below it ("/meetings" also answers
 * "/meetings/7.ics"). fn gets the whole path (without the query string) and the
 * Authorization header ("" when none) and finishes the reply (core/http_reply.h). The query
 * string's arguments ("?status=new&q=kim") are the route's to read while fn (or an upload's
 * begin) runs: http_reply_query_arg, which tells an absent argument from one too long for
 * the caller's buffer; the transport has URL-decoded them. After fn returns (in a database
 * callback, say) the request may be gone: copy what is needed first. */
struct http_route {
    const char *mount;
    void (*fn)(void *self, struct http_reply *reply, const char *path, const char *authorization);
    const struct http_upload *upload;   /* POST with a body; NULL: POST gets 405 */
};

/* Receiving a request body (POST) without knowing the transport. net/http.c reads the body
 * as it arrives, without blocking the loop, and hands it over piece by piece; it has already
 * refused a POST whose Origin header names a foreign site (403), like the WebSocket does.
 *
 *   begin  the headers arrived (path without the query string; authorization "" when none;
 *          the request's headers and query arguments are readable through the reply, see
 *          core/http_reply.h). Returns the domain's context for this body, or NULL after it
 *          finished the reply with an error: then the body is not handed over and the
 *          connection closes once the answer is out (answering before the client sent its
 *          body is how a 413 arrives before the upload).
 *   chunk  the next piece of the body (len > 0). Returns 0 to go on, or -1 after it finished
 *          the reply with an error: nothing more is handed over, end(ctx, false) follows.
 *   end    exactly once per context: complete = true when the whole body arrived, false when
 *          the client went away or chunk refused. The context is the domain's to free now.
 * The domain finishes the reply exactly once in total, anywhere between begin and after end
 * (from a database callback, say); finishing after the client left is harmless. */
struct http_upload {
    void *(*begin)(void *self, struct http_reply *reply, const char *path, const char *authorization);
    int (*chunk)(void *ctx, const void *data, size_t len);
    void (*end)(void *ctx, bool complete);
};

struct domain {
    const char *name;
    const struct route *routes;
    size_t n_routes;
    const char *channels[DOMAIN_MAX_CHANNELS];      /* NULL-terminated when fewer */
    void (*on_notify)(void *self, const char *channel, const char *payload, bool own);
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
