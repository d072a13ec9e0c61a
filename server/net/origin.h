/* origin.h — the one Origin rule for browser requests that act with the user's rights (the
 * WebSocket upgrade, uploads): a request with an Origin header must come from an allowed
 * origin (core/config.h); one without (not a browser) passes. Transport code (lws). */
#ifndef BOOTHD_ORIGIN_H
#define BOOTHD_ORIGIN_H

#include <libwebsockets.h>
#include <stdbool.h>

struct config;

bool origin_allowed(struct lws *wsi, const struct config *cfg);

#endif
