/* request.h — one client request in flight: decode, authorize, rate-limit, route, reply.
 *
 * Ownership: request_dispatch() creates the request; it owns the parsed envelope (the
 * handler borrows r->data for as long as the request lives) and a reference to the
 * session. Exactly one of request_ok()/request_error() ends it and frees it; a handler
 * that goes asynchronous keeps the pointer until its callback replies. A reply for a
 * session that closed meanwhile is dropped. */
#ifndef BOOTHD_REQUEST_H
#define BOOTHD_REQUEST_H

#include <cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "core/dispatch.h"
#include "core/protocol.h"

#include "db/db.h"

struct app;
struct session;

struct request {
    struct app *app;
    void *self;                 /* the state of the domain whose route this is */
    struct session *s;
    struct envelope env;
    const cJSON *data;          /* = env.data */
    const struct route *route;
    void *ctx;                  /* handler-owned state (handler frees before replying) */
    uint64_t started_ns;        /* uv_hrtime() at dispatch, for the duration metric */
};

/* Routes one received message (buf need not be NUL-terminated). */
void request_dispatch(struct app *app, struct session *s, const char *buf, size_t len);

/* Sends {"ok":true,"data":data} (takes ownership of data; NULL = {}) and frees r. */
void request_ok(struct request *r, cJSON *data);
/* Sends {"ok":true,"data":{key: raw}}, where raw is JSON text built by our own SQL, and frees r. */
void request_ok_raw(struct request *r, const char *key, const char *raw);
/* Sends {"ok":false,"error":{code,message}} and frees r. */
void request_error(struct request *r, enum proto_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* request_error with the members of `detail` in the error object (takes ownership). */
void request_error_detail(struct request *r, enum proto_code code, cJSON *detail, const char *message);
/* Sends bad_request with error.fields = fields ({"<field>": "<reason code>"}, takes
 * ownership) so a form can show each reason next to its field; frees r. */
void request_error_fields(struct request *r, cJSON *fields, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Maps a failed database result to `unavailable` or `internal` (logged) and frees r. */
void request_db_error(struct request *r, const struct db_result *res);
/* Answers `rate_limited` with error.retry_after_ms (the client may retry after that long). */
void request_retry_later(struct request *r, uint64_t retry_after_ms, const char *message);
/* Answers `unavailable` (the database cannot take the query now) and frees r. */
void request_unavailable(struct request *r);

/* Runs a prepared statement for r: returns 0 and cb(arg, result) runs later; or, when the
 * database cannot take it, answers r with `unavailable` itself (r is freed) and returns -1:
 * the caller then frees only its own context. */
int request_query(struct request *r, struct db_stmt *st, int nparams, const char *const *params,
                  db_result_fn cb, void *arg);

/* Reads the required id field `name` of r's data (1 .. 2^53-1, exact in JSON) into *out;
 * returns 0, or answers bad_request (r is freed) and returns -1. */
int request_get_id(struct request *r, const char *name, int64_t *out);

/* Formats an integer parameter for a query (decimal, NUL-terminated). */
#define REQUEST_INT_LEN 24
const char *request_int(char buf[REQUEST_INT_LEN], int64_t v);

#endif
