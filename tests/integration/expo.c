/* expo.c — see expo.h. */
#include "expo.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct expo_item {
    struct expo_item *next;
    cJSON *msg;           /* the whole message */
    int is_reply;         /* has "ok" */
};

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int left_ms(double deadline)
{
    double r = (deadline - mono()) * 1000.0;
    return r <= 0 ? 0 : (int)r;
}

/* ---- JSON helpers ------------------------------------------------------------------------ */

#define ROT 16
static char *rot_buf[ROT];
static int rot_i;

static const char *rot_keep(char *s)
{
    rot_i = (rot_i + 1) % ROT;
    free(rot_buf[rot_i]);
    rot_buf[rot_i] = s;
    return s;
}

const char *json_text(const cJSON *v)
{
    if (!v) return "(null)";
    char *s = cJSON_PrintUnformatted(v);
    if (!s) abort();
    /* Keep failure messages readable: cut very long texts. */
    return rot_keep(s);
}

const char *json_quote(const char *s)
{
    cJSON *str = cJSON_CreateString(s ? s : "");
    char *t = cJSON_PrintUnformatted(str);
    cJSON_Delete(str);
    if (!t) abort();
    return rot_keep(t);
}

static const char *short_text(const cJSON *v)
{
    const char *t = json_text(v);
    size_t n = strlen(t);
    if (n <= 3000) return t;
    char *c = malloc(3100);
    if (!c) abort();
    snprintf(c, 3100, "%.1500s ...[%zu bytes]... %s", t, n, t + n - 1400);
    return rot_keep(c);
}

const cJSON *json_get_at(const char *file, int line, const cJSON *obj, const char *name)
{
    const cJSON *v = cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, name) : NULL;
    if (!v) it_fail(file, line, "JSON has no member \"%s\": %s", name, short_text(obj));
    return v;
}

const char *json_str_at(const char *file, int line, const cJSON *obj, const char *name)
{
    const cJSON *v = json_get_at(file, line, obj, name);
    if (!cJSON_IsString(v)) it_fail(file, line, "JSON member \"%s\" is not a string: %s", name, short_text(obj));
    return v->valuestring;
}

long long json_int_at(const char *file, int line, const cJSON *obj, const char *name)
{
    const cJSON *v = json_get_at(file, line, obj, name);
    if (!cJSON_IsNumber(v) || v->valuedouble != (double)(long long)v->valuedouble)
        it_fail(file, line, "JSON member \"%s\" is not an integer: %s", name, short_text(obj));
    return (long long)v->valuedouble;
}

int json_bool_at(const char *file, int line, const cJSON *obj, const char *name)
{
    const cJSON *v = json_get_at(file, line, obj, name);
    if (!cJSON_IsBool(v)) it_fail(file, line, "JSON member \"%s\" is not a boolean: %s", name, short_text(obj));
    return cJSON_IsTrue(v);
}

int json_truthy(const cJSON *v)
{
    if (cJSON_IsBool(v)) return cJSON_IsTrue(v);
    if (cJSON_IsNumber(v)) return v->valuedouble > 0;
    return 0;
}

/* ---- connection -------------------------------------------------------------------------- */

static void inbox_free(struct expo *c)
{
    struct expo_item *it = c->inbox;
    while (it) {
        struct expo_item *n = it->next;
        cJSON_Delete(it->msg);
        free(it);
        it = n;
    }
    c->inbox = NULL;
}

int expo_open(struct expo *c, int port, const char *label)
{
    memset(c, 0, sizeof *c);
    snprintf(c->label, sizeof c->label, "%s", label ? label : "client");
    c->port = port;
    c->next_id = 1;
    struct ws_connect_opts o = {.port = port, .protocol = "expo.v1", .timeout_ms = it_ms(10000)};
    int r = ws_connect(&c->ws, &o);
    if (r != WS_OK) c->closed = 1;
    return r;
}

