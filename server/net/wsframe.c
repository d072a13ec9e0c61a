/* wsframe.c — see wsframe.h. */
#include "net/wsframe.h"

size_t wsframe_header(unsigned char *out, unsigned opcode, uint64_t payload_len)
{
    out[0] = (unsigned char)(0x80 | (opcode & 0x0f));     /* FIN, no RSV bits */
    if (payload_len < 126) {
        out[1] = (unsigned char)payload_len;
        return 2;
    }
    if (payload_len <= 0xffff) {
        out[1] = 126;
        out[2] = (unsigned char)(payload_len >> 8);
        out[3] = (unsigned char)payload_len;
        return 4;
    }
    out[1] = 127;
    for (int i = 0; i < 8; i++) out[2 + i] = (unsigned char)(payload_len >> (56 - 8 * i));
    return 10;
}
