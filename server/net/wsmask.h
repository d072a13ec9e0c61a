/* wsmask.h — watches the bytes a client connection sends for WebSocket frames that are not
 * masked. RFC 6455 (5.1) requires every client-to-server frame to be masked and the server to
 * fail a connection that sends an unmasked one; libwebsockets 4.1.6 (Debian 12) does not check
 * the bit in its server parser and offers no way to ask, so boothd looks at the raw bytes as
 * they are read (net/recv_hook.c) and ws.c closes such a connection with 1002.
 *
 * The scanner follows a connection from its first byte: HTTP requests (a GET of /ws with
 * "Upgrade: websocket" switches to frames after its headers; other requests are skipped, their
 * Content-Length bodies included, so keep-alive connections stay in step), then frame headers
 * and payload lengths. It never looks inside a payload. Pure: no sockets, unit-tested.
 *
 * Memory: a struct wsmask is 24 bytes, kept inline in recv_hook's table (one slot per
 * descriptor), because every idle WebSocket session carries one (issue 15: bytes per session).
 * What only the HTTP phase needs (the current header line) is a struct wsmask_http, allocated
 * by wsmask_feed when a request starts and freed when the connection switches to frames or the
 * watch ends; wsmask_done frees it for a connection that goes away before that. */
#ifndef BOOTHD_WSMASK_H
#define BOOTHD_WSMASK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The first WSMASK_LINE_KEEP bytes of each request line are kept (enough for a header's name
 * and a short value); a line longer than WSMASK_LINE_MAX ends the watch (not HTTP we serve). */
#define WSMASK_LINE_KEEP 64
#define WSMASK_LINE_MAX 8192

/* UNUSED is 0, so a zeroed struct follows nothing (recv_hook's table starts zeroed). */
enum wsmask_mode { WSMASK_UNUSED, WSMASK_HTTP, WSMASK_BODY, WSMASK_FRAMES, WSMASK_OFF };

/* HTTP phase only: the current header line and what the request said so far. */
struct wsmask_http {
    char line[WSMASK_LINE_KEEP];
    uint32_t line_len;           /* bytes of the line so far (only the first ones are kept) */
    bool request_seen, is_ws_get, upgrade;
    uint64_t content_length;
};

struct wsmask {
    /* FRAMES: while a header is read (hdr_pos > 0), its payload length as far as read; after
     * it, the payload bytes left to skip. BODY: the request body bytes left to skip. */
    uint64_t left;
    struct wsmask_http *http;    /* owned; only in HTTP mode (NULL until a byte arrives) */
    uint8_t mode;                /* enum wsmask_mode */
    bool unmasked;               /* an unmasked client frame was seen (sticky) */
    uint8_t hdr_pos, hdr_need;   /* frame header bytes read so far / its length (2 until known) */
};

/* A connection from its start (m need not be initialized; one in use: wsmask_done first). */
void wsmask_init(struct wsmask *m);
/* Frees what the scanner holds and marks it UNUSED (the connection is gone). */
void wsmask_done(struct wsmask *m);

/* Feeds n more bytes of what the client sent. Returns true once an unmasked frame was seen
 * (and from then on). An UNUSED scanner ignores the bytes. */
bool wsmask_feed(struct wsmask *m, const uint8_t *buf, size_t n);

#endif
