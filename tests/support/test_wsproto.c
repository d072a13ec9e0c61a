/* Unit tests of wsproto (tests/support/wsproto.c), the client side of RFC 6455 shared by
 * boothd-load and the integration tests' client: frame headers read and written (the RFC's
 * examples among them), masking, the upgrade request and the check of the server's answer. */
#include <stdio.h>
#include <string.h>

#include "../unit/check.h"
#include "wsproto.h"

static void test_ws_frames(void)
{
    struct ws_frame f;
    /* server frames: unmasked text, 7-bit, 16-bit and 64-bit lengths */
    const uint8_t small[] = {0x81, 0x05, 'h', 'e', 'l', 'l', 'o'};
    CHECK_INT(ws_frame_parse(small, 1, &f), 0);                  /* header incomplete */
    CHECK_INT(ws_frame_parse(small, sizeof small, &f), 2);
    CHECK(f.fin && f.opcode == WS_TEXT && !f.masked);
    CHECK_INT(f.len, 5);
    CHECK_INT(ws_frame_parse(small, 3, &f), 2);                  /* payload short: caller's job */
    const uint8_t mid[] = {0x01, 126, 0x01, 0x00};
    CHECK_INT(ws_frame_parse(mid, 3, &f), 0);
    CHECK_INT(ws_frame_parse(mid, 4, &f), 4);
    CHECK(!f.fin && f.opcode == WS_TEXT);
    CHECK_INT(f.len, 256);
    const uint8_t big[] = {0x80, 127, 0, 0, 0, 0, 0, 1, 0x00, 0x01};
    CHECK_INT(ws_frame_parse(big, 9, &f), 0);
    CHECK_INT(ws_frame_parse(big, 10, &f), 10);
    CHECK(f.fin && f.opcode == WS_CONT);
    CHECK_INT(f.len, 65537);
    const uint8_t ping[] = {0x89, 0x00};
    CHECK_INT(ws_frame_parse(ping, 2, &f), 2);
    CHECK(f.opcode == WS_PING && f.len == 0);
    /* what a server must not send */
    const uint8_t masked[] = {0x81, 0x85, 1, 2, 3, 4};
    CHECK_INT(ws_frame_parse(masked, sizeof masked, &f), -1);
    const uint8_t rsv[] = {0xC1, 0x01, 'x'};
    CHECK_INT(ws_frame_parse(rsv, sizeof rsv, &f), -1);
    const uint8_t opc[] = {0x83, 0x00};
    CHECK_INT(ws_frame_parse(opc, sizeof opc, &f), -1);
    const uint8_t fragping[] = {0x09, 0x00};
    CHECK_INT(ws_frame_parse(fragping, sizeof fragping, &f), -1);
    const uint8_t longping[] = {0x89, 126, 0x00, 0x7e};
    CHECK_INT(ws_frame_parse(longping, sizeof longping, &f), -1);
    const uint8_t huge[] = {0x82, 127, 0x80, 0, 0, 0, 0, 0, 0, 0};
    CHECK_INT(ws_frame_parse(huge, sizeof huge, &f), -1);

    /* client frames: header before the payload, masked, in the three length forms */
    const uint8_t key[4] = {0x37, 0xfa, 0x21, 0x3d};
    uint8_t buf[WS_MAX_HDR + 70000];
    uint8_t *pl = buf + WS_MAX_HDR;
    memcpy(pl, "Hello", 5);
    size_t h = ws_frame_header_before(pl, WS_TEXT, 5, key);
    ws_mask(pl, 5, key);
    /* RFC 6455 5.7: a masked "Hello" */
    const uint8_t rfc[] = {0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58};
    CHECK_INT(h, 6);
    CHECK(!memcmp(pl - h, rfc, sizeof rfc));
    CHECK_INT(ws_frame_header_before(pl, WS_TEXT, 125, key), 6);
    CHECK_INT(ws_frame_header_before(pl, WS_TEXT, 126, key), 8);
    CHECK(pl[-8] == 0x81 && pl[-7] == (0x80 | 126) && pl[-6] == 0 && pl[-5] == 126);
    CHECK_INT(ws_frame_header_before(pl, WS_PONG, 65535, key), 8);
    CHECK(pl[-8] == 0x8A && pl[-6] == 0xff && pl[-5] == 0xff);
    CHECK_INT(ws_frame_header_before(pl, WS_TEXT, 65536, key), 14);
    CHECK(pl[-13] == (0x80 | 127) && pl[-12] == 0 && pl[-7] == 1 && pl[-6] == 0 && pl[-5] == 0);
    CHECK(!memcmp(pl - 4, key, 4));
    /* masking twice restores the payload, at every length and alignment */
    for (size_t n = 0; n < 40; n++) {
        uint8_t a[48], b[48];
        for (size_t i = 0; i < n; i++) a[1 + i] = b[i] = (uint8_t)(i * 7 + n);
        ws_mask(a + 1, n, key);
        for (size_t i = 0; i < n; i++) CHECK_INT(a[1 + i], b[i] ^ key[i & 3]);
        ws_mask(a + 1, n, key);
        CHECK(!memcmp(a + 1, b, n));
    }

    /* any header a test may send: unmasked, not final, RSV bits, odd opcodes */
    uint8_t out[WS_MAX_HDR];
    CHECK_INT(ws_frame_header_size(0, false), 2);
    CHECK_INT(ws_frame_header_size(125, true), 6);
    CHECK_INT(ws_frame_header_size(126, false), 4);
    CHECK_INT(ws_frame_header_size(65535, true), 8);
    CHECK_INT(ws_frame_header_size(65536, false), 10);
    CHECK_INT(ws_frame_header_size(65536, true), WS_MAX_HDR);
    CHECK_INT(ws_frame_header_write(out, 0x81, 5, NULL), 2);           /* what a server sends */
    CHECK(out[0] == 0x81 && out[1] == 5);
    CHECK_INT(ws_frame_parse(out, 2, &f), 2);
    CHECK(f.fin && f.opcode == WS_TEXT && !f.masked && f.len == 5);
    CHECK_INT(ws_frame_header_write(out, 0x01, 300, NULL), 4);         /* first fragment */
    CHECK(out[0] == 0x01 && out[1] == 126 && out[2] == 1 && out[3] == 44);
    CHECK_INT(ws_frame_parse(out, 4, &f), 4);
    CHECK(!f.fin && f.opcode == WS_TEXT && f.len == 300);
    CHECK_INT(ws_frame_header_write(out, 0xC1, 1, key), 6);            /* RSV1 set, masked */
    CHECK(out[0] == 0xC1 && out[1] == 0x81 && !memcmp(out + 2, key, 4));
    CHECK_INT(ws_frame_header_write(out, 0x8B, 70000, NULL), 10);      /* opcode 11, 64-bit length */
    CHECK(out[0] == 0x8B && out[1] == 127 && out[7] == 1 && out[8] == 0x11 && out[9] == 0x70);
    CHECK_INT(ws_frame_parse(out, 10, &f), -1);                        /* no such opcode */
    /* the before-the-payload form is the general writer with FIN and a key */
    CHECK_INT(ws_frame_header_write(out, 0x80 | WS_PONG, 65535, key), 8);
    CHECK_INT(ws_frame_header_before(pl, WS_PONG, 65535, key), 8);
    CHECK(!memcmp(out, pl - 8, 8));
}

