/* http_reply.h — one HTTP response being prepared, as a domain sees it. net/http.c
 * implements it (the only place that knows lws); a domain's http route (core/domain.h)
 * receives one and finishes it exactly once, now or from a database callback. A client that
 * hangs up meanwhile costs nothing: the reply is shared by the connection and the domain
 * and freed by whichever lets go last. */
#ifndef BOOTHD_HTTP_REPLY_H
#define BOOTHD_HTTP_REPLY_H

#include <stddef.h>
#include <stdint.h>

struct http_reply;

/* Sends status, content type and body (takes ownership of the malloc'ed body). */
void http_reply_finish(struct http_reply *h, int status, const char *content_type, char *body);
/* Finishes with a small JSON error body {"error":"<code>"}; 401 also asks for a Bearer token. */
void http_reply_error(struct http_reply *h, int status, const char *code);
/* The client's address as text ("127.0.0.1", "::1"), "" when unknown. For routes that
 * decide by address (/metrics is open to loopback). */
const char *http_reply_peer(const struct http_reply *h);
/* Content-Disposition: attachment; filename="<filename>" (set before finishing). */
void http_reply_attachment(struct http_reply *h, const char *filename);

/* ---- reading the request (only from inside the route's call: fn or upload begin) ---- */

enum http_header {
    HTTP_HDR_RANGE,
    HTTP_HDR_IF_RANGE,
    HTTP_HDR_IF_NONE_MATCH,
    HTTP_HDR_CONTENT_LENGTH,
    HTTP_HDR_TRANSFER_ENCODING,
};
/* Copies the request header into buf[cap] (NUL-terminated) and returns buf; NULL when the
 * request has none or it does not fit. */
const char *http_reply_request_header(struct http_reply *h, enum http_header which, char *buf, size_t cap);
/* The URL-decoded value of query argument `name` ("?name=value"; "+" and %XX decoded) into
 * buf[cap]: 1 found, 0 absent, -1 present but not fitting cap (or no request any more). Every
 * argument is looked at, however long the others are; the first of repeated names wins. A
 * route that filters by an argument must refuse on -1 rather than treat it as absent. */
int http_reply_query_arg(struct http_reply *h, const char *name, char *buf, size_t cap);
/* The same, as buf or NULL (absent or too long alike): for arguments whose absence is harmless. */
const char *http_reply_request_arg(struct http_reply *h, const char *name, char *buf, size_t cap);

/* ---- larger answers (downloads) ---- */

/* Adds a response header before the reply is finished or streamed; name ends with ':'
 * ("etag:"). At most a few (2 KiB of names and values in all; aborts beyond: a bug).
 * A "cache-control:" given here replaces the default no-store. */
void http_reply_header(struct http_reply *h, const char *name, const char *value);

/* A body without a body: 304 Not Modified (no Content-Length, no content). */
void http_reply_not_modified(struct http_reply *h);

/* Streams a body of exactly `length` bytes that the domain produces piece by piece, so a
 * large file never sits in memory whole nor once per client. After the headers went out,
 * the transport calls pull(src, h) whenever it has sent everything fed so far; the domain
 * answers each pull with exactly one http_reply_feed, now or from a database callback.
 * release(src) runs exactly once, when the reply is freed (done, or the client left).
 * This finishes the reply (as http_reply_finish does). */
typedef void (*http_pull_fn)(void *src, struct http_reply *h);
void http_reply_stream(struct http_reply *h, int status, const char *content_type, uint64_t length,
                       http_pull_fn pull, void (*release)(void *src), void *src);
/* The answer to one pull: len bytes at data, which must stay valid until the next pull or
 * release. len == 0 means the piece could not be produced: the connection is cut (the
 * client sees a short body, never a wrong one). */
void http_reply_feed(struct http_reply *h, const void *data, size_t len);

#endif