void expo_connect(struct expo *c, int port, const char *label)
{
    int r = expo_open(c, port, label);
    if (r != WS_OK)
        FAIL("%s: WebSocket connect to port %d failed: %s%s%s (HTTP status %d, errno %d)", c->label,
             port, ws_strerror(r), c->ws.proto_error ? ": " : "", c->ws.proto_error ? c->ws.proto_error : "",
             c->ws.http_status, c->ws.sys_errno);
    if (strcmp(c->ws.protocol, "expo.v1") != 0)
        FAIL("%s: server chose subprotocol \"%s\", expected \"expo.v1\"", c->label, c->ws.protocol);
}

void expo_close(struct expo *c)
{
    if (c->ws.fd >= 0) ws_close(&c->ws, 1000, it_ms(3000));
    ws_close_socket(&c->ws);
    inbox_free(c);
    c->closed = 1;
}

void expo_drop(struct expo *c)
{
    ws_close_socket(&c->ws);
    inbox_free(c);
    c->closed = 1;
}

int expo_send_text(struct expo *c, const char *text)
{
    if (c->closed) return WS_E_CLOSED;
    return ws_send_text(&c->ws, text, strlen(text));
}

static long send_v(struct expo *c, const char *type, const char *fmt, va_list ap)
{
    char *data = NULL;
    if (fmt) {
        if (vasprintf(&data, fmt, ap) < 0) abort();
    }
    long id = c->next_id++;
    char *msg = NULL;
    if (asprintf(&msg, "{\"id\":%ld,\"type\":%s,\"data\":%s}", id, json_quote(type), data ? data : "{}") < 0)
        abort();
    free(data);
    int r = expo_send_text(c, msg);
    free(msg);
    return r == WS_OK ? id : -1;
}

long expo_send(struct expo *c, const char *type, const char *data_fmt, ...)
{
    va_list ap;
    va_start(ap, data_fmt);
    long id = send_v(c, type, data_fmt, ap);
    va_end(ap);
    return id;
}

/* Reads one message into the inbox. Returns WS_OK, or an error (then c->closed may be set). */
static int read_one(struct expo *c, int timeout_ms)
{
    if (c->closed) return WS_E_CLOSED;
    struct ws_msg m;
    int r = ws_recv(&c->ws, &m, timeout_ms, 0);
    if (r == WS_E_TIMEOUT) return r;
    if (r != WS_OK) {
        c->closed = 1;
        return r;
    }
    if (m.opcode == WS_OP_CLOSE) {
        c->closed = 1;
        c->close_code = m.close_code;
        it_log("%s: server closed the connection with %d \"%s\"", c->label, m.close_code, c->ws.close_reason);
        ws_msg_free(&m);
        return WS_E_CLOSED;
    }
    if (m.opcode != WS_OP_TEXT)
        FAIL("%s: server sent a non-text message (opcode %d, %zu bytes)", c->label, m.opcode, m.len);
    cJSON *j = cJSON_ParseWithLength(m.data, m.len);
    if (!cJSON_IsObject(j))
        FAIL("%s: server sent something that is not a JSON object: %.2000s", c->label, m.data);
    ws_msg_free(&m);
    struct expo_item *it = calloc(1, sizeof *it);
    if (!it) abort();
    it->msg = j;
    it->is_reply = cJSON_GetObjectItemCaseSensitive(j, "ok") != NULL;
    struct expo_item **tail = &c->inbox;
    while (*tail) tail = &(*tail)->next;
    *tail = it;
    return WS_OK;
}

typedef int (*match_fn)(const struct expo_item *it, const void *arg);

static cJSON *take(struct expo *c, match_fn match, const void *arg, int timeout_ms)
{
    double deadline = mono() + timeout_ms / 1000.0;
    struct expo_item **pp = &c->inbox;
    for (;;) {
        for (; *pp; pp = &(*pp)->next) {
            if (match(*pp, arg)) {
                struct expo_item *it = *pp;
                *pp = it->next;
                cJSON *msg = it->msg;
                free(it);
                return msg;
            }
        }
        /* pp points at the tail link: new items are appended there. */
        int r = read_one(c, left_ms(deadline));
        if (r != WS_OK) return NULL;
    }
}

