/* http.h — the HTTP side of the lws context: static files from booth-assets, /vendor/
 * (Debian's /usr/share/javascript), /healthz, and the domains' http routes (downloads, see
 * core/domain.h), answered through core/http_reply.h. Transport code: it includes
 * libwebsockets.h; it knows no domain by name. */
#ifndef BOOTHD_HTTP_H
#define BOOTHD_HTTP_H

#include <libwebsockets.h>

struct app;

/* The "http" protocol callback (protocols[0] of the vhost). */
int http_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len);
#define HTTP_PSS_SIZE 32

/* The mount list for the vhost: files, /healthz and one mount per domain http route.
 * Must outlive the lws context (freed in ws_server_free). */
struct http_mounts;
struct http_mounts *http_mounts_new(struct app *app);
const struct lws_http_mount *http_mounts_list(const struct http_mounts *m);
void http_mounts_free(struct http_mounts *m);
/* Refuses a WebSocket upgrade (from LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION) with an HTTP
 * status instead of a bare close, and returns the callback's "refuse" value. A reverse proxy
 * (deploy/nginx.conf) counts a connection closed without an answer as a failed node: it
 * retries the next node and marks this one down, so one foreign page could take every node
 * out of rotation. An answered refusal is passed to the client as it is. */
int http_refuse_upgrade(struct lws *wsi, unsigned int status);

/* Extra response headers for every HTTP response. */
const struct lws_protocol_vhost_options *http_headers(void);

#endif
