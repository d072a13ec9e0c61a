/* protocol.c — see protocol.h. */
#include "core/protocol.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/text.h"

static const char *const code_names[] = {
    [PROTO_OK] = "ok",
    [PROTO_BAD_REQUEST] = "bad_request",
    [PROTO_UNAUTHORIZED] = "unauthorized",
    [PROTO_FORBIDDEN] = "forbidden",
    [PROTO_NOT_FOUND] = "not_found",
    [PROTO_CONFLICT] = "conflict",
    [PROTO_RATE_LIMITED] = "rate_limited",
    [PROTO_TOO_LARGE] = "too_large",
    [PROTO_UNAVAILABLE] = "unavailable",
    [PROTO_INTERNAL] = "internal",
    [PROTO_BANNED] = "banned",
};

const char *proto_code_str(enum proto_code c)
{
    if ((unsigned)c < sizeof code_names / sizeof code_names[0] && code_names[c]) return code_names[c];
    return "internal";
}

/* type: lowercase words separated by dots, at least two words: "sys.ping", "meeting.availability.set" */
static bool type_valid(const char *t)
{
    size_t len = strlen(t);
    if (len < 3 || len > PROTOCOL_MAX_TYPE_LEN) return false;
    int dots = 0;
    char prev = '.';
    for (const char *p = t; *p; p++) {
        if (*p == '.') {
            if (prev == '.') return false;
            dots++;
        } else if (!(islower((unsigned char)*p) || *p == '_' || isdigit((unsigned char)*p))) {
            return false;
        }
        prev = *p;
    }
    return dots >= 1 && prev != '.';
}

/* Strings must not carry what cJSON would silently mangle: a raw control byte (RFC 8259
 * forbids them) or an escaped NUL ("\u0000"), which cuts a C string short: two different
 * client_msg_ids "k\u0000A" and "k\u0000B" once collided and an acked message was never
 * stored. Returns NULL when clean, else what is wrong. Runs before parsing; the input is
 * valid UTF-8. */
static const char *strings_problem(const char *buf, size_t len)
{
    bool in_str = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)buf[i];
        if (!in_str) {
            if (c == '"') in_str = true;
            continue;
        }
        if (c == '"') { in_str = false; continue; }
        if (c < 0x20) return "strings must not contain raw control characters (escape them)";
        if (c != '\\') continue;
        if (i + 1 >= len) break;
        if (buf[i + 1] == 'u' && i + 5 < len && memcmp(buf + i + 2, "0000", 4) == 0)
            return "strings must not contain NUL (\\u0000)";
        i++;   /* skip the escaped character (an escaped quote or backslash included) */
    }
    return NULL;
}

