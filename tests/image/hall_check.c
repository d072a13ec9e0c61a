/* hall_check.c — the WebSocket check of scripts/image-test: the demo hall of a boothd that runs
 * from the container image.
 *
 *   image_hall_check PORT [MIN_BOOTHS]
 *
 * Connects to ws://127.0.0.1:PORT/ws with the subprotocol expo.v1 (tests/integration/wsclient.c,
 * a client independent of libwebsockets), sends sys.ping and hall.list, and checks that the hall
 * lists at least MIN_BOOTHS booths (default 1), each with an English and a Korean name. Prints one
 * line on success ("hall: N booths, first: ..."); on failure prints what came back and exits 1.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wsclient.h"

static struct ws w;

static void fail(const char *what, const char *detail)
{
    fprintf(stderr, "image_hall_check: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    if (w.fd >= 0) ws_close_socket(&w);
    exit(1);
}

/* Sends {"id": id, "type": type, "data": data} and returns the reply's "data" (detached).
 * Events are skipped; any other reply, a close or a timeout fails. */
static cJSON *call(int id, const char *type, const char *data)
{
    char req[256];
    snprintf(req, sizeof req, "{\"id\":%d,\"type\":\"%s\",\"data\":%s}", id, type, data);
    int rc = ws_send_text(&w, req, strlen(req));
    if (rc != WS_OK) fail("send failed", ws_strerror(rc));
    for (int i = 0; i < 100; i++) {
        struct ws_msg m;
        rc = ws_recv(&w, &m, 10000, 0);
        if (rc != WS_OK) fail(type, ws_strerror(rc));
        if (m.opcode == WS_OP_CLOSE) {
            ws_msg_free(&m);
            fail(type, "the server closed the connection");
        }
        cJSON *j = cJSON_Parse(m.data);
        if (!j || !cJSON_IsObject(j)) fail("not a JSON object", m.data);
        const cJSON *jid = cJSON_GetObjectItemCaseSensitive(j, "id");
        if (!cJSON_IsNumber(jid) || jid->valueint != id) { /* an event: skip it */
            cJSON_Delete(j);
            ws_msg_free(&m);
            continue;
        }
        if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "ok"))) fail(type, m.data);
        cJSON *d = cJSON_DetachItemFromObjectCaseSensitive(j, "data");
        if (!cJSON_IsObject(d)) fail("reply without data", m.data);
        cJSON_Delete(j);
        ws_msg_free(&m);
        return d;
    }
    fail(type, "no reply among 100 messages");
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: image_hall_check PORT [MIN_BOOTHS]\n");
        return 2;
    }
    int port = atoi(argv[1]);
    int min_booths = argc > 2 ? atoi(argv[2]) : 1;
    w.fd = -1;
    struct ws_connect_opts o = {.host = "127.0.0.1", .port = port, .path = "/ws",
                                .protocol = "expo.v1", .timeout_ms = 5000};
    int rc = ws_connect(&w, &o);
    if (rc != WS_OK) {
        char why[128];
        snprintf(why, sizeof why, "%s (HTTP status %d)", ws_strerror(rc), w.http_status);
        fail("cannot open ws://127.0.0.1/ws", why);
    }
    if (strcmp(w.protocol, "expo.v1") != 0) fail("the server did not choose expo.v1", w.protocol);

    cJSON *ping = call(1, "sys.ping", "{}");
    cJSON_Delete(ping);

    cJSON *d = call(2, "hall.list", "{\"offset\":0,\"limit\":100}");
    const cJSON *total = cJSON_GetObjectItemCaseSensitive(d, "total");
    const cJSON *booths = cJSON_GetObjectItemCaseSensitive(d, "booths");
    char *text = cJSON_PrintUnformatted(d);
    if (!cJSON_IsNumber(total) || !cJSON_IsArray(booths)) fail("hall.list: no total or booths", text);
    int n = cJSON_GetArraySize(booths);
    if (total->valueint < min_booths || n < (min_booths < 100 ? min_booths : 100)) {
        char why[96];
        snprintf(why, sizeof why, "hall.list has %d booths (%d listed), expected at least %d",
                 total->valueint, n, min_booths);
        fail(why, text);
    }
    const char *first = NULL;
    for (int i = 0; i < n; i++) {
        const cJSON *b = cJSON_GetArrayItem(booths, i);
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(b, "name");
        const cJSON *en = cJSON_GetObjectItemCaseSensitive(name, "en");
        const cJSON *ko = cJSON_GetObjectItemCaseSensitive(name, "ko");
        if (!cJSON_IsString(en) || !*en->valuestring || !cJSON_IsString(ko) || !*ko->valuestring)
            fail("a booth without an English and a Korean name", cJSON_PrintUnformatted(b));
        if (!first) first = en->valuestring;
    }
    printf("hall: %d booths, first: %s\n", total->valueint, first ? first : "-");
    free(text);
    cJSON_Delete(d);

    rc = ws_close(&w, 1000, 5000);
    if (rc != 1000) {
        char why[64];
        snprintf(why, sizeof why, "%d (%s)", rc, rc < 0 ? ws_strerror(rc) : "close code");
        fail("the close handshake did not end with 1000", why);
    }
    return 0;
}
