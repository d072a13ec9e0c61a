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
/* Extra response headers for every HTTP response. */
const struct lws_protocol_vhost_options *http_headers(void);

#endif
