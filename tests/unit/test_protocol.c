/* Unit tests for protocol.c: envelope decoding/validation and encoding. */
#include <stdlib.h>
#include "check.h"
#include "core/protocol.h"

static enum proto_code dec(const char *s, struct envelope *e, char *err)
{
    return protocol_decode(s, strlen(s), e, err, 256);
}

static void test_valid(void)
{
    struct envelope e;
    char err[256];
    CHECK_INT(dec("{\"id\":1,\"type\":\"sys.ping\",\"data\":{}}", &e, err), PROTO_OK);
    CHECK_STR(e.type, "sys.ping");
    CHECK(cJSON_IsRaw(e.id));
    CHECK_STR(e.id->valuestring, "1");   /* the id as written, echoed verbatim */
    CHECK(cJSON_IsObject(e.data));
    envelope_free(&e);

    /* string id, data omitted -> empty object */
    CHECK_INT(dec("{\"id\":\"a-1\",\"type\":\"meeting.availability.set\"}", &e, err), PROTO_OK);
    CHECK_STR(e.id->valuestring, "\"a-1\"");
    CHECK(cJSON_IsObject(e.data) && e.data->child == NULL);
    envelope_free(&e);

    /* data null -> empty object */
    CHECK_INT(dec("{\"id\":2,\"type\":\"sys.ping\",\"data\":null}", &e, err), PROTO_OK);
    CHECK(cJSON_IsObject(e.data));
    envelope_free(&e);
}

/* Issue 14: what cJSON would mangle is refused, ids come back byte for byte. */
static void test_strict(void)
{
    struct envelope e;
    char err[256];
    struct { const char *in; enum proto_code want; } refused[] = {
        {"{\"id\":1,\"type\":\"sys.ping\\u0000x\"}", PROTO_BAD_REQUEST},
        {"{\"id\":1,\"type\":\"chat.send\",\"data\":{\"client_msg_id\":\"k\\u0000A\"}}", PROTO_BAD_REQUEST},
        {"{\"id\":1,\"type\":\"chat.send\",\"data\":{\"text\":\"abc\\u0000def\"}}", PROTO_BAD_REQUEST},
        {"{\"id\":1,\"type\":\"chat.send\",\"data\":{\"text\":\"a\tb\"}}", PROTO_BAD_REQUEST},
        {"{\"id\":1,\"type\":\"chat.send\",\"data\":{\"text\":\"a\nb\"}}", PROTO_BAD_REQUEST},
        {"{\"id\":1,\"type\":\"sys.ping\"} x", PROTO_BAD_REQUEST},
        {"{\"id\":1,\"type\":\"sys.ping\"}{\"id\":2,\"type\":\"sys.ping\"}", PROTO_BAD_REQUEST},
        {"{\"id\":1e400,\"type\":\"sys.ping\"}", PROTO_BAD_REQUEST},
        {"{\"id\":10000000000000000000000000000000000000000000000000000000000000000000,\"type\":\"sys.ping\"}", PROTO_BAD_REQUEST},
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        enum proto_code c = dec(refused[i].in, &e, err);
        if (c != refused[i].want) fprintf(stderr, "strict case %zu: %s\n", i, refused[i].in);
        CHECK_INT(c, refused[i].want);
        envelope_free(&e);
    }
    /* allowed: escaped control characters, escaped backslash before u0000, trailing white space */
    const char *ok[] = {
        "{\"id\":1,\"type\":\"chat.send\",\"data\":{\"text\":\"a\\tb\\n\\u0001\"}}",
        "{\"id\":1,\"type\":\"chat.send\",\"data\":{\"text\":\"C:\\\\u0000\"}}",
        "{\"id\":1,\"type\":\"sys.ping\"} \r\n\t",
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        CHECK_INT(dec(ok[i], &e, err), PROTO_OK);
        envelope_free(&e);
    }
    /* ids echoed as written */
    struct { const char *in, *id; } ids[] = {
        {"{\"id\":9007199254740993,\"type\":\"sys.ping\"}", "9007199254740993"},
        {"{\"id\":1.7976931348623157e308,\"type\":\"sys.ping\"}", "1.7976931348623157e308"},
        {"{\"type\":\"sys.ping\", \"id\" : -0.50 }", "-0.50"},
        {"{\"data\":{\"id\":5},\"\\u0069d\":\"x\\\"y\",\"type\":\"sys.ping\"}", "\"x\\\"y\""},
    };
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        CHECK_INT(dec(ids[i].in, &e, err), PROTO_OK);
        char *out = protocol_encode_ok(e.id, NULL);
        char want[256];
        snprintf(want, sizeof want, "{\"id\":%s,\"ok\":true,\"data\":{}}", ids[i].id);
        CHECK_STR(out, want);
        free(out);
        envelope_free(&e);
    }
}

