/* http.h — the HTTP side of the lws context: static files from booth-assets, /vendor/
 * (Debian's /usr/share/javascript), /healthz, and later downloads. Transport code: it
 * includes libwebsockets.h. */
#ifndef BOOTHD_HTTP_H
#define BOOTHD_HTTP_H

#include <libwebsockets.h>

struct app;

/* The "http" protocol callback (protocols[0] of the vhost). */
int http_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len);
#define HTTP_PSS_SIZE 16

/* Builds the mount list for the vhost (valid for the app's lifetime). */
const struct lws_http_mount *http_mounts(struct app *app);
/* Extra response headers for every HTTP response. */
const struct lws_protocol_vhost_options *http_headers(void);

#endif
