/* app.h — the process's state, reached by every part through one pointer: the uv loop,
 * the config, the db pool, the sessions, the rooms, the lws server and the domains' states.
 * Data only: app_run.c creates and runs it (and is the only code that knows the start and
 * stop order, see app_run.h); the transport, the requests and the domains read it. */
#ifndef BOOTHD_APP_H
#define BOOTHD_APP_H

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "core/config.h"
#include "core/dispatch.h"
#include "core/loop_stats.h"

struct chat_feed;
struct db;
struct inquiry_desk;
struct rooms;
struct presence;
struct sessions;
struct ws_server;

struct app {
    uv_loop_t loop;
    struct config *cfg;
    struct db *db;
    struct sessions *sessions;   /* every open session of this node, by account too */
    struct rooms *rooms;         /* booth rooms of this node */
    struct ws_server *ws;        /* lws context wrapper; NULL until serving */

    /* Services one domain offers the others, set by the owning domain's create() (and
     * cleared by its destroy()); a domain nobody calls needs no field here. */
    struct presence *presence;
    struct chat_feed *chat_feed;
    struct inquiry_desk *inquiry_desk;   /* inquiries: the exhibitor domain drops removed staff */

    void **domain_self;          /* domain_self[i]: the state of domains[i] */
    struct route *routes;        /* every domain's routes, sorted by type */
    void **route_self;           /* route_self[i]: the state of the domain of routes[i] */
    size_t n_routes;
    struct http_route *http_routes;  /* every domain's http routes (net/http.c serves them) */
    void **http_route_self;
    size_t n_http_routes;

    bool serving;
    bool stopping;
    int exit_code;
    uint64_t started_ms;
    uv_signal_t sig_term, sig_int;
    uv_timer_t stop_timer;
    unsigned stop_ticks;
    struct loop_stats loop_stats;   /* each loop iteration's work, for /metrics */
};

/* Milliseconds of the loop clock (monotonic). */
static inline uint64_t app_now_ms(struct app *app) { return uv_now(&app->loop); }

#endif