static void test_ws_handshake(void)
{
    /* RFC 6455 1.3 */
    const uint8_t nonce[16] = "the sample nonce";
    char key[WS_KEY_LEN + 1], acc[WS_ACCEPT_LEN + 1];
    ws_key_encode(nonce, key);
    CHECK_STR(key, "dGhlIHNhbXBsZSBub25jZQ==");
    ws_accept_for(key, acc);
    CHECK_STR(acc, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");

    char req[512];
    int n = ws_request(req, sizeof req, "127.0.0.1", 8080, "/ws", key, "expo.v1", NULL);
    CHECK(n > 0 && (size_t)n == strlen(req));
    CHECK(!strncmp(req, "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n", 40));
    CHECK(strstr(req, "\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"));
    CHECK(strstr(req, "\r\nSec-WebSocket-Protocol: expo.v1\r\n"));
    CHECK(strstr(req, "\r\nSec-WebSocket-Version: 13\r\n"));
    CHECK(!strstr(req, "Origin"));
    CHECK(n >= 4 && !strcmp(req + n - 4, "\r\n\r\n"));
    CHECK_INT(ws_request(req, 20, "127.0.0.1", 8080, "/ws", key, "expo.v1", NULL), -1);
    n = ws_request(req, sizeof req, "127.0.0.1", 8080, "/ws", key, NULL,
                   "Origin: http://x.example\r\nX-Test: 1\r\n");
    CHECK(n > 0 && (size_t)n == strlen(req));
    CHECK(!strstr(req, "Sec-WebSocket-Protocol"));
    CHECK(strstr(req, "\r\nSec-WebSocket-Version: 13\r\nOrigin: http://x.example\r\nX-Test: 1\r\n\r\n"));
    CHECK(n >= 4 && !strcmp(req + n - 4, "\r\n\r\n") && strstr(req, "\r\n\r\n") == req + n - 4);

    const char *ok = "HTTP/1.1 101 Switching Protocols\r\n"
                     "upgrade: WebSocket\r\n"
                     "connection: keep-alive, Upgrade\r\n"
                     "sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
                     "sec-websocket-protocol: expo.v1\r\n"
                     "\r\n\x81\x02hi";
    size_t len = strlen(ok);
    const char *why = NULL;
    CHECK_INT(ws_response_check(ok, len, key, "expo.v1", &why), (long long)len - 4);   /* a frame follows */
    CHECK_INT(ws_response_check(ok, 40, key, "expo.v1", &why), 0);                       /* not complete yet */
    CHECK_INT(ws_response_check(ok, len, "x3JJHMbDL1EzLkh9GBhXDw==", "expo.v1", &why), -1);
    CHECK_STR(why, "wrong or missing Sec-WebSocket-Accept");
    CHECK_INT(ws_response_check(ok, len, key, "expo.v2", &why), -1);
    CHECK_STR(why, "wrong or missing Sec-WebSocket-Protocol");
    CHECK_INT(ws_response_check(ok, len, key, NULL, &why), -1);        /* chose one not asked for */
    CHECK_STR(why, "a protocol we did not ask for");
    const char *noproto = "HTTP/1.1 101 Switching Protocols\r\n"
                          "Upgrade: websocket\r\n"
                          "Connection: Upgrade\r\n"
                          "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
                          "\r\n";
    CHECK_INT(ws_response_check(noproto, strlen(noproto), key, NULL, &why), (long long)strlen(noproto));
    CHECK_INT(ws_response_check(noproto, strlen(noproto), key, "expo.v1", &why), -1);
    CHECK_STR(why, "wrong or missing Sec-WebSocket-Protocol");

    const char *bad[] = {
        "HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n",
        "HTTP/1.1 1010 Nope\r\n\r\n",
        "HTTP/1.1 101 Switching Protocols\r\nconnection: Upgrade\r\n"
        "sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nsec-websocket-protocol: expo.v1\r\n\r\n",
        "HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: close\r\n"
        "sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nsec-websocket-protocol: expo.v1\r\n\r\n",
        "HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: upgrade\r\n"
        "sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nsec-websocket-protocol: expo.v1\r\n"
        "sec-websocket-extensions: permessage-deflate\r\n\r\n",
        "HTTP/1.1 101 Switching Protocols\r\nno colon here\r\n\r\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK_INT(ws_response_check(bad[i], strlen(bad[i]), key, "expo.v1", &why), -1);
    static char longhead[9000];
    memset(longhead, 'a', sizeof longhead);
    CHECK_INT(ws_response_check(longhead, sizeof longhead, key, "expo.v1", &why), -1);
}

int main(void)
{
    test_ws_frames();
    test_ws_handshake();
    return check_report("test_wsproto");
}
