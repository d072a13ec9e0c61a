/* request.c — see request.h. */
#include "core/request.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/app.h"
#include "db/db.h"
#include "util/log.h"
#include "util/metrics.h"
#include "core/session.h"

/* Ends r: records its duration under its route and result (util/metrics.h), frees it. */
static void request_free(struct request *r, const char *result)
{
    metrics_request_done(r->route ? r->route->type : NULL, result,
                         (double)(uv_hrtime() - r->started_ns) / 1e9);
    envelope_free(&r->env);
    session_unref(r->s);
    free(r);
}

/* Queues a reply (a malloc'ed JSON string) labelled with its kind for the metrics. */
static void send_kind(struct session *s, char *json, const char *kind)
{
    struct outmsg *m = outmsg_from_string(json);
    m->kind = kind;
    session_send_reply(s, m);
    outmsg_unref(m);
}

void request_ok(struct request *r, cJSON *data)
{
    if (session_is_open(r->s))
        send_kind(r->s, protocol_encode_ok(r->env.id, data), "reply");
    else
        cJSON_Delete(data);
    request_free(r, "ok");
}

void request_ok_raw(struct request *r, const char *key, const char *raw)
{
    cJSON *d = cJSON_CreateObject();
    cJSON_AddRawToObject(d, key, raw);
    request_ok(r, d);
}

int request_get_id(struct request *r, const char *name, int64_t *out)
{
    char err[200];
    if (proto_get_int(r->data, name, true, 1, INT64_C(9007199254740991), out, err, sizeof err) == 0) return 0;
    request_error(r, PROTO_BAD_REQUEST, "%s", err);
    return -1;
}

static void send_error(struct request *r, enum proto_code code, const char *fmt, va_list ap, cJSON *fields)
{
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    log_debug("session %llu: %s -> %s: %s", (unsigned long long)r->s->id,
              r->env.type ? r->env.type : "?", proto_code_str(code), msg);
    if (session_is_open(r->s))
        send_kind(r->s, protocol_encode_error_fields(r->env.id, code, msg, fields), "error");
    else
        cJSON_Delete(fields);
    request_free(r, proto_code_str(code));
}

void request_retry_later(struct request *r, uint64_t retry_after_ms, const char *message)
{
    if (session_is_open(r->s))
        send_kind(r->s, protocol_encode_error_after(r->env.id, PROTO_RATE_LIMITED, message, retry_after_ms), "error");
    request_free(r, proto_code_str(PROTO_RATE_LIMITED));
}

void request_error(struct request *r, enum proto_code code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    send_error(r, code, fmt, ap, NULL);
    va_end(ap);
}

void request_error_fields(struct request *r, cJSON *fields, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    send_error(r, PROTO_BAD_REQUEST, fmt, ap, fields);
    va_end(ap);
}

void request_error_detail(struct request *r, enum proto_code code, cJSON *detail, const char *message)
{
    log_debug("session %llu: %s -> %s: %s", (unsigned long long)r->s->id, r->env.type ? r->env.type : "?",
              proto_code_str(code), message);
    if (session_is_open(r->s))
        send_kind(r->s, protocol_encode_error_detail(r->env.id, code, message, detail), "error");
    else
        cJSON_Delete(detail);
    request_free(r, proto_code_str(code));
}

void request_unavailable(struct request *r)
{
    request_error(r, PROTO_UNAVAILABLE, "the database is unavailable; try again");
}

int request_query(struct request *r, struct db_stmt *st, int nparams, const char *const *params,
                  db_result_fn cb, void *arg)
{
    if (db_query(r->app->db, st, nparams, params, cb, arg) == 0) return 0;
    request_unavailable(r);
    return -1;
}

const char *request_int(char buf[REQUEST_INT_LEN], int64_t v)
{
    snprintf(buf, REQUEST_INT_LEN, "%lld", (long long)v);
    return buf;
}

void request_db_error(struct request *r, const struct db_result *res)
{
    enum db_status st = db_result_status(res);
    if (st == DB_ERR_UNAVAILABLE || st == DB_ERR_QUEUE_FULL || st == DB_ERR_CLOSED) {
        request_unavailable(r);
        return;
    }
    log_error("session %llu: %s: database error %s: %s", (unsigned long long)r->s->id,
              r->env.type, db_result_sqlstate(res), db_result_message(res));
    request_error(r, PROTO_INTERNAL, "internal error");
}

void request_dispatch(struct app *app, struct session *s, const char *buf, size_t len)
{
    struct request *r = calloc(1, sizeof *r);
    if (!r) abort();
    r->app = app;
    r->s = session_ref(s);
    r->started_ns = uv_hrtime();
    char err[256];
    uint64_t now = app_now_ms(app);

    /* The default class applies to every message, valid or not: garbage floods too. */
    if (!ratelimit_take(&s->rate[RATE_DEFAULT], now)) {
        enum proto_code c = protocol_decode(buf, len, &r->env, err, sizeof err);
        (void)c;
        request_error(r, PROTO_RATE_LIMITED, "too many messages; slow down");
        return;
    }
    enum proto_code c = protocol_decode(buf, len, &r->env, err, sizeof err);
    if (c != PROTO_OK) {
        metrics_ws_in("invalid");
        request_error(r, c, "%s", err);
        return;
    }
    r->data = r->env.data;
    r->route = dispatch_find(app->routes, app->n_routes, r->env.type);
    metrics_ws_in(r->route ? r->route->type : "unknown");
    if (!r->route) {
        request_error(r, PROTO_BAD_REQUEST, "unknown message type '%.64s'", r->env.type);
        return;
    }
    r->self = app->route_self[r->route - app->routes];
    c = dispatch_authorize(r->route, s->role);
    if (c != PROTO_OK) {
        request_error(r, c, c == PROTO_UNAUTHORIZED ? "sign in first" : "your role may not do this");
        return;
    }
    if (r->route->rate != RATE_DEFAULT && !ratelimit_take(&s->rate[r->route->rate], now)) {
        request_error(r, PROTO_RATE_LIMITED, "too many requests of this kind; slow down");
        return;
    }
    log_debug("session %llu: %s", (unsigned long long)s->id, r->env.type);
    r->route->fn(r);
}