static void test_invalid(void)
{
    struct envelope e;
    char err[256];
    struct { const char *in; enum proto_code want; int has_id; } cases[] = {
        {"not json", PROTO_BAD_REQUEST, 0},
        {"", PROTO_BAD_REQUEST, 0},
        {"[1,2]", PROTO_BAD_REQUEST, 0},
        {"\"str\"", PROTO_BAD_REQUEST, 0},
        {"{\"type\":\"sys.ping\"}", PROTO_BAD_REQUEST, 0},
        {"{\"id\":true,\"type\":\"sys.ping\"}", PROTO_BAD_REQUEST, 0},
        {"{\"id\":{},\"type\":\"sys.ping\"}", PROTO_BAD_REQUEST, 0},
        {"{\"id\":1}", PROTO_BAD_REQUEST, 1},
        {"{\"id\":1,\"type\":5}", PROTO_BAD_REQUEST, 1},
        {"{\"id\":1,\"type\":\"ping\"}", PROTO_BAD_REQUEST, 1},
        {"{\"id\":1,\"type\":\"Sys.Ping\"}", PROTO_BAD_REQUEST, 1},
        {"{\"id\":1,\"type\":\"sys..ping\"}", PROTO_BAD_REQUEST, 1},
        {"{\"id\":1,\"type\":\"sys.ping.\"}", PROTO_BAD_REQUEST, 1},
        {"{\"id\":1,\"type\":\"sys.ping\",\"data\":[]}", PROTO_BAD_REQUEST, 1},
        {"{\"id\":1,\"type\":\"sys.ping\",\"data\":\"x\"}", PROTO_BAD_REQUEST, 1},
        {"{\"id\":1,\"type\":\"sys.ping\"", PROTO_BAD_REQUEST, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        enum proto_code c = dec(cases[i].in, &e, err);
        if (c != cases[i].want) fprintf(stderr, "case %zu: %s\n", i, cases[i].in);
        CHECK_INT(c, cases[i].want);
        CHECK_INT(e.id != NULL, cases[i].has_id);
        CHECK(strlen(err) > 0);
        envelope_free(&e);
    }
    /* invalid UTF-8 */
    const char bad[] = "{\"id\":1,\"type\":\"sys.ping\",\"data\":{\"t\":\"\xC3\x28\"}}";
    CHECK_INT(protocol_decode(bad, sizeof bad - 1, &e, err, 256), PROTO_BAD_REQUEST);
    envelope_free(&e);
    /* too large */
    size_t n = PROTOCOL_MAX_MESSAGE + 1;
    char *big = malloc(n);
    memset(big, ' ', n);
    CHECK_INT(protocol_decode(big, n, &e, err, 256), PROTO_TOO_LARGE);
    envelope_free(&e);
    free(big);
    /* long string id */
    char longid[400];
    snprintf(longid, sizeof longid, "{\"id\":\"%0200d\",\"type\":\"sys.ping\"}", 1);
    CHECK_INT(dec(longid, &e, err), PROTO_BAD_REQUEST);
    envelope_free(&e);
    /* length-limited parse: trailing bytes beyond len are ignored */
    const char *withtail = "{\"id\":1,\"type\":\"sys.ping\"}garbage";
    CHECK_INT(protocol_decode(withtail, 26, &e, err, 256), PROTO_OK);
    envelope_free(&e);
}

static void test_encode(void)
{
    cJSON *id = cJSON_CreateNumber(7);
    cJSON *d = cJSON_CreateObject();
    cJSON_AddStringToObject(d, "node", "n1");
    char *s = protocol_encode_ok(id, d);
    CHECK_STR(s, "{\"id\":7,\"ok\":true,\"data\":{\"node\":\"n1\"}}");
    free(s);
    s = protocol_encode_error(id, PROTO_RATE_LIMITED, "slow \"down\"");
    CHECK_STR(s, "{\"id\":7,\"ok\":false,\"error\":{\"code\":\"rate_limited\",\"message\":\"slow \\\"down\\\"\"}}");
    free(s);
    s = protocol_encode_error(NULL, PROTO_BAD_REQUEST, "x");
    CHECK_STR(s, "{\"id\":null,\"ok\":false,\"error\":{\"code\":\"bad_request\",\"message\":\"x\"}}");
    free(s);
    s = protocol_encode_event("chat.message", NULL);
    CHECK_STR(s, "{\"type\":\"chat.message\",\"data\":{}}");
    free(s);
    cJSON_Delete(id);

    const char *names[] = {"bad_request", "unauthorized", "forbidden", "not_found", "conflict",
                           "rate_limited", "too_large", "unavailable", "internal"};
    for (int c = PROTO_BAD_REQUEST; c <= PROTO_INTERNAL; c++)
        CHECK_STR(proto_code_str((enum proto_code)c), names[c - 1]);
    CHECK_STR(proto_code_str(PROTO_BANNED), "banned");

    /* an error with detail beside code and message (which detail cannot replace) */
    cJSON *det = cJSON_CreateObject();
    cJSON_AddStringToObject(det, "reason", "spam");
    cJSON_AddNullToObject(det, "until");
    cJSON_AddStringToObject(det, "code", "ok");
    s = protocol_encode_error_detail(NULL, PROTO_BANNED, "suspended", det);
    CHECK_STR(s, "{\"id\":null,\"ok\":false,\"error\":{\"code\":\"banned\",\"message\":\"suspended\",\"reason\":\"spam\",\"until\":null}}");
    free(s);
}

static void test_fields(void)
{
    char err[256];
    cJSON *d = cJSON_Parse("{\"s\":\"한국어\",\"n\":5,\"f\":1.5,\"b\":true,\"x\":\"\",\"big\":1e300}");
    const char *s;
    int64_t n;
    bool b;
    CHECK_INT(proto_get_string(d, "s", true, 1, 3, &s, err, sizeof err), 0);   /* 3 code points */
    CHECK_STR(s, "한국어");
    CHECK_INT(proto_get_string(d, "s", true, 1, 2, &s, err, sizeof err), -1);
    CHECK(strstr(err, "'s'") != NULL);
    CHECK_INT(proto_get_string(d, "x", true, 1, 10, &s, err, sizeof err), -1);
    CHECK_INT(proto_get_string(d, "missing", false, 1, 10, &s, err, sizeof err), 0);
    CHECK(s == NULL);
    CHECK_INT(proto_get_string(d, "missing", true, 1, 10, &s, err, sizeof err), -1);
    CHECK_INT(proto_get_string(d, "n", true, 1, 10, &s, err, sizeof err), -1);
    CHECK_INT(proto_get_int(d, "n", true, 0, 10, &n, err, sizeof err), 0);
    CHECK_INT(n, 5);
    CHECK_INT(proto_get_int(d, "n", true, 6, 10, &n, err, sizeof err), -1);
    CHECK_INT(proto_get_int(d, "f", true, 0, 10, &n, err, sizeof err), -1);
    CHECK_INT(proto_get_int(d, "big", true, 0, 10, &n, err, sizeof err), -1);
    CHECK_INT(proto_get_int(d, "s", true, 0, 10, &n, err, sizeof err), -1);
    CHECK_INT(proto_get_bool(d, "b", true, &b, err, sizeof err), 0);
    CHECK(b);
    CHECK_INT(proto_get_bool(d, "n", true, &b, err, sizeof err), -1);
    cJSON_Delete(d);
}

/* The two event encoders agree: the raw one splices SQL-built JSON without parsing it. */
static void test_event_raw(void)
{
    const char *raw = "{\"seq\":3,\"text\":\"\uc548\ub155 \\\"hi\\\"\"}";
    struct outmsg *m = protocol_event_raw("chat.message", "message", raw);
    cJSON *got = cJSON_ParseWithLength((const char *)outmsg_payload(m), m->len);
    CHECK(got != NULL);
    cJSON *data = cJSON_CreateObject();
    cJSON_AddItemToObject(data, "message", cJSON_Parse(raw));
    char *want = protocol_encode_event("chat.message", data);
    cJSON *w = cJSON_Parse(want);
    char *a = cJSON_PrintUnformatted(got), *b = cJSON_PrintUnformatted(w);
    CHECK_STR(a, b);
    CHECK_INT(outmsg_payload(m)[m->len], 0);
    free(a); free(b); free(want);
    cJSON_Delete(got); cJSON_Delete(w);
    outmsg_unref(m);
    m = protocol_event("presence.changed", NULL);
    CHECK_STR((const char *)outmsg_payload(m), "{\"type\":\"presence.changed\",\"data\":{}}");
    outmsg_unref(m);
}

int main(void)
{
    test_event_raw();
    test_valid();
    test_strict();
    test_invalid();
    test_encode();
    test_fields();
    return check_report("test_protocol");
}
