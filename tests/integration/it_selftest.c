/* it_selftest.c — checks the test client's own building blocks (no server needed): SHA-1,
 * base64, the Sec-WebSocket-Accept example of RFC 6455 and the RFC 3339 parser. */
#include <stdio.h>
#include <string.h>

#include "expo.h"
#include "wsclient.h"

static int failures;

#define SELF_CHECK_STR(a, b)                                                                \
    do {                                                                                    \
        if (strcmp((a), (b)) != 0) {                                                        \
            fprintf(stderr, "%s:%d: %s == %s failed: \"%s\" vs \"%s\"\n", __FILE__, __LINE__, \
                    #a, #b, (a), (b));                                                      \
            failures++;                                                                     \
        }                                                                                   \
    } while (0)

#define SELF_CHECK_INT(a, b)                                                                \
    do {                                                                                    \
        long long a_ = (a), b_ = (b);                                                       \
        if (a_ != b_) {                                                                     \
            fprintf(stderr, "%s:%d: %s == %s failed: %lld vs %lld\n", __FILE__, __LINE__,     \
                    #a, #b, a_, b_);                                                        \
            failures++;                                                                     \
        }                                                                                   \
    } while (0)

static const char *sha1_hex(const char *s, size_t len)
{
    static char hex[41];
    uint8_t d[20];
    ws_sha1(s, len, d);
    for (int i = 0; i < 20; i++) snprintf(hex + 2 * i, 3, "%02x", d[i]);
    return hex;
}

static const char *b64(const char *s)
{
    static char out[256];
    ws_base64((const uint8_t *)s, strlen(s), out, sizeof out);
    return out;
}

int main(void)
{
    SELF_CHECK_STR(sha1_hex("", 0), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    SELF_CHECK_STR(sha1_hex("abc", 3), "a9993e364706816aba3e25717850c26c9cd0d89d");
    const char *m448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    SELF_CHECK_STR(sha1_hex(m448, strlen(m448)), "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
    static char million[1000000];
    memset(million, 'a', sizeof million);
    SELF_CHECK_STR(sha1_hex(million, sizeof million), "34aa973cd4c4daa4f61eeb2bdbad27316534016f");

    SELF_CHECK_STR(b64(""), "");
    SELF_CHECK_STR(b64("f"), "Zg==");
    SELF_CHECK_STR(b64("fo"), "Zm8=");
    SELF_CHECK_STR(b64("foo"), "Zm9v");
    SELF_CHECK_STR(b64("foobar"), "Zm9vYmFy");

    /* RFC 6455 section 1.3 */
    const char *key = "dGhlIHNhbXBsZSBub25jZQ==258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    uint8_t d[20];
    ws_sha1(key, strlen(key), d);
    char accept[64];
    ws_base64(d, 20, accept, sizeof accept);
    SELF_CHECK_STR(accept, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");

    long long t = 0;
    SELF_CHECK_INT(it_parse_rfc3339("1970-01-01T00:00:00Z", &t), 0);
    SELF_CHECK_INT(t, 0);
    SELF_CHECK_INT(it_parse_rfc3339("2024-05-01T09:30:15.123+09:00", &t), 0);
    SELF_CHECK_INT(t, 1714523415LL);
    SELF_CHECK_INT(it_parse_rfc3339("2024-05-01T00:30:15.5Z", &t), 0);
    SELF_CHECK_INT(t, 1714523415LL);
    SELF_CHECK_INT(it_parse_rfc3339("2024-05-01 00:30:15", &t), -1);
    SELF_CHECK_INT(it_parse_rfc3339("yesterday", &t), -1);

    printf("%s\n", failures ? "selftest FAILED" : "selftest passed");
    return failures ? 1 : 0;
}