/* A minimal scanner over JSON that cJSON already accepted, to find a member's raw text. */
static size_t skip_ws(const char *b, size_t i, size_t len)
{
    while (i < len && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r')) i++;
    return i;
}

static size_t skip_string(const char *b, size_t i, size_t len)   /* at '"'; returns after it */
{
    for (i++; i < len; i++) {
        if (b[i] == '\\') i++;
        else if (b[i] == '"') return i + 1;
    }
    return len;
}

static size_t skip_value(const char *b, size_t i, size_t len)
{
    if (i >= len) return len;
    if (b[i] == '"') return skip_string(b, i, len);
    if (b[i] == '{' || b[i] == '[') {
        int depth = 0;
        while (i < len) {
            char c = b[i];
            if (c == '"') { i = skip_string(b, i, len); continue; }
            if (c == '{' || c == '[') depth++;
            else if ((c == '}' || c == ']') && --depth == 0) return i + 1;
            i++;
        }
        return len;
    }
    while (i < len && !strchr(",}] \t\r\n", b[i])) i++;   /* number, true, false, null */
    return i;
}

static bool key_is_id(const char *b, size_t start, size_t end)   /* [start, end) a JSON string */
{
    if (end - start == 4 && memcmp(b + start, "\"id\"", 4) == 0) return true;
    if (!memchr(b + start, '\\', end - start)) return false;
    cJSON *k = cJSON_ParseWithLength(b + start, end - start);   /* an escaped key, such as "\u0069d" */
    bool is = cJSON_IsString(k) && strcmp(k->valuestring, "id") == 0;
    cJSON_Delete(k);
    return is;
}

/* The raw text of the top-level member "id", so a reply echoes it byte for byte (cJSON keeps
 * numbers as doubles: 9007199254740993 would come back as 9.00719925474099e+15). Returns 0
 * and the span, or -1. */
static int find_id_span(const char *b, size_t len, size_t *start, size_t *end)
{
    size_t i = skip_ws(b, 0, len);
    if (i >= len || b[i] != '{') return -1;
    i = skip_ws(b, i + 1, len);
    while (i < len && b[i] == '"') {
        size_t ks = i, ke = skip_string(b, i, len);
        i = skip_ws(b, ke, len);
        if (i >= len || b[i] != ':') return -1;
        i = skip_ws(b, i + 1, len);
        size_t ve = skip_value(b, i, len);
        if (key_is_id(b, ks, ke)) { *start = i; *end = ve; return 0; }   /* the first, as cJSON */
        i = skip_ws(b, ve, len);
        if (i < len && b[i] == ',') i = skip_ws(b, i + 1, len);
    }
    return -1;
}

static bool id_valid(const cJSON *id)
{
    if (cJSON_IsNumber(id)) return isfinite(id->valuedouble);
    if (cJSON_IsString(id)) return strlen(id->valuestring) <= PROTOCOL_MAX_ID_LEN;
    return false;
}

/* Replaces the parsed id by its raw text (a cJSON raw item: printed verbatim). NULL when
 * the raw text is longer than a number may be or an escaped string of the allowed length. */
#define PROTOCOL_MAX_NUMBER_ID_LEN 64
static const cJSON *keep_raw_id(cJSON *root, const cJSON *id, const char *buf, size_t len)
{
    size_t a, b;
    size_t max = cJSON_IsNumber(id) ? PROTOCOL_MAX_NUMBER_ID_LEN : 6 * PROTOCOL_MAX_ID_LEN + 2;
    if (find_id_span(buf, len, &a, &b) < 0 || b - a > max) return NULL;
    char *raw = strndup(buf + a, b - a);
    if (!raw) abort();
    cJSON *item = cJSON_CreateRaw(raw);
    free(raw);
    if (!item) abort();
    cJSON_ReplaceItemInObjectCaseSensitive(root, "id", item);
    return item;
}

enum proto_code protocol_decode(const char *buf, size_t len, struct envelope *env,
                                char *err, size_t errlen)
{
    memset(env, 0, sizeof *env);
    if (len > PROTOCOL_MAX_MESSAGE) {
        snprintf(err, errlen, "message larger than %d bytes", PROTOCOL_MAX_MESSAGE);
        return PROTO_TOO_LARGE;
    }
    if (!utf8_valid(buf, len)) {
        snprintf(err, errlen, "message is not valid UTF-8");
        return PROTO_BAD_REQUEST;
    }
    const char *problem = strings_problem(buf, len);
    if (problem) {
        snprintf(err, errlen, "%s", problem);
        return PROTO_BAD_REQUEST;
    }
    const char *end = NULL;
    env->root = cJSON_ParseWithLengthOpts(buf, len, &end, false);
    if (!env->root) {
        snprintf(err, errlen, "message is not valid JSON");
        return PROTO_BAD_REQUEST;
    }
    if (!cJSON_IsObject(env->root)) {
        snprintf(err, errlen, "message must be a JSON object");
        return PROTO_BAD_REQUEST;
    }
    if (skip_ws(buf, (size_t)(end - buf), len) != len) {
        snprintf(err, errlen, "one JSON object per message: data follows the object");
        return PROTO_BAD_REQUEST;
    }
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(env->root, "id");
    if (!id) {
        snprintf(err, errlen, "missing 'id' (number or string)");
        return PROTO_BAD_REQUEST;
    }
    if (!id_valid(id) || !(id = keep_raw_id(env->root, id, buf, len))) {
        snprintf(err, errlen, "'id' must be a number or a string of at most %d bytes", PROTOCOL_MAX_ID_LEN);
        return PROTO_BAD_REQUEST;
    }
    env->id = id;
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(env->root, "type");
    if (!cJSON_IsString(type)) {
        snprintf(err, errlen, "missing 'type' (string like \"sys.ping\")");
        return PROTO_BAD_REQUEST;
    }
    if (!type_valid(type->valuestring)) {
        snprintf(err, errlen, "'type' must look like \"domain.verb\"");
        return PROTO_BAD_REQUEST;
    }
    env->type = type->valuestring;
    cJSON *data = cJSON_GetObjectItemCaseSensitive(env->root, "data");
    if (!data || cJSON_IsNull(data)) {
        if (data) cJSON_DeleteItemFromObjectCaseSensitive(env->root, "data");
        data = cJSON_AddObjectToObject(env->root, "data");
    } else if (!cJSON_IsObject(data)) {
        snprintf(err, errlen, "'data' must be an object");
        return PROTO_BAD_REQUEST;
    }
    env->data = data;
    return PROTO_OK;
}

void envelope_free(struct envelope *env)
{
    cJSON_Delete(env->root);
    memset(env, 0, sizeof *env);
}

static char *print_and_delete(cJSON *o)
{
    char *s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (!s) abort();
    return s;
}

static void add_id(cJSON *o, const cJSON *id)
{
    cJSON_AddItemToObject(o, "id", id ? cJSON_Duplicate(id, 1) : cJSON_CreateNull());
}

char *protocol_encode_ok(const cJSON *id, cJSON *data)
{
    cJSON *o = cJSON_CreateObject();
    add_id(o, id);
    cJSON_AddTrueToObject(o, "ok");
    cJSON_AddItemToObject(o, "data", data ? data : cJSON_CreateObject());
    return print_and_delete(o);
}

/* {"id":…,"ok":false,"error":{"code","message"[,"retry_after_ms"][,"fields"][,detail's members]}}
 * (takes fields and detail; a member of detail named code or message is dropped). */
static char *encode_error(const cJSON *id, enum proto_code code, const char *message, uint64_t retry_after_ms,
                          cJSON *fields, cJSON *detail)
{
    cJSON *o = cJSON_CreateObject();
    add_id(o, id);
    cJSON_AddFalseToObject(o, "ok");
    cJSON *e = cJSON_AddObjectToObject(o, "error");
    cJSON_AddStringToObject(e, "code", proto_code_str(code));
    cJSON_AddStringToObject(e, "message", message ? message : proto_code_str(code));
    if (retry_after_ms) cJSON_AddNumberToObject(e, "retry_after_ms", (double)retry_after_ms);
    if (fields) cJSON_AddItemToObject(e, "fields", fields);
    while (detail && detail->child) {
        cJSON *item = cJSON_DetachItemViaPointer(detail, detail->child);
        if (strcmp(item->string, "code") && strcmp(item->string, "message")) cJSON_AddItemToObject(e, item->string, item);
        else cJSON_Delete(item);
    }
    cJSON_Delete(detail);
    return print_and_delete(o);
}

char *protocol_encode_error_after(const cJSON *id, enum proto_code code, const char *message,
                                  uint64_t retry_after_ms)
{
    return encode_error(id, code, message, retry_after_ms, NULL, NULL);
}

char *protocol_encode_error_fields(const cJSON *id, enum proto_code code, const char *message, cJSON *fields)
{
    return encode_error(id, code, message, 0, fields, NULL);
}

char *protocol_encode_error_detail(const cJSON *id, enum proto_code code, const char *message, cJSON *detail)
{
    return encode_error(id, code, message, 0, NULL, detail);
}

char *protocol_encode_error(const cJSON *id, enum proto_code code, const char *message)
{
    return encode_error(id, code, message, 0, NULL, NULL);
}

char *protocol_encode_event(const char *type, cJSON *data)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "type", type);
    cJSON_AddItemToObject(o, "data", data ? data : cJSON_CreateObject());
    return print_and_delete(o);
}

