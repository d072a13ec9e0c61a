/* wsproto.h — the client side of RFC 6455 as pure functions, shared by the test clients:
 * frame headers read and written, payload masking, the opening handshake's request and the
 * check of the server's answer. No sockets, no allocation: the callers do the I/O.
 *
 * Who links it: boothd-load's async client (tests/load/wsconn.c) and the blocking client of
 * the integration tests (tests/integration/wsclient.c), so both speak one implementation of
 * the handshake and of frame headers, neither of them the server's (libwebsockets).
 *
 * Why the generator has its own client: libwebsockets 4.1 parses every received byte through
 * a per-byte state machine, and the generator receives ~100,000 messages per second in the
 * fan-out benchmark on the machine it measures. Here a frame costs one header read; the
 * payload is found by its length and handed over in place.
 *
 * Not here: extensions (permessage-deflate is never offered), TLS (loopback only). */
#ifndef TESTS_WSPROTO_H
#define TESTS_WSPROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ws_opcode { WS_CONT = 0, WS_TEXT = 1, WS_BINARY = 2, WS_CLOSE = 8, WS_PING = 9, WS_PONG = 10 };

#define WS_MAX_HDR 14               /* 2 + 8 extended length + 4 mask key */
#define WS_KEY_LEN 24               /* base64 of 16 bytes */
#define WS_ACCEPT_LEN 28            /* base64 of a SHA-1 */

struct ws_frame {
    bool fin;
    uint8_t opcode;
    bool masked;
    uint8_t mask[4];
    uint64_t len;                   /* payload length */
    size_t hdr_len;                 /* bytes of header before the payload */
};

/* Reads the frame header at p[0..n). Returns hdr_len (> 0) when the whole header is there,
 * 0 when more bytes are needed, or -1 when the header breaks RFC 6455 for a frame sent BY A
 * SERVER: masked, reserved bits set (no extension was negotiated), an unknown opcode, a
 * control frame that is fragmented or longer than 125 bytes, or a 64-bit length with the top
 * bit set. The payload may still be incomplete: the caller compares f->len with what it has. */
int ws_frame_parse(const uint8_t *p, size_t n, struct ws_frame *f);

/* The length of a frame header for `len` payload bytes: 2, 4 or 10, plus 4 when masked. */
size_t ws_frame_header_size(uint64_t len, bool masked);

/* Writes a frame header at out (ws_frame_header_size(len, mask != NULL) bytes): first byte b0
 * exactly as given (FIN 0x80, RSV1-3 0x70, opcode 0x0f: any bits, so a test may write what a
 * correct client never would), the length in its shortest form, and the mask bit and key
 * when mask is not NULL (NULL: an unmasked frame). Returns the header length. */
size_t ws_frame_header_write(uint8_t *out, uint8_t b0, uint64_t len, const uint8_t *mask);

/* Writes the header of a final, masked client frame of `len` payload bytes with mask key
 * `mask` so that it ENDS at `end` (the payload follows it). Returns the header length
 * (6, 8 or 14); the header starts at end - that length. */
size_t ws_frame_header_before(uint8_t *end, enum ws_opcode op, uint64_t len, const uint8_t mask[4]);

/* XORs p[0..n) with the mask key (RFC 6455 5.3), starting at key position 0. */
void ws_mask(uint8_t *p, size_t n, const uint8_t mask[4]);

/* Base64 of 16 bytes of `nonce`: the Sec-WebSocket-Key (WS_KEY_LEN chars + NUL). */
void ws_key_encode(const uint8_t nonce[16], char out[WS_KEY_LEN + 1]);

/* The Sec-WebSocket-Accept the server must answer to `key` (WS_ACCEPT_LEN chars + NUL):
 * base64(SHA-1(key + the RFC's GUID)). */
void ws_accept_for(const char *key, char out[WS_ACCEPT_LEN + 1]);

/* The HTTP/1.1 upgrade request. host is an IPv4 literal. protocol: the Sec-WebSocket-Protocol
 * to ask for (NULL: none). extra_headers: more header lines, each ending in CRLF, or NULL; no
 * Origin unless they carry one (boothd admits a request without one: non-browser clients; see
 * server/net/origin.c). Returns its length, or -1 if it does not fit in cap. */
int ws_request(char *out, size_t cap, const char *host, int port, const char *path, const char *key,
               const char *protocol, const char *extra_headers);

/* Checks the server's answer to ws_request in p[0..n). Returns the length of the response
 * head (through the blank line; frames may follow it) when it is a valid 101 for `key` and
 * `protocol` (NULL: none was asked for, and the answer must not choose one), 0 when the head is not complete yet, or -1 when it is not a valid upgrade
 * (status other than 101, Upgrade/Connection missing, wrong Sec-WebSocket-Accept or
 * Sec-WebSocket-Protocol, a protocol not asked for, an extension we did not offer). *why names the first problem. */
int ws_response_check(const char *p, size_t n, const char *key, const char *protocol, const char **why);

#endif
