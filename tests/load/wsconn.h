/* wsconn.h — one client WebSocket connection on a libuv TCP handle: boothd-load's own small
 * client (RFC 6455), in place of libwebsockets. wsproto.c holds the pure parts.
 *
 * Life of a connection: wsconn_connect() binds (optionally to a source address), connects,
 * sends the upgrade request and checks the 101; then on_open runs once. Every complete
 * message arrives in on_message; pings are answered with pongs inside; a close from the
 * server is answered with a close. on_closed runs exactly once when the connection ends for
 * any reason except wsconn_kill() (connect refused, bad handshake, server close, EOF,
 * protocol or write error), possibly before on_open ever ran.
 *
 * Ownership: the connection owns itself. The caller's pointer is valid until on_closed
 * returns or until it calls wsconn_kill(); after either, the caller must forget it (the
 * memory is freed when libuv has closed the handle). It is safe to call wsconn_send_text()
 * and wsconn_kill() from inside on_open and on_message. The loop is single-threaded.
 *
 * Receiving costs one header read per frame: a read lands in one buffer shared by all
 * connections of the process (reads are handled one at a time), frames are found there by
 * length and handed to on_message in place; only the tail of a frame split across reads is
 * copied into the connection's own buffer. Nothing is allocated per message. */
#ifndef LOAD_WSCONN_H
#define LOAD_WSCONN_H

#include <stddef.h>
#include <uv.h>

#include "wsproto.h"

/* Bytes the caller must leave writable before a payload given to wsconn_send_text(). */
#define WSCONN_PRE WS_MAX_HDR

/* Largest message accepted from the server; a bigger one ends the connection. */
#define WSCONN_MAX_MESSAGE (16u << 20)

struct wsconn;

struct wsconn_cbs {
    void (*on_open)(struct wsconn *c, void *user);
    /* buf is not NUL-terminated and is valid only during the call */
    void (*on_message)(struct wsconn *c, void *user, const char *buf, size_t len);
    /* why: a short reason for --verbose; the connection is already going away */
    void (*on_closed)(struct wsconn *c, void *user, const char *why);
};

struct wsconn_target {
    const char *host;               /* IPv4 literal */
    int port;
    const char *path;
    const char *protocol;           /* Sec-WebSocket-Protocol to ask for */
    const char *src_addr;           /* IPv4 literal to bind before connecting, or NULL */
};

/* Starts a connection. Returns it, or NULL (and no callback ever runs) when the socket
 * cannot even be set up; *why then says why. cbs must outlive the connection. */
struct wsconn *wsconn_connect(uv_loop_t *loop, const struct wsconn_target *t, const struct wsconn_cbs *cbs,
                              void *user, const char **why);

/* Sends payload[0..len) as one masked text frame. WSCONN_PRE bytes before payload must be
 * writable, and payload is masked in place: the caller's buffer is clobbered. What the socket
 * does not take at once is copied and queued in order behind earlier frames (libuv's write
 * queue is the connection's outbound queue). Returns 0, or -1 when the connection is not open
 * (the frame is dropped). */
int wsconn_send_text(struct wsconn *c, char *payload, size_t len);

/* Closes the connection now, without a close frame, and without any further callback. */
void wsconn_kill(struct wsconn *c);

#endif
