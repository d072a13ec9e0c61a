/* expo.h — the expo.v1 protocol on top of wsclient: JSON requests with ids, replies matched
 * by id, events kept in an inbox until a test asks for them.
 *
 * Every message received is parsed (a non-JSON or non-object message from the server fails
 * the test) and appended to the connection's inbox; expo_reply() and expo_event() take the
 * first matching item out of it, reading more from the socket while none matches. So events
 * that arrive while a test waits for a reply are never lost, and their order is kept.
 *
 * Ownership: cJSON trees returned to the caller are the caller's (cJSON_Delete). The EXPO_*
 * macros fail the test with the request, the reply and the caller's file:line.
 */
#ifndef IT_EXPO_H
#define IT_EXPO_H

#include <cjson/cJSON.h>

#include "harness.h"
#include "wsclient.h"

struct expo_item;

struct expo {
    struct ws ws;
    char label[32];             /* names the client in logs ("alice@A") */
    int port;
    long next_id;
    struct expo_item *inbox;    /* oldest first */
    int closed;                 /* a close frame or EOF was seen */
    int close_code;             /* code from the server's close frame (0: none) */
};

/* Connects to ws://127.0.0.1:port/ws with subprotocol expo.v1 and no Origin. Returns the
 * enum ws_err (WS_OK on success); does not fail the test. */
int expo_open(struct expo *c, int port, const char *label);
/* Same, but fails the test unless it connects. */
void expo_connect(struct expo *c, int port, const char *label);
/* Clean close (close frame 1000), frees the inbox. Safe on a closed connection. */
void expo_close(struct expo *c);
/* Vanishes: closes the TCP socket without a close frame, frees the inbox. */
void expo_drop(struct expo *c);

/* Sends {"id": <next>, "type": type, "data": <data>} where data is the printf-formatted
 * JSON text (NULL: {}). Returns the id, or -1 if the send failed. */
long expo_send(struct expo *c, const char *type, const char *data_fmt, ...) IT_PRINTF(3, 4);
/* Sends one text message as is. Returns WS_OK or an enum ws_err. */
int expo_send_text(struct expo *c, const char *text);

/* Waits for the reply with this id. NULL on timeout or when the connection closed first. */
cJSON *expo_reply(struct expo *c, long id, int timeout_ms);
/* Waits for the next reply (any object with "ok"), whatever its id. */
cJSON *expo_next_reply(struct expo *c, int timeout_ms);
/* expo_send + expo_reply with it_ms(10000). NULL if no reply came. */
cJSON *expo_call(struct expo *c, const char *type, const char *data_fmt, ...) IT_PRINTF(3, 4);

/* Next event of `type` (NULL: any), oldest first; other items stay in the inbox. The
 * event's "data" is returned (detached; free it). NULL on timeout or close. */
cJSON *expo_event(struct expo *c, const char *type, int timeout_ms);
/* Removes queued events of `type` (NULL: all events); returns how many. Does not read. */
int expo_discard_events(struct expo *c, const char *type);
/* Counts queued events of `type` after reading what arrives within wait_ms. */
int expo_count_events(struct expo *c, const char *type, int wait_ms);
/* Reads from the socket into the inbox for up to wait_ms (stops early on close). */
void expo_pump(struct expo *c, int wait_ms);

/* Asserting wrappers. EXPO_OK returns the reply's "data" (detached; free it). EXPO_ERR
 * checks ok:false with error.code == code and returns nothing. */
cJSON *expo_ok_at(const char *file, int line, struct expo *c, const char *type,
                  const char *data_fmt, ...) IT_PRINTF(5, 6);
void expo_err_at(const char *file, int line, struct expo *c, const char *code, const char *type,
                 const char *data_fmt, ...) IT_PRINTF(6, 7);
#define EXPO_OK(c, type, ...) expo_ok_at(__FILE__, __LINE__, (c), (type), __VA_ARGS__)
#define EXPO_ERR(c, code, type, ...) expo_err_at(__FILE__, __LINE__, (c), (code), (type), __VA_ARGS__)

/* Checks that a reply object is {ok:false, error:{code, message}} with the given code
 * (NULL: any); the error code is copied to code_out if not NULL. */
void expo_check_error_at(const char *file, int line, const cJSON *reply, const char *code,
                         char *code_out, size_t code_len);
#define EXPO_CHECK_ERROR(reply, code) expo_check_error_at(__FILE__, __LINE__, (reply), (code), NULL, 0)

/* ---- JSON helpers (all fail the test with the JSON shown when the shape is wrong) ------- */

/* Member by exact name; fails if absent. */
const cJSON *json_get_at(const char *file, int line, const cJSON *obj, const char *name);
const char *json_str_at(const char *file, int line, const cJSON *obj, const char *name);
long long json_int_at(const char *file, int line, const cJSON *obj, const char *name);
int json_bool_at(const char *file, int line, const cJSON *obj, const char *name);
#define JGET(o, n) json_get_at(__FILE__, __LINE__, (o), (n))
#define JSTR(o, n) json_str_at(__FILE__, __LINE__, (o), (n))
#define JINT(o, n) json_int_at(__FILE__, __LINE__, (o), (n))
#define JBOOL(o, n) json_bool_at(__FILE__, __LINE__, (o), (n))
/* "Truthy" count-or-flag: true / number > 0. */
int json_truthy(const cJSON *v);
/* Compact JSON text of a node (static rotating buffers; for messages and for composing
 * requests: e.g. an id that may be a number or a string). */
const char *json_text(const cJSON *v);
/* A JSON string literal for s, quoted and escaped (static rotating buffers). */
const char *json_quote(const char *s);

/* Parses an RFC 3339 date-time ("2024-05-01T12:00:00Z", fraction and offset optional) into
 * seconds since the epoch (fraction dropped). Returns 0 on success, -1 if malformed. */
int it_parse_rfc3339(const char *s, long long *epoch);

#endif
