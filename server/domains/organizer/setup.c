/* setup.c — account.setup: a staff member created by the bulk import opens the one-time link
 * the organizer sent (/set-password.html#token=...) and chooses a password. The token is
 * checked and spent in the same statement that stores the new hash, so a link works once,
 * for 14 days. Open to anyone (the token is the credential), rate-limited like a sign-in. */
#include "domains/organizer/setup.h"

#include <stdlib.h>
#include <string.h>

#include "core/app.h"
#include "core/request.h"
#include "core/password.h"
#include "domains/auth/token.h"

static struct db_stmt q_setup = DB_STMT("account_setup",
    "WITH t AS (UPDATE account_setup_tokens SET used_at = now() WHERE token_hash = $1::bytea"
    "   AND used_at IS NULL AND expires_at > now() RETURNING account_id),"
    " a AS (UPDATE accounts SET password_hash = $2 WHERE id = (SELECT account_id FROM t) RETURNING email)"
    " SELECT email FROM a");

struct setup_ctx {
    struct request *r;
    char bytea[TOKEN_HASH_HEX_LEN + 3];
};

static void on_set(void *arg, const struct db_result *res)
{
    struct request *r = arg;
    if (db_result_status(res) != DB_OK) { request_db_error(r, res); return; }
    if (db_result_rows(res) != 1) {
        request_error(r, PROTO_NOT_FOUND, "this link is not valid any more: ask the organizers for a new one");
        return;
    }
    cJSON *d = cJSON_CreateObject();
    cJSON_AddStringToObject(d, "email", db_result_value(res, 0, 0));
    request_ok(r, d);
}

static void on_hashed(void *arg, const char *encoded)
{
    struct setup_ctx *x = arg;
    struct request *r = x->r;
    if (!encoded) { free(x); request_error(r, PROTO_INTERNAL, "internal error"); return; }
    const char *p[] = {x->bytea, encoded};
    (void)request_query(r, &q_setup, 2, p, on_set, r);
    free(x);
}

/* {token, password (8-200)} -> {email} */
void setup_handle(struct request *r)
{
    char err[200];
    const char *token, *password;
    if (proto_get_string(r->data, "token", true, 1, 100, &token, err, sizeof err) ||
        proto_get_string(r->data, "password", true, 8, 200, &password, err, sizeof err)) {
        request_error(r, PROTO_BAD_REQUEST, "%s", err);
        return;
    }
    if (!token_well_formed(token)) {
        request_error(r, PROTO_NOT_FOUND, "this link is not valid any more: ask the organizers for a new one");
        return;
    }
    struct setup_ctx *x = malloc(sizeof *x);
    if (!x) abort();
    x->r = r;
    char hex[TOKEN_HASH_HEX_LEN + 1];
    token_hash_hex(token, hex);
    token_hash_bytea(hex, x->bytea);
    password_hash(&r->app->loop, password, on_hashed, x);
}