static int match_reply_id(const struct expo_item *it, const void *arg)
{
    if (!it->is_reply) return 0;
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(it->msg, "id");
    return cJSON_IsNumber(id) && (long)id->valuedouble == *(const long *)arg;
}

static int match_any_reply(const struct expo_item *it, const void *arg)
{
    (void)arg;
    return it->is_reply;
}

static int match_event(const struct expo_item *it, const void *arg)
{
    if (it->is_reply) return 0;
    if (!arg) return 1;
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(it->msg, "type");
    return cJSON_IsString(t) && strcmp(t->valuestring, (const char *)arg) == 0;
}

cJSON *expo_reply(struct expo *c, long id, int timeout_ms)
{
    if (id < 0) return NULL;
    return take(c, match_reply_id, &id, timeout_ms);
}

cJSON *expo_next_reply(struct expo *c, int timeout_ms)
{
    return take(c, match_any_reply, NULL, timeout_ms);
}

cJSON *expo_call(struct expo *c, const char *type, const char *data_fmt, ...)
{
    va_list ap;
    va_start(ap, data_fmt);
    long id = send_v(c, type, data_fmt, ap);
    va_end(ap);
    return expo_reply(c, id, it_ms(10000));
}

cJSON *expo_event(struct expo *c, const char *type, int timeout_ms)
{
    cJSON *ev = take(c, match_event, type, timeout_ms);
    if (!ev) return NULL;
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(ev, "id");
    if (id) FAIL("%s: an event carries an id: %s", c->label, short_text(ev));
    cJSON *data = cJSON_DetachItemFromObjectCaseSensitive(ev, "data");
    if (!cJSON_IsObject(data)) FAIL("%s: event without object data: %s", c->label, short_text(ev));
    cJSON_Delete(ev);
    return data;
}

int expo_discard_events(struct expo *c, const char *type)
{
    int n = 0;
    struct expo_item **pp = &c->inbox;
    while (*pp) {
        if (match_event(*pp, type)) {
            struct expo_item *it = *pp;
            *pp = it->next;
            cJSON_Delete(it->msg);
            free(it);
            n++;
        } else {
            pp = &(*pp)->next;
        }
    }
    return n;
}

void expo_pump(struct expo *c, int wait_ms)
{
    double deadline = mono() + wait_ms / 1000.0;
    while (!c->closed) {
        int r = read_one(c, left_ms(deadline));
        if (r != WS_OK) break;
    }
}

int expo_count_events(struct expo *c, const char *type, int wait_ms)
{
    expo_pump(c, wait_ms);
    int n = 0;
    for (struct expo_item *it = c->inbox; it; it = it->next)
        if (match_event(it, type)) n++;
    return n;
}

/* ---- asserting wrappers ----------------------------------------------------------------- */

void expo_check_error_at(const char *file, int line, const cJSON *reply, const char *code,
                         char *code_out, size_t code_len)
{
    const cJSON *ok = cJSON_GetObjectItemCaseSensitive(reply, "ok");
    if (!cJSON_IsFalse(ok))
        it_fail(file, line, "expected an error reply%s%s, got: %s", code ? " with code " : "",
                code ? code : "", short_text(reply));
    const cJSON *err = cJSON_GetObjectItemCaseSensitive(reply, "error");
    const cJSON *ec = cJSON_GetObjectItemCaseSensitive(err, "code");
    const cJSON *em = cJSON_GetObjectItemCaseSensitive(err, "message");
    if (!cJSON_IsString(ec) || !cJSON_IsString(em))
        it_fail(file, line, "error reply without error.code and error.message strings: %s", short_text(reply));
    if (code && strcmp(ec->valuestring, code) != 0)
        it_fail(file, line, "error code \"%s\" != expected \"%s\" in %s", ec->valuestring, code,
                short_text(reply));
    if (code_out) snprintf(code_out, code_len, "%s", ec->valuestring);
}

