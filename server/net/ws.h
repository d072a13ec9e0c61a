/* ws.h — the libwebsockets server: creates the lws context as a guest on our libuv loop
 * (foreign loop, evlib-uv plugin), owns the /ws endpoint (subprotocol expo.v1) and
 * bridges lws events to sessions. The only file that handles WebSocket lws callbacks;
 * HTTP lives in http.c.
 *
 * Limits enforced here: message size (PROTOCOL_MAX_MESSAGE, close 1009), Origin
 * (browser origins not allowed are refused before the upgrade), WebSocket connections
 * per remote address, idle/dead peers (ping after 15 s idle, hang up at 30 s). */
#ifndef BOOTHD_WS_H
#define BOOTHD_WS_H

#include <stdbool.h>

struct app;
struct ws_server;

/* Creates the context and starts listening. Returns NULL (logged) on failure. */
struct ws_server *ws_server_start(struct app *app);
/* True when the context exists but could not listen (the app must stop). */
bool ws_server_failed(const struct ws_server *w);
/* Refuses new connections from now on (they are closed right after accept). */
void ws_server_refuse_new(struct ws_server *w);
/* Destroys the context; lws closes its handles asynchronously, so keep running the loop. */
void ws_server_destroy(struct ws_server *w);
/* After the loop ran dry: finishes the destruction and frees w. */
void ws_server_free(struct ws_server *w);

#endif
