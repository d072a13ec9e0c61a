/* wsclient.h — a small blocking RFC 6455 WebSocket client for the integration tests.
 *
 * What it is: plain POSIX sockets, one connection per struct ws, no threads, no event loop.
 * Every call that waits takes a timeout in milliseconds. It speaks the client side of
 * RFC 6455: the opening handshake (Sec-WebSocket-Key, the check of the 101 and its accept),
 * masked frames, text/binary/close/ping/pong, reassembly of fragmented messages, automatic
 * pong replies (can be turned off to play a dead peer). The byte-level rules (request, answer
 * check, frame headers, masking) are tests/support/wsproto.c, the same code boothd-load uses;
 * this client adds the blocking socket, reassembly and the close handshake.
 *
 * What it is not: a general client. It deliberately lets a test send what a correct client
 * never would (unmasked, oversized, malformed or raw bytes), so it is independent of the
 * server's WebSocket stack and can be used to attack it. No TLS, no extensions.
 *
 * Ownership: struct ws is the caller's (stack or heap); ws_close_socket() releases what
 * ws_connect() acquired. A received struct ws_msg owns its data; free with ws_msg_free().
 */
#ifndef IT_WSCLIENT_H
#define IT_WSCLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "wsproto.h"

/* The opcodes by the names the tests use; the values are wsproto's enum ws_opcode. */
enum {
    WS_OP_CONT = WS_CONT,
    WS_OP_TEXT = WS_TEXT,
    WS_OP_BINARY = WS_BINARY,
    WS_OP_CLOSE = WS_CLOSE,
    WS_OP_PING = WS_PING,
    WS_OP_PONG = WS_PONG,
};

enum ws_err {
    WS_OK = 0,
    WS_E_TIMEOUT = -1,  /* nothing (complete) arrived in time */
    WS_E_EOF = -2,      /* the peer closed TCP (without, or after, a close frame) */
    WS_E_IO = -3,       /* a socket error (errno saved in ws.sys_errno) */
    WS_E_PROTO = -4,    /* the peer broke RFC 6455 (bad frame, bad handshake) */
    WS_E_REFUSED = -5,  /* the upgrade was answered with something other than 101 */
    WS_E_CLOSED = -6,   /* a close frame was already received; nothing more will come */
    WS_E_TOO_BIG = -7,  /* a received message exceeded ws.max_message */
};
const char *ws_strerror(int err);

struct ws_header {
    const char *name;
    const char *value;
};

struct ws_connect_opts {
    const char *host;          /* default "127.0.0.1" */
    int port;
    const char *path;          /* default "/ws" */
    const char *protocol;      /* Sec-WebSocket-Protocol to ask for; NULL: none */
    const char *origin;        /* Origin header; NULL: none (non-browser client) */
    const struct ws_header *headers; /* extra headers, terminated by {NULL, NULL} */
    int timeout_ms;            /* for connect + handshake; default 5000 */
};

struct ws {
    int fd;                    /* -1 when not connected */
    int http_status;           /* status of the upgrade response; 0 if none was read */
    char protocol[64];         /* Sec-WebSocket-Protocol chosen by the server ("" if none): the
                                * one asked for, since the handshake fails on any other */
    char *response_headers;    /* raw upgrade response head (NUL-terminated), for diagnostics */
    int auto_pong;             /* default 1: answer pings; 0 plays a dead peer */
    int close_received;        /* a close frame arrived; close_code/close_reason are valid */
    int close_sent;
    int close_code;            /* 1005 if the close frame had no status */
    char close_reason[124];
    int pings_received;
    int pongs_received;
    int sys_errno;
    const char *proto_error;   /* after WS_E_PROTO from the handshake or ws_recv: what was wrong
                                * (static text), when known */
    size_t max_message;        /* default 16 MiB */
    /* receive buffer: bytes read from the socket but not consumed yet */
    uint8_t *rbuf;
    size_t rlen, rcap;
    /* partial fragmented message being reassembled */
    uint8_t *frag;
    size_t frag_len, frag_cap;
    int frag_opcode;           /* 0: none in progress */
};

struct ws_msg {
    int opcode;                /* WS_OP_TEXT, WS_OP_BINARY, WS_OP_CLOSE (or PONG if asked) */
    char *data;                /* payload, always NUL-terminated (the NUL is not in len) */
    size_t len;
    int close_code;            /* for WS_OP_CLOSE */
};

/* Connects and performs the opening handshake. Returns WS_OK when the server answered
 * 101 with Upgrade: websocket, Connection: Upgrade, a correct Sec-WebSocket-Accept, the
 * protocol asked for (none if none was asked for) and no extension; otherwise WS_E_PROTO.
 * On WS_E_REFUSED, w->http_status holds the status (0 if the server closed without an
 * answer) and the socket is closed. On any failure w->fd is -1 afterwards. */
int ws_connect(struct ws *w, const struct ws_connect_opts *o);

/* Sends one complete text message (one frame, FIN set, masked). */
int ws_send_text(struct ws *w, const char *text, size_t len);

/* Sends one frame exactly as described. `mask` 0 sends it unmasked (a protocol violation
 * from a client). `rsv` goes into the RSV1-3 bits (0 for a correct frame). */
int ws_send_frame(struct ws *w, int fin, int opcode, const void *payload, size_t len,
                  int mask, int rsv);

/* Writes raw bytes to the socket, no framing. */
int ws_send_raw(struct ws *w, const void *buf, size_t len);

/* Sends a close frame with `code` (0: no status) unless one was sent already. */
int ws_send_close(struct ws *w, int code, const char *reason);

/* Receives the next complete data message (text or binary) or the peer's close frame.
 * Pings are answered (if auto_pong) and counted; pongs are counted, and returned as a
 * message only when `want_pong` is set. A close frame is answered with a close frame
 * echoing its code and returned as WS_OP_CLOSE; later calls return WS_E_CLOSED. A frame a
 * server must not send (masked, RSV bits, unknown opcode, bad control frame) is WS_E_PROTO.
 * Returns WS_OK with *m filled, or a negative enum ws_err. */
int ws_recv(struct ws *w, struct ws_msg *m, int timeout_ms, int want_pong);

/* Sends a close frame (if not yet sent) and waits until the peer's close frame or EOF,
 * discarding data messages. Then closes the socket. Returns the peer's close code, or a
 * negative enum ws_err if it never answered. */
int ws_close(struct ws *w, int code, int timeout_ms);

/* Waits until the peer closes: returns the close code of its close frame (1005 if none
 * given), 0 if TCP ended without a close frame, or WS_E_TIMEOUT. Data messages are
 * discarded, and counted in *discarded if not NULL. */
int ws_wait_closed(struct ws *w, int timeout_ms, int *discarded);

/* Closes the socket at once, no close frame (a crashed or vanished client). */
void ws_close_socket(struct ws *w);

void ws_msg_free(struct ws_msg *m);

#endif
