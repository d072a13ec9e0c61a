/* wsmask.h — watches the bytes a client connection sends for WebSocket frames that are not
 * masked. RFC 6455 (5.1) requires every client-to-server frame to be masked and the server to
 * fail a connection that sends an unmasked one; libwebsockets 4.1.6 (Debian 12) does not check
 * the bit in its server parser and offers no way to ask, so boothd looks at the raw bytes as
 * they are read (net/recv_hook.c) and ws.c closes such a connection with 1002.
 *
 * The scanner follows a connection from its first byte: HTTP requests (a GET of /ws with
 * "Upgrade: websocket" switches to frames after its headers; other requests are skipped, their
 * Content-Length bodies included, so keep-alive connections stay in step), then frame headers
 * and payload lengths. It never looks inside a payload. Pure: no sockets, unit-tested. */
#ifndef BOOTHD_WSMASK_H
#define BOOTHD_WSMASK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The first WSMASK_LINE_KEEP bytes of each request line are kept (enough for a header's name
 * and a short value); a line longer than WSMASK_LINE_MAX ends the watch (not HTTP we serve). */
#define WSMASK_LINE_KEEP 64
#define WSMASK_LINE_MAX 8192

enum wsmask_mode { WSMASK_HTTP, WSMASK_BODY, WSMASK_FRAMES, WSMASK_OFF };

struct wsmask {
    enum wsmask_mode mode;
    bool unmasked;               /* an unmasked client frame was seen (sticky) */
    /* HTTP: the current header line and what the request said so far */
    char line[WSMASK_LINE_KEEP];
    size_t line_len;             /* bytes of the line so far (only the first ones are kept) */
    bool request_seen, is_ws_get, upgrade;
    uint64_t content_length, body_left;
    /* frames: the header being read, then the payload left to skip */
    uint8_t hdr[14];
    size_t hdr_len, hdr_need;
    uint64_t payload_left;
};

/* A connection from its start. */
void wsmask_init(struct wsmask *m);

/* Feeds n more bytes of what the client sent. Returns true once an unmasked frame was seen
 * (and from then on). */
bool wsmask_feed(struct wsmask *m, const uint8_t *buf, size_t n);

#endif
