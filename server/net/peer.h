/* peer.h — who a connection is from: the TCP peer, or, when that peer is a reverse proxy
 * listed with --trusted-proxy, the client address the proxy appended to X-Forwarded-For
 * (core/config.h config_client_address). Used for the per-address connection cap, the
 * sign-in throttle, /metrics access and the logs. Transport code (lws). */
#ifndef BOOTHD_PEER_H
#define BOOTHD_PEER_H

#include <libwebsockets.h>
#include <stddef.h>

struct config;

/* Writes the client's address (NUL-terminated, truncated to len) into out. Call while the
 * request's headers are still held (HTTP request, WebSocket filter/established). */
void peer_address(struct lws *wsi, const struct config *cfg, char *out, size_t len);

#endif
