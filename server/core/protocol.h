/* protocol.h — the expo.v1 JSON envelope: decoding and validating requests, encoding
 * replies and events. No sockets, no database: pure, unit-tested.
 *
 *   request: {"id": <number|string>, "type": "<domain.verb>", "data": {...}}
 *   reply:   {"id": <same>, "ok": true, "data": {...}}
 *            {"id": <same>, "ok": false, "error": {"code": "<code>", "message": "<text>"}}
 *   event:   {"type": "<domain.event>", "data": {...}}
 */
#ifndef BOOTHD_PROTOCOL_H
#define BOOTHD_PROTOCOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cJSON.h>

#include "util/outmsg.h"

#define PROTOCOL_MAX_MESSAGE (64 * 1024)   /* larger messages: close 1009 */
#define PROTOCOL_MAX_ID_LEN 128            /* string ids; numbers: 64 characters as written */
#define PROTOCOL_MAX_TYPE_LEN 64

enum proto_code {
    PROTO_OK = 0,
    PROTO_BAD_REQUEST,
    PROTO_UNAUTHORIZED,
    PROTO_FORBIDDEN,
    PROTO_NOT_FOUND,
    PROTO_CONFLICT,
    PROTO_RATE_LIMITED,
    PROTO_TOO_LARGE,
    PROTO_UNAVAILABLE,
    PROTO_INTERNAL,
    PROTO_BANNED,       /* the right password (or a token) of an account the organizers banned */
};

/* The wire name of a code ("bad_request", ...). */
const char *proto_code_str(enum proto_code c);

/* A decoded request. `root` owns the tree; id/type/data point into it. */
struct envelope {
    cJSON *root;
    const cJSON *id;        /* the id's text as the client wrote it (a cJSON raw item, echoed
                               byte for byte); NULL when the request had no valid id */
    const char *type;
    const cJSON *data;      /* always an object (an empty one is added when absent) */
};

/* Decodes one message: one JSON object (nothing after it), valid UTF-8, no raw control
 * characters or escaped NULs in strings. Returns PROTO_OK and fills env (caller frees with
 * envelope_free), or an error code with a human message in err; then env->id is still
 * set when the message was an object with a valid id, so the error reply can carry it,
 * and env->root must still be freed with envelope_free. */
enum proto_code protocol_decode(const char *buf, size_t len, struct envelope *env,
                                char *err, size_t errlen);
void envelope_free(struct envelope *env);

/* Encoders return a malloc'ed NUL-terminated JSON string. They take ownership of `data`
 * (may be NULL: an empty object is sent). `id` is borrowed (NULL encodes as null). */
char *protocol_encode_ok(const cJSON *id, cJSON *data);
char *protocol_encode_error(const cJSON *id, enum proto_code code, const char *message);
/* The same with "retry_after_ms" in the error object (a client waits that long, then retries). */
char *protocol_encode_error_after(const cJSON *id, enum proto_code code, const char *message,
                                  uint64_t retry_after_ms);
/* The same with "fields": {"<field name>": "<reason code>", ...} in the error object, for
 * forms (takes ownership of fields; NULL = none). */
char *protocol_encode_error_fields(const cJSON *id, enum proto_code code, const char *message, cJSON *fields);
/* The same with every member of `detail` added to the error object beside code and message
 * (takes ownership; e.g. {"reason", "until"} of `banned`). */
char *protocol_encode_error_detail(const cJSON *id, enum proto_code code, const char *message, cJSON *detail);
char *protocol_encode_event(const char *type, cJSON *data);
/* The same event as one outbound message, ready to queue to any number of sessions. `type`
 * must be a static string: it labels the message in the metrics (outmsg.kind). */
struct outmsg *protocol_event(const char *type, cJSON *data);
/* The event {"type":type,"data":{key:raw}} as one outbound message, where `raw` is JSON text
 * built by our own SQL (e.g. a chat message): spliced in, not parsed again, because chat
 * delivery builds one per message. type and key are identifiers written in the code. */
struct outmsg *protocol_event_raw(const char *type, const char *key, const char *raw);

/* Field helpers for handlers: each returns 0 when the field is valid (or absent and
 * optional), else -1 with a message naming the field written into err. */
int proto_get_string(const cJSON *data, const char *name, bool required, size_t min_len,
                     size_t max_len, const char **out, char *err, size_t errlen);
int proto_get_int(const cJSON *data, const char *name, bool required, int64_t min, int64_t max,
                  int64_t *out, char *err, size_t errlen);
int proto_get_bool(const cJSON *data, const char *name, bool required, bool *out,
                   char *err, size_t errlen);

#endif
