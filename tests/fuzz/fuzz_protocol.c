/* fuzz_protocol.c — libFuzzer harness for the expo.v1 envelope decoder and the field
 * getters every handler uses (protocol.c), and for text_clean (util/text.c).
 *
 * Built two ways:
 *   - with clang and -DBOOTHD_FUZZ=ON: a real libFuzzer binary (`fuzz_protocol corpus/protocol`);
 *   - otherwise: a replay driver (main below) that runs every file of the corpus once; ctest
 *     runs it under the normal and the ASan+UBSan build, so crashes found once stay fixed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/protocol.h"
#include "util/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct envelope env;
    char err[256];
    if (protocol_decode((const char *)data, size, &env, err, sizeof err) == PROTO_OK) {
        const char *s;
        int64_t n;
        bool b;
        /* the getters with the names handlers use */
        const char *names[] = {"text", "client_msg_id", "email", "password", "q", "starts_at", "note"};
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
            if (proto_get_string(env.data, names[i], false, 0, 2000, &s, err, sizeof err) == 0 && s) {
                char *c = text_clean(s);
                if (utf8_length(c) > utf8_length(s)) abort();   /* cleaning never adds */
                free(c);
            }
        }
        proto_get_int(env.data, "booth_id", false, 1, INT64_C(9007199254740991), &n, err, sizeof err);
        proto_get_int(env.data, "since_seq", false, 0, INT64_C(9007199254740991), &n, err, sizeof err);
        proto_get_bool(env.data, "flag", false, &b, err, sizeof err);
        free(protocol_encode_ok(env.id, NULL));
    } else {
        free(protocol_encode_error(env.id, PROTO_BAD_REQUEST, err));
    }
    envelope_free(&env);
    return 0;
}

#ifndef BOOTHD_LIBFUZZER
#include "replay.h"
int main(int argc, char **argv) { return fuzz_replay_main(argc, argv); }
#endif