static cJSON *call_v(struct expo *c, const char *type, const char *fmt, va_list ap, char **req_text)
{
    va_list ap2;
    va_copy(ap2, ap);
    char *data = NULL;
    if (fmt && vasprintf(&data, fmt, ap2) < 0) abort();
    va_end(ap2);
    *req_text = data;
    long id = send_v(c, type, fmt, ap);
    return expo_reply(c, id, it_ms(10000));
}

cJSON *expo_ok_at(const char *file, int line, struct expo *c, const char *type, const char *data_fmt, ...)
{
    va_list ap;
    va_start(ap, data_fmt);
    char *req = NULL;
    cJSON *reply = call_v(c, type, data_fmt, ap, &req);
    va_end(ap);
    if (!reply)
        it_fail(file, line, "%s: no reply to %s %s within %d ms (%s)", c->label, type, req ? req : "{}",
                it_ms(10000), c->closed ? "connection closed" : "timeout");
    const cJSON *ok = cJSON_GetObjectItemCaseSensitive(reply, "ok");
    if (!cJSON_IsTrue(ok))
        it_fail(file, line, "%s: %s %s expected ok:true, got: %s", c->label, type, req ? req : "{}",
                short_text(reply));
    cJSON *data = cJSON_DetachItemFromObjectCaseSensitive(reply, "data");
    if (!cJSON_IsObject(data))
        it_fail(file, line, "%s: %s reply has no object \"data\": %s", c->label, type, short_text(reply));
    cJSON_Delete(reply);
    free(req);
    return data;
}

void expo_err_at(const char *file, int line, struct expo *c, const char *code, const char *type,
                 const char *data_fmt, ...)
{
    va_list ap;
    va_start(ap, data_fmt);
    char *req = NULL;
    cJSON *reply = call_v(c, type, data_fmt, ap, &req);
    va_end(ap);
    if (!reply)
        it_fail(file, line, "%s: no reply to %s %.300s within %d ms (%s)", c->label, type,
                req ? req : "{}", it_ms(10000), c->closed ? "connection closed" : "timeout");
    const cJSON *ok = cJSON_GetObjectItemCaseSensitive(reply, "ok");
    if (!cJSON_IsFalse(ok))
        it_fail(file, line, "%s: %s %.300s expected error %s, got: %s", c->label, type, req ? req : "{}",
                code, short_text(reply));
    expo_check_error_at(file, line, reply, code, NULL, 0);
    cJSON_Delete(reply);
    free(req);
}

/* ---- time -------------------------------------------------------------------------------- */

int it_parse_rfc3339(const char *s, long long *epoch)
{
    int y, mo, d, h, mi, se, n = 0;
    if (!s || sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10) return -1;
    s += n;
    if (*s != 'T' && *s != 't' && *s != ' ') return -1;
    s++;
    if (sscanf(s, "%2d:%2d:%2d%n", &h, &mi, &se, &n) != 3 || n != 8) return -1;
    s += n;
    if (*s == '.') {
        s++;
        if (*s < '0' || *s > '9') return -1;
        while (*s >= '0' && *s <= '9') s++;
    }
    long off = 0;
    if (*s == 'Z' || *s == 'z') {
        s++;
    } else if (*s == '+' || *s == '-') {
        int oh, om;
        if (sscanf(s + 1, "%2d:%2d%n", &oh, &om, &n) != 2 || n != 5) return -1;
        off = (oh * 60L + om) * 60L * (*s == '-' ? -1 : 1);
        s += 6;
    } else {
        return -1;
    }
    if (*s) return -1;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return -1;
    struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d,
                    .tm_hour = h, .tm_min = mi, .tm_sec = se};
    *epoch = (long long)timegm(&tm) - off;
    return 0;
}