struct outmsg *protocol_event(const char *type, cJSON *data)
{
    struct outmsg *m = outmsg_from_string(protocol_encode_event(type, data));
    m->kind = type;
    return m;
}

struct outmsg *protocol_event_raw(const char *type, const char *key, const char *raw)
{
    static const char a[] = "{\"type\":\"", b[] = "\",\"data\":{\"", c[] = "\":", d[] = "}}";
    size_t lt = strlen(type), lk = strlen(key), lr = strlen(raw);
    size_t len = sizeof a - 1 + lt + sizeof b - 1 + lk + sizeof c - 1 + lr + sizeof d - 1;
    struct outmsg *m = outmsg_alloc(len);
    unsigned char *p = outmsg_payload(m);
    memcpy(p, a, sizeof a - 1); p += sizeof a - 1;
    memcpy(p, type, lt); p += lt;
    memcpy(p, b, sizeof b - 1); p += sizeof b - 1;
    memcpy(p, key, lk); p += lk;
    memcpy(p, c, sizeof c - 1); p += sizeof c - 1;
    memcpy(p, raw, lr); p += lr;
    memcpy(p, d, sizeof d - 1);
    m->kind = type;
    return m;
}

int proto_get_string(const cJSON *data, const char *name, bool required, size_t min_len,
                     size_t max_len, const char **out, char *err, size_t errlen)
{
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(data, name);
    *out = NULL;
    if (!f || cJSON_IsNull(f)) {
        if (!required) return 0;
        snprintf(err, errlen, "'%s' is required", name);
        return -1;
    }
    if (!cJSON_IsString(f)) {
        snprintf(err, errlen, "'%s' must be a string", name);
        return -1;
    }
    size_t n = utf8_length(f->valuestring);
    if (n < min_len || n > max_len) {
        snprintf(err, errlen, "'%s' must be %zu to %zu characters", name, min_len, max_len);
        return -1;
    }
    *out = f->valuestring;
    return 0;
}

int proto_get_int(const cJSON *data, const char *name, bool required, int64_t min, int64_t max,
                  int64_t *out, char *err, size_t errlen)
{
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(data, name);
    if (!f || cJSON_IsNull(f)) {
        if (!required) return 0;
        snprintf(err, errlen, "'%s' is required", name);
        return -1;
    }
    double v = f->valuedouble;
    if (!cJSON_IsNumber(f) || !isfinite(v) || v != floor(v)) {
        snprintf(err, errlen, "'%s' must be an integer", name);
        return -1;
    }
    if (v < (double)min || v > (double)max) {
        snprintf(err, errlen, "'%s' must be between %lld and %lld", name, (long long)min, (long long)max);
        return -1;
    }
    *out = (int64_t)v;
    return 0;
}

int proto_get_bool(const cJSON *data, const char *name, bool required, bool *out,
                   char *err, size_t errlen)
{
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(data, name);
    if (!f || cJSON_IsNull(f)) {
        if (!required) return 0;
        snprintf(err, errlen, "'%s' is required", name);
        return -1;
    }
    if (!cJSON_IsBool(f)) {
        snprintf(err, errlen, "'%s' must be true or false", name);
        return -1;
    }
    *out = cJSON_IsTrue(f);
    return 0;
}
