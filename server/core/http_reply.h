/* http_reply.h — one HTTP response being prepared, as a domain sees it. net/http.c
 * implements it (the only place that knows lws); a domain's http route (core/domain.h)
 * receives one and finishes it exactly once, now or from a database callback. A client that
 * hangs up meanwhile costs nothing: the reply is shared by the connection and the domain
 * and freed by whichever lets go last. */
#ifndef BOOTHD_HTTP_REPLY_H
#define BOOTHD_HTTP_REPLY_H

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

#endif
