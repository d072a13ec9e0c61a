/* wsframe.h — RFC 6455 frame headers for server-to-client frames.
 *
 * ws.c uses this to put several queued messages into one buffer and hand them to the kernel
 * in one send(): one syscall (and one POLLOUT arm/disarm) per batch instead of per message.
 * Server frames are never masked (RFC 6455 5.1), so a header is 2, 4 or 10 bytes. Pure: no
 * sockets, no lws. */
#ifndef BOOTHD_WSFRAME_H
#define BOOTHD_WSFRAME_H

#include <stddef.h>
#include <stdint.h>

#define WSFRAME_MAX_HEADER 10
#define WSFRAME_OP_TEXT 0x1

/* Writes the header of one final (FIN), unmasked frame with the given opcode and payload
 * length into out (at least WSFRAME_MAX_HEADER bytes); returns the header length. */
size_t wsframe_header(unsigned char *out, unsigned opcode, uint64_t payload_len);

#endif
