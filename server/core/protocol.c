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

static bool id_valid(const cJSON *id)
{
    if (cJSON_IsNumber(id)) return isfinite(id->valuedouble);
    if (cJSON_IsString(id)) return strlen(id->valuestring) <= PROTOCOL_MAX_ID_LEN;
    return false;
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
    env->root = cJSON_ParseWithLength(buf, len);
    if (!env->root) {
        snprintf(err, errlen, "message is not valid JSON");
        return PROTO_BAD_REQUEST;
    }
    if (!cJSON_IsObject(env->root)) {
        snprintf(err, errlen, "message must be a JSON object");
        return PROTO_BAD_REQUEST;
    }
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(env->root, "id");
    if (!id) {
        snprintf(err, errlen, "missing 'id' (number or string)");
        return PROTO_BAD_REQUEST;
    }
    if (!id_valid(id)) {
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

char *protocol_encode_error(const cJSON *id, enum proto_code code, const char *message)
{
    cJSON *o = cJSON_CreateObject();
    add_id(o, id);
    cJSON_AddFalseToObject(o, "ok");
    cJSON *e = cJSON_AddObjectToObject(o, "error");
    cJSON_AddStringToObject(e, "code", proto_code_str(code));
    cJSON_AddStringToObject(e, "message", message ? message : proto_code_str(code));
    return print_and_delete(o);
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
